"""The back office shows who signs in through the directory and who has an authenticator; it
can only take one away (a wrong link, a lost phone), through the services that record it."""

from __future__ import annotations

from django.contrib import admin
from django_otp.plugins.otp_totp.models import TOTPDevice

from zhenggai.accounts import two_factor
from zhenggai.accounts.models import OidcIdentity
from zhenggai.accounts.oidc import oidc_unlink
from zhenggai.readonly_admin import ReadOnlyAdmin


class RemoveOnlyAdmin(ReadOnlyAdmin):
    """Shows records and deletes them one by one through `remove`; never adds or changes any."""

    actions = None  # the bulk delete would bypass `remove`

    def has_delete_permission(self, request, obj=None) -> bool:
        return bool(request.user.is_active and request.user.is_superuser)

    def delete_model(self, request, obj) -> None:
        self.remove(obj, actor=request.user)

    def delete_queryset(self, request, queryset) -> None:
        for obj in queryset:
            self.remove(obj, actor=request.user)

    def remove(self, obj, *, actor) -> None:
        raise NotImplementedError


# Registered before django-otp's own admin (accounts is the first app), which then steps aside:
# that one would let the back office add a device with a secret of its choosing.
@admin.register(TOTPDevice)
class AuthenticatorAdmin(RemoveOnlyAdmin):
    list_display = ["user", "confirmed", "created_at", "last_used_at"]
    fields = ["user", "confirmed", "created_at", "last_used_at"]  # never the secret
    search_fields = ["user__username"]

    def remove(self, obj, *, actor) -> None:
        two_factor.totp_remove(user=obj.user, device=obj, actor=actor)


@admin.register(OidcIdentity)
class OidcIdentityAdmin(RemoveOnlyAdmin):
    list_display = ["user", "issuer", "subject", "linked_at"]
    search_fields = ["user__username", "subject"]

    def remove(self, obj, *, actor) -> None:
        oidc_unlink(identity=obj, actor=actor)
