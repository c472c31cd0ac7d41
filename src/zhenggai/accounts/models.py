"""What a login needs before it is used: an invitation to set its password, or a forced change of
the initial password an administrator gave it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Invitation(models.Model):
    """A one-time link that lets a new login choose its password.

    Only the SHA-256 of the token is stored: whoever reads the database cannot use a link that is
    still open. A link is spent once used, and refused after `expires_at`."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="invitations"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.user} · {self.expires_at:%Y-%m-%d %H:%M}"


class PasswordChangeRequired(models.Model):
    """The login was given an initial password by an administrator: it must choose its own before
    anything else (accounts.middleware.PasswordChangeRequiredMiddleware)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="password_change_required",
    )
    since = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("password change required")
        verbose_name_plural = _("password changes required")

    def __str__(self) -> str:
        return str(self.user)


class OidcIdentity(models.Model):
    """A login's person in the office's own directory (OpenID Connect): the issuer and its subject
    (`sub`, the directory's never-reused id). Found by them, a later sign-in needs no e-mail or
    user-name match (accounts.oidc)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="oidc_identities",
    )
    issuer = models.CharField(_("issuer"), max_length=255)
    subject = models.CharField(_("subject"), max_length=255)
    linked_at = models.DateTimeField(_("linked at"), auto_now_add=True)

    class Meta:
        verbose_name = _("directory identity")
        verbose_name_plural = _("directory identities")
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="oidc_identity_unique_subject"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.issuer}"
