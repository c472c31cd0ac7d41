"""Personal access tokens of the REST API, the record of their every use, and idempotency keys."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TokenScope(models.TextChoices):
    READ = "read", _("Read only")
    WRITE = "write", _("Read and write")


class AccessToken(models.Model):
    """A personal access token (个人访问令牌): its secret is shown once and kept only as a hash.

    `prefix` is the token's public part, looked up by its index; the secret's SHA-256 is then
    compared in constant time. A token acts as its owner, with the owner's roles: no more."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=16, unique=True, editable=False)
    secret_sha256 = models.CharField(max_length=64, editable=False)
    scope = models.CharField(_("scope"), max_length=10, choices=TokenScope.choices, default=TokenScope.READ)
    expires_at = models.DateTimeField(_("expires at"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("personal access token")
        verbose_name_plural = _("personal access tokens")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} (zg_{self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()

    @property
    def may_write(self) -> bool:
        return self.scope == TokenScope.WRITE


class TokenUse(models.Model):
    """One request made with a token (append-only): who, when, what and how it ended."""

    token = models.ForeignKey(AccessToken, on_delete=models.CASCADE, related_name="uses")
    at = models.DateTimeField(default=timezone.now)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=300)
    status = models.PositiveSmallIntegerField()
    ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["token", "at"], name="api_tokenuse_token_at")]

    def __str__(self) -> str:
        return f"{self.method} {self.path} {self.status}"


class IdempotencyKey(models.Model):
    """The first answer to a POST sent with an `Idempotency-Key`: a repeat of the same request
    within a day gets it again instead of writing twice (docs/api.md)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64)  # SHA-256 of the method, path and body
    status = models.PositiveSmallIntegerField()
    content_type = models.CharField(max_length=100)
    body = models.BinaryField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="api_idempotency_user_key")]

    def __str__(self) -> str:
        return self.key
