"""Two-factor sign-in with a one-time code from an authenticator app (TOTP, django-otp).

A login has at most one authenticator. It is enrolled by showing the secret (a QR code and the
text) and typing a code computed from it; it is removed with a current code. With
`REQUIRE_TOTP_FOR_OFFICE` on (等保 level 3), the inspection office's staff and the supervisors
must enrol one and give a code after every sign-in (accounts.middleware.TwoFactorRequiredMiddleware).
Enrolment and removal are recorded in the history; the codes given at sign-in are not (neither
are log-ins), but every wrong one counts toward the account's lock-out (the views).
"""

from __future__ import annotations

import math
import secrets
from base64 import b32encode
from binascii import unhexlify

import segno
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_otp import verify_token
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from zhenggai.history import services as history
from zhenggai.orgs.models import Membership, Role

OFFICE_ROLES = (Role.OFFICE_STAFF, Role.SUPERVISOR)
TOTP_TOLERANCE = 1  # the code of the step before or after is accepted too (clocks a little apart)


class CodeWrong(Exception):
    """The code is not the authenticator's current one (or was already used)."""


class AlreadyEnrolled(Exception):
    """The login has an authenticator already: remove it before enrolling another."""


def required_for(user) -> bool:
    """Whether `user` must give a code after signing in: an office role while the rule is on."""
    if not settings.REQUIRE_TOTP_FOR_OFFICE:
        return False
    return Membership.objects.filter(user=user, role__in=OFFICE_ROLES).exists()


def device_of(user) -> TOTPDevice | None:
    """The login's enrolled authenticator, if any."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def new_secret() -> str:
    """A new secret for an authenticator, as hex (as django-otp keeps it): 160 bits, RFC 4226's size."""
    return secrets.token_hex(20)


def provisioning(user, secret: str) -> tuple[str, str]:
    """The QR code (inline SVG) of the `otpauth://` address an authenticator app scans, and the
    secret in base32, to type in by hand."""
    device = TOTPDevice(user=user, key=secret, name="authenticator")  # unsaved: only its address
    svg = segno.make(device.config_url, error="m").svg_inline(scale=4, dark="#1f2937", light="#ffffff")
    return svg, b32encode(unhexlify(secret)).decode("ascii")


def _matching_step(secret: str, token: str) -> int | None:
    """The time step whose code `token` is, within the tolerance; None if it is no such code."""
    token = token.strip().replace(" ", "")
    if not (token.isdigit() and len(token) == 6):
        return None
    totp = TOTP(unhexlify(secret))
    if totp.verify(int(token), tolerance=TOTP_TOLERANCE):
        return totp.t()  # the drift that matched included
    return None


@transaction.atomic
def totp_enrol(*, user, secret: str, token: str) -> TOTPDevice:
    """Enrol the authenticator holding `secret`, proven by its current code `token`."""
    step = _matching_step(secret, token)
    if step is None:
        raise CodeWrong
    if TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).exists():
        raise AlreadyEnrolled
    TOTPDevice.objects.filter(user=user).delete()  # unconfirmed ones, left by the admin site
    # last_t: the code just typed cannot be used again to sign in.
    device = TOTPDevice.objects.create(
        user=user, name="authenticator", key=secret, confirmed=True, last_t=step
    )
    history.record(actor=user, action="user.totp_enrol", obj=user, payload={"device": device.pk})
    return device


def totp_check(*, device: TOTPDevice, token: str) -> bool:
    """Whether `token` is the authenticator's current code, not used before. A wrong code slows
    the next tries down (django-otp's throttling, committed whatever the caller's transaction does)."""
    token = token.strip().replace(" ", "")
    return verify_token(device.user, device.persistent_id, token) is not None


def throttle_wait(device: TOTPDevice) -> int:
    """Seconds before the next code may be tried after wrong ones (0: now)."""
    allowed, data = device.verify_is_allowed()
    if allowed:
        return 0
    if data and "locked_until" in data:
        return max(1, math.ceil((data["locked_until"] - timezone.now()).total_seconds()))
    return 1


@transaction.atomic
def totp_remove(*, user, device: TOTPDevice, actor=None) -> None:
    """Remove the login's authenticator: by the login itself (`actor` None; the caller has checked
    a current code with `totp_check`), or by an administrator for a lost phone."""
    deleted, _ = TOTPDevice.objects.filter(pk=device.pk, user=user).delete()
    if deleted:
        history.record(
            actor=actor or user, action="user.totp_remove", obj=user, payload={"device": device.pk}
        )
