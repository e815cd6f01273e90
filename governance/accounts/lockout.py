"""Sign-in lockout (OWASP ASVS 2.2.1) with django-axes, and who may lift it.

After SIGN_IN_FAILURE_LIMIT failed sign-ins for one email address, and separately from one IP
address, sign-in is refused whatever the password until SIGN_IN_LOCKOUT_MINUTES after the last
failure (settings). The refusal looks exactly like a wrong password, so it tells nobody whether
an account exists or whether the password was right. The account's SPOC (protocol 7.4: the SPOC
oversees who acts for their organisation) or a portal administrator can unlock an account
sooner; only an administrator can unlock an address, which may serve several organisations.
Setting a new password from the emailed link clears the account's failures too. Forgotten-password
requests are throttled by the same limits.

The attempts table never holds the typed address: only a keyed hash of it (`lockout_key`), since
a person sometimes types their password into the address box.
"""

from __future__ import annotations

import ipaddress
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from axes.backends import AxesBackend
from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.conf import settings
from django.db import transaction
from django.db.models import Max, Sum
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.crypto import salted_hmac

from governance.audit import trail as audit
from governance.audit.models import AuditAction, AuditEvent
from governance.audit.trail import current_request_context
from governance.people import roles
from governance.people.access import AccessRefused
from governance.people.models import User

_KEY_SALT = "governance.accounts.lockout"


def lockout_minutes() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


# One message for a wrong address, a wrong password, an inactive account and a lockout.
SIGN_IN_REFUSED_MESSAGE = (
    "Your email address or password is not right, or there have been too many attempts. "
    f"Wait {lockout_minutes()} minutes and try again, or ask your SPOC to unlock your account."
)
NOT_LOCKED_MESSAGE = "{name} was not locked out."
UNLOCKED_MESSAGE = "{name} can sign in again."
ADDRESS_UNLOCKED_MESSAGE = "Sign-in from {address} is unlocked."
ADDRESS_NOT_LOCKED_MESSAGE = "Sign-in from {address} was not locked."
ADDRESS_INVALID_MESSAGE = "Choose an address from the list to unlock"


def cool_off() -> timedelta:
    return settings.AXES_COOLOFF_TIME


def failure_limit() -> int:
    return int(settings.AXES_FAILURE_LIMIT)


# Keys: what the attempts table counts by --------------------------------------------------------


def lockout_key(email: str) -> str:
    """The attempts table's key for a typed address: a keyed hash of its trimmed, lower-cased
    form (so "Alice@" and "alice@" share one count)."""
    return salted_hmac(_KEY_SALT, email.strip().lower(), algorithm="sha256").hexdigest()


def _typed_address(request: HttpRequest | None, credentials: dict[str, Any] | None) -> str:
    field = settings.AXES_USERNAME_FORM_FIELD
    if credentials:
        # The sign-in form's "username", or "email" when code authenticates by the model's field.
        value = credentials.get(field) or credentials.get(User.USERNAME_FIELD)
    elif request is not None:
        value = getattr(request, "POST", {}).get(field)
    else:
        value = None
    return str(value).strip() if value else ""


def lockout_key_for_request(
    request: HttpRequest | None, credentials: dict[str, Any] | None = None
) -> str | None:
    """AXES_USERNAME_CALLABLE: the key of the address typed, or None when none was typed."""
    typed = _typed_address(request, credentials)
    return lockout_key(typed) if typed else None


def canonical_ip(value: str | None) -> str | None:
    """An IP address as the database stores it (the audit trail's form), or None."""
    if not value:
        return None
    try:
        address = ipaddress.ip_address(value.strip().split("%")[0])
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return str(address)


def client_ip(request: HttpRequest) -> str | None:
    """AXES_CLIENT_IP_CALLABLE: REMOTE_ADDR, as the audit trail records it. A malformed value
    counts as no address rather than failing the sign-in."""
    return canonical_ip(request.META.get("REMOTE_ADDR"))


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: the sign-in page has already answered with its one message; a
    lockout must look the same as any other failure."""
    if original_response is None:
        return HttpResponse(SIGN_IN_REFUSED_MESSAGE, status=200)
    return original_response


class LockoutBackend(AxesBackend):
    """django-axes' backend, first in AUTHENTICATION_BACKENDS: it refuses a locked-out account or
    address before any password is checked. Code that authenticates outside a web request
    (Django's test client `login`, the shell) has no request: the account's own lockout still
    applies, and there is no address to count."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        return super().authenticate(request or HttpRequest(), username, password, **kwargs)


# Counting ---------------------------------------------------------------------------------------


def _failures(**where: str) -> int:
    since = timezone.now() - cool_off()
    total = AccessAttempt.objects.filter(attempt_time__gte=since, **where).aggregate(
        total=Sum("failures_since_start")
    )["total"]
    return total or 0


def account_is_locked(account: User) -> bool:
    return _failures(username=lockout_key(account.email)) >= failure_limit()


class AuditedLockoutHandler(AxesDatabaseHandler):
    """django-axes' database handler, which counts the failure and locks; the lockout itself is
    audited here, once, when this failure reaches the limit (attempts refused while locked are
    audited as failed sign-ins by the sign-in page)."""

    def user_login_failed(
        self, sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
    ) -> None:
        already_locked = bool(getattr(request, "axes_locked_out", False))
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is None or already_locked or not getattr(request, "axes_locked_out", False):
            return
        _lockout_record(request=request, credentials=credentials)


def _lockout_record(*, request: HttpRequest, credentials: dict[str, Any]) -> None:
    limit = failure_limit()
    minutes = lockout_minutes()
    typed = _typed_address(request, credentials)
    if typed and _failures(username=lockout_key(typed)) >= limit:
        account = User.objects.select_related("organisation").filter(email__iexact=typed).first()
        if account is None:
            # The typed address is not recorded: it may be a mistyped password.
            detail = f"sign-in locked for {minutes} minutes: an address with no account"
        else:
            detail = f"{account.email}: sign-in locked for {minutes} minutes"
        audit.record(
            action=AuditAction.SIGN_IN_LOCKED,
            receiving_organisation=account.organisation if account else None,
            detail=detail,
        )
    address = getattr(request, "axes_ip_address", None)
    if address and _failures(ip_address=address) >= limit:
        audit.record(
            action=AuditAction.SIGN_IN_LOCKED,
            detail=f"address {address}: sign-in locked for {minutes} minutes",
        )


# Who may see and lift lockouts ------------------------------------------------------------------


def can_see_lockouts(user: roles.AnyUser) -> bool:
    return roles.is_portal_admin(user) or roles.is_spoc(user)


def can_unlock_account(user: roles.AnyUser, account: User) -> bool:
    """protocol 7.4: the SPOC or back-up SPOC vouches for who acts for their organisation, so
    unlocks its people; an administrator unlocks anyone."""
    if roles.is_portal_admin(user):
        return True
    return (
        roles.is_spoc(user)
        and account.organisation_id is not None
        and account.organisation_id == user.organisation_id
    )


def can_unlock_address(user: roles.AnyUser) -> bool:
    """An address may be shared by several organisations' people: administrators only."""
    return roles.is_portal_admin(user)


# The list ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Lockout:
    failures: int
    last_failure_at: datetime

    @property
    def ends_at(self) -> datetime:
        return self.last_failure_at + cool_off()


@dataclass(frozen=True)
class AccountLockout(Lockout):
    account: User


@dataclass(frozen=True)
class AddressLockout(Lockout):
    address: str


def _locked_by(field: str) -> dict[str, tuple[int, datetime]]:
    """{key or address: (failures, last failure)} for every current lockout by `field`."""
    since = timezone.now() - cool_off()
    rows = (
        AccessAttempt.objects.filter(attempt_time__gte=since, **{f"{field}__isnull": False})
        .order_by()
        .values(field)
        .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
        .filter(failures__gte=failure_limit())
    )
    return {row[field]: (row["failures"], row["last"]) for row in rows}


def lockout_list_for_user(*, user: User) -> tuple[list[AccountLockout], list[AddressLockout]]:
    """The accounts this person may unlock that are locked now (an administrator: all; a SPOC:
    their organisation's people), and, for an administrator, the locked addresses. Lockouts of
    addresses with no account are not listed: nobody can sign in with them."""
    if not can_see_lockouts(user):
        return [], []
    locked_keys = _locked_by("username")
    accounts: list[AccountLockout] = []
    if locked_keys:
        people = User.objects.select_related("organisation")
        if not roles.is_portal_admin(user):
            people = people.filter(organisation_id=user.organisation_id)
        for person in people.order_by("full_name", "id"):
            found = locked_keys.get(lockout_key(person.email))
            if found:
                accounts.append(
                    AccountLockout(failures=found[0], last_failure_at=found[1], account=person)
                )
    addresses: list[AddressLockout] = []
    if can_unlock_address(user):
        addresses = [
            AddressLockout(failures=failures, last_failure_at=last, address=address)
            for address, (failures, last) in sorted(_locked_by("ip_address").items())
        ]
    return accounts, addresses


# Unlocking --------------------------------------------------------------------------------------


def account_failures_clear(*, account: User, actor: User | None, why: str) -> bool:
    """Forget the account's failed sign-ins (unlocking it); audited when there were any."""
    cleared = axes_reset(username=lockout_key(account.email))
    if cleared:
        audit.record(
            action=AuditAction.SIGN_IN_UNLOCKED,
            actor=actor,
            receiving_organisation=account.organisation,
            detail=f"{account.email}: {why}",
        )
    return bool(cleared)


@transaction.atomic
def lockout_account_unlock(*, actor: User, public_id: uuid.UUID) -> bool:
    """The SPOC or an administrator unlocks an account; False when it had no failures."""
    account = User.objects.select_related("organisation").get(public_id=public_id)
    if not can_unlock_account(actor, account):
        raise AccessRefused(detail="unlock sign-in")
    return account_failures_clear(
        account=account, actor=actor, why="failed sign-ins cleared, unlocked"
    )


@transaction.atomic
def lockout_address_unlock(*, actor: User, address: str) -> bool:
    """An administrator unlocks an address; False when it had no failures."""
    if not can_unlock_address(actor):
        raise AccessRefused(detail="unlock sign-in address")
    ip = canonical_ip(address)
    if ip is None:
        raise ValueError(ADDRESS_INVALID_MESSAGE)
    cleared = axes_reset(ip=ip)
    if cleared:
        audit.record(
            action=AuditAction.SIGN_IN_UNLOCKED,
            actor=actor,
            detail=f"address {ip}: failed sign-ins cleared, unlocked",
        )
    return bool(cleared)


# Forgotten passwords: the same limits -----------------------------------------------------------


def forgotten_password_detail(account: User) -> str:
    """The audit detail of a forgotten-password link sent: also what the throttle counts."""
    return f"{account.email}: forgotten password"


def password_link_refused(*, account: User | None) -> bool:
    """Too many forgotten-password requests from this address, or links sent to this account,
    within the lockout window: nothing is sent (the page says the same as ever)."""
    since = timezone.now() - cool_off()
    requests = AuditEvent.objects.filter(
        action=AuditAction.PASSWORD_LINK_REQUESTED, occurred_at__gte=since
    )
    context = current_request_context.get()
    ip = canonical_ip(context.ip_address) if context else None
    if ip and requests.filter(ip_address=ip).count() >= failure_limit():
        return True
    return (
        account is not None
        and requests.filter(detail=forgotten_password_detail(account)).count() >= failure_limit()
    )
