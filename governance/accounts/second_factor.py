"""The second factor (ADR 0006): an authenticator app (TOTP) or a passkey after the password,
recovery codes for a lost phone, and its reset by an administrator or the person's SPOC.

django-otp keeps the devices: `TOTPDevice` for the authenticator app, one `StaticDevice` whose
`StaticToken`s are the recovery codes, and django-otp-webauthn's credentials for passkeys. A
session has passed the second factor when OTPMiddleware finds a device of the signed-in person
in it (`request.user.is_verified()`); `SecondFactorRequiredMiddleware` refuses every other page to
a session that passed the password alone. No code or key is ever written to the audit trail or a
log.
"""

from __future__ import annotations

import base64
import math
from dataclasses import dataclass

import segno
from django.conf import settings
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from governance.accounts.sessions import sessions_end_all
from governance.audit import trail as audit
from governance.audit.models import AuditAction
from governance.people import roles
from governance.people.access import AccessRefused
from governance.people.models import SpocRole, User

# The one key every demo account shares (demo mode only, documented in the README): base32 as
# an authenticator app takes it. A device holding it is refused outside demo mode.
DEMO_TOTP_KEY = "NFZXALLQN5ZHIYLMFVSGK3LPFVXW43DZ"
RECOVERY_CODE_COUNT = 10
TOTP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"

CODE_REQUIRED_MESSAGE = "Enter the 6-digit code from your authenticator app"
CODE_FORMAT_MESSAGE = "Enter the code as 6 digits, like 123456"
WRONG_CODE_MESSAGE = (
    "The code is not correct or has expired. Enter the 6-digit code your authenticator app "
    "shows now"
)
SET_UP_WRONG_CODE_MESSAGE = (
    "The code is not correct. Check the app added the key shown on this page, then enter the "
    "6-digit code it shows now"
)
TOO_MANY_ATTEMPTS_MESSAGE = (
    "You have entered a wrong code too many times. Wait {wait}, then try again"
)
RECOVERY_CODE_REQUIRED_MESSAGE = "Enter one of your recovery codes"
WRONG_RECOVERY_CODE_MESSAGE = (
    "The recovery code is not correct or has already been used. Enter a recovery code you "
    "have not used before"
)
DEMO_KEY_REFUSED_MESSAGE = (
    "This account uses the demo key, which works in demo mode only. Ask your administrator to "
    "reset your second factor"
)
RESET_OWN_MESSAGE = "Ask your SPOC or an administrator to reset your own second factor"

# URL names a session that passed the password alone may still reach: signing in and out, the
# password-link pages and the second-factor pages, passkeys among them (adding a passkey there
# is refused to anyone who already has a second factor and has not used it in this session).
OPEN_TO_PASSWORD_ONLY = frozenset(
    {
        "login",
        "logout",
        "accounts:password_set",
        "accounts:password_forgotten",
        "accounts:second_factor",
        "accounts:second_factor_set_up",
        "accounts:second_factor_recovery",
        "passkeys:register_begin",
        "passkeys:register_complete",
        "passkeys:verify_begin",
        "passkeys:verify_complete",
    }
)


class SecondFactorProblem(Exception):
    """A code refused: the message is shown against the field."""


# Rules --------------------------------------------------------------------------------------


def is_primary_device(device: Device) -> bool:
    """An authenticator app or a passkey: recovery codes alone are not a way to sign in."""
    return not isinstance(device, StaticDevice)


def has_second_factor(user: User) -> bool:
    return any(is_primary_device(device) for device in devices_for_user(user, confirmed=True))


def demo_key_allowed() -> bool:
    return bool(settings.DEBUG and getattr(settings, "DEMO_MODE", False))


def demo_key_hex() -> str:
    return base64.b32decode(DEMO_TOTP_KEY).hex()


def can_reset_second_factor(actor: roles.AnyUser, account: User) -> bool:
    """protocol 7.4: the SPOC oversees who acts for their organisation, so the person's SPOC or
    back-up SPOC may reset it, as may a portal administrator; nobody resets their own."""
    if not actor.is_authenticated or actor.pk == account.pk:
        return False
    if roles.is_portal_admin(actor):
        return True
    return (
        actor.spoc_role in (SpocRole.SPOC, SpocRole.BACKUP)
        and actor.organisation_id is not None
        and actor.organisation_id == account.organisation_id
    )


# Reads --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SignInMethods:
    app: TOTPDevice | None
    recovery_codes_left: int


def sign_in_methods(*, user: User) -> SignInMethods:
    app = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    left = StaticToken.objects.filter(device__user=user, device__confirmed=True).count()
    return SignInMethods(app=app, recovery_codes_left=left)


def people_for_spoc(*, spoc: User) -> list[User]:
    """The active people of the SPOC's organisation, for the reset of a lost phone (7.4)."""
    if not roles.is_spoc(spoc) or spoc.organisation_id is None:
        return []
    return list(
        User.objects.filter(organisation_id=spoc.organisation_id, is_active=True)
        .exclude(pk=spoc.pk)
        .order_by("full_name", "email")
    )


def key_for_typing(device: TOTPDevice) -> str:
    """The key as an authenticator app takes it, in groups of four for typing."""
    key = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def qr_code_svg(device: TOTPDevice) -> str:
    """The key as a QR code, an inline SVG (no image request, nothing for the CSP to allow)."""
    return segno.make(device.config_url, error="m").svg_inline(
        scale=4,
        border=4,
        title="QR code of your sign-in key for the ISP Portal",
        dark="#0b0c0c",
        light="#ffffff",
    )


def _wait(seconds: float) -> str:
    seconds = max(1, math.ceil(seconds))
    if seconds < 60:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = math.ceil(seconds / 60)
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


def _refuse_if_throttled(device: Device) -> None:
    allowed, info = device.verify_is_allowed()
    if allowed:
        return
    locked_until = (info or {}).get("locked_until")
    seconds = (locked_until - timezone.now()).total_seconds() if locked_until else 60
    raise SecondFactorProblem(TOO_MANY_ATTEMPTS_MESSAGE.format(wait=_wait(seconds)))


# Writes -------------------------------------------------------------------------------------


def totp_device_for_set_up(*, user: User) -> TOTPDevice:
    """The person's unconfirmed authenticator app, made once so the key stays the same while
    they scan it."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)


def _recovery_codes_replace(*, user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def sign_in_complete(request: HttpRequest, device: Device) -> None:
    """The session has passed the second factor: a new session key, so a key seen before this
    point (a fixed or stolen cookie) does not carry the full sign-in."""
    otp_login(request, device)
    request.session.cycle_key()


def second_factor_set_up(*, request: HttpRequest, token: str) -> list[str]:
    """Confirm the authenticator app with a code it shows; returns the recovery codes, shown
    once."""
    user = request.user
    with transaction.atomic():
        device = (
            TOTPDevice.objects.select_for_update()
            .filter(user=user, confirmed=False)
            .order_by("pk")
            .first()
        )
        if device is None or has_second_factor(user):
            raise SecondFactorProblem(SET_UP_WRONG_CODE_MESSAGE)
        _refuse_if_throttled(device)
        verified = device.verify_token(token)
        if verified:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            TOTPDevice.objects.filter(user=user, confirmed=False).delete()
            codes = _recovery_codes_replace(user=user)
            audit.record(
                action=AuditAction.SECOND_FACTOR_SET_UP,
                actor=user,
                detail="authenticator app set up; recovery codes made",
            )
        else:
            audit.record(
                action=AuditAction.SECOND_FACTOR_FAILED,
                actor=user,
                detail="wrong code while setting up an authenticator app",
            )
    if not verified:
        raise SecondFactorProblem(SET_UP_WRONG_CODE_MESSAGE)
    sign_in_complete(request, device)
    return codes


def second_factor_verify(*, request: HttpRequest, token: str) -> Device:
    """Check a code from the person's authenticator app, respecting django-otp's throttling
    (each wrong code doubles the wait before the next is checked)."""
    user = request.user
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
        if device is None:
            raise SecondFactorProblem(WRONG_CODE_MESSAGE)
        if device.key == demo_key_hex() and not demo_key_allowed():
            raise SecondFactorProblem(DEMO_KEY_REFUSED_MESSAGE)
        _refuse_if_throttled(device)
        verified = device.verify_token(token)
        if not verified:
            audit.record(
                action=AuditAction.SECOND_FACTOR_FAILED,
                actor=user,
                detail="wrong authenticator app code",
            )
    if not verified:
        raise SecondFactorProblem(WRONG_CODE_MESSAGE)
    sign_in_complete(request, device)
    return device


def recovery_code_use(*, request: HttpRequest, code: str) -> Device:
    """A recovery code signs in once: django-otp deletes the token it accepts."""
    user = request.user
    code = "".join(code.split()).replace("-", "").lower()
    with transaction.atomic():
        device = StaticDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
        if device is None:
            raise SecondFactorProblem(WRONG_RECOVERY_CODE_MESSAGE)
        _refuse_if_throttled(device)
        verified = device.verify_token(code)
        if verified:
            left = device.token_set.count()
            audit.record(
                action=AuditAction.RECOVERY_CODE_USED,
                actor=user,
                detail=f"recovery code used; {left} left",
            )
        else:
            audit.record(
                action=AuditAction.SECOND_FACTOR_FAILED,
                actor=user,
                detail="wrong recovery code",
            )
    if not verified:
        raise SecondFactorProblem(WRONG_RECOVERY_CODE_MESSAGE)
    sign_in_complete(request, device)
    return device


@transaction.atomic
def recovery_codes_regenerate(*, user: User) -> list[str]:
    """New recovery codes; the old ones stop working."""
    codes = _recovery_codes_replace(user=user)
    audit.record(
        action=AuditAction.RECOVERY_CODES_REGENERATED,
        actor=user,
        detail="new recovery codes made; the old ones no longer work",
    )
    return codes


@transaction.atomic
def second_factor_reset(*, actor: User, account: User) -> None:
    """Lost phone: every device of the person goes and every session of theirs ends; they set
    the second factor up again at their next sign-in."""
    if not can_reset_second_factor(actor, account):
        raise AccessRefused(detail="reset second factor")
    locked = User.objects.select_for_update().get(pk=account.pk)
    for device in list(devices_for_user(locked, confirmed=None)):
        device.delete()
    # ASVS 3.3.4: whoever holds the lost phone is signed out of every session at once.
    sessions_end_all(account=locked)
    audit.record(
        action=AuditAction.SECOND_FACTOR_RESET,
        actor=actor,
        detail=f"second factor reset for account {locked.public_id}",
        receiving_organisation=locked.organisation,
    )


def demo_device_set(*, user: User) -> TOTPDevice:
    """Demo mode only: the person's authenticator app is the shared, documented demo key."""
    if not demo_key_allowed():
        raise RuntimeError("The demo key is for demo mode only (DEBUG and DEMO_MODE on).")
    TOTPDevice.objects.filter(user=user).delete()
    return TOTPDevice.objects.create(
        user=user, name=TOTP_DEVICE_NAME, key=demo_key_hex(), confirmed=True
    )


# The pages' guard --------------------------------------------------------------------------


def safe_next(request: HttpRequest, default: str = "") -> str:
    target = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME, "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default or reverse(settings.LOGIN_REDIRECT_URL)


def second_factor_url(user: User, next_url: str = "") -> str:
    name = "accounts:second_factor" if has_second_factor(user) else "accounts:second_factor_set_up"
    url = reverse(name)
    return f"{url}?{urlencode({REDIRECT_FIELD_NAME: next_url})}" if next_url else url


def _open_to_password_only(request: HttpRequest) -> bool:
    if request.path_info.startswith(settings.STATIC_URL):
        return True
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    return match.view_name in OPEN_TO_PASSWORD_ONLY


class SecondFactorRequiredMiddleware:
    """After the password, nothing but the second-factor pages until the second factor is
    passed: every other page, the admin too, redirects there. Sits after OTPMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and not user.is_verified() and not _open_to_password_only(request):
            next_url = request.get_full_path() if request.method == "GET" else ""
            return HttpResponseRedirect(second_factor_url(user, next_url))
        return self.get_response(request)
