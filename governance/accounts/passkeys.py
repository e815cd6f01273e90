"""Passkeys (WebAuthn credentials, through django-otp-webauthn): a second factor beside the
authenticator app. A person's list of passkeys, the rule for removing one, and the writes, each
audited in the same transaction. The WebAuthn ceremonies themselves are the library's, wrapped in
governance.accounts.passkey_views."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django_otp import devices_for_user
from django_otp.models import Device
from django_otp_webauthn.models import WebAuthnCredential

from governance.accounts.second_factor import is_primary_device
from governance.audit import trail as audit
from governance.audit.models import AuditAction
from governance.people.models import User

NAME_MAX_LENGTH = 64  # django-otp's Device.name

ONLY_METHOD_MESSAGE = (
    "You cannot remove your only way to confirm it is you. Add another passkey or set up an "
    "authenticator app first."
)
IN_USE_MESSAGE = (
    "You confirmed it was you with this passkey when you signed in. To remove it, sign out and "
    "sign in again with another passkey or your authenticator app."
)


class PasskeyNotRemoved(Exception):
    """A rule refuses the removal; the message says why, in words the person can act on."""


def passkey_reference(passkey: WebAuthnCredential) -> str:
    """The passkey's fingerprint (SHA-256 of its credential id): names it in URLs, where database
    ids never appear. Not a secret: browsers are told credential ids."""
    return passkey.credential_id_sha256


def _audit_detail(passkey: WebAuthnCredential) -> str:
    return f"passkey {passkey.credential_id_sha256[:16]}"


def passkey_list_for_user(*, user: User) -> QuerySet[WebAuthnCredential]:
    return WebAuthnCredential.objects.filter(user=user, confirmed=True).order_by("created_at", "id")


def passkey_by_reference(*, reference: str) -> WebAuthnCredential:
    """The passkey with this fingerprint, whoever it belongs to (the caller checks the owner)."""
    return WebAuthnCredential.objects.get(credential_id_sha256=reference)


def _is_session_device(passkey: WebAuthnCredential, session_device: Device | None) -> bool:
    return isinstance(session_device, WebAuthnCredential) and session_device.pk == passkey.pk


def unmet_for_removal(*, passkey: WebAuthnCredential, session_device: Device | None) -> list[str]:
    """Why this passkey may not be removed now (empty when it may).

    A person keeps at least one way to confirm it is them, so that the next sign-in is not a
    password alone; and the passkey that confirmed this session stays until the person has
    confirmed it is them another way, so that removing it does not end the session half-way.
    """
    problems = []
    others = [
        device
        for device in devices_for_user(passkey.user, confirmed=True)
        if is_primary_device(device)
        and not (isinstance(device, WebAuthnCredential) and device.pk == passkey.pk)
    ]
    if not others:
        problems.append(ONLY_METHOD_MESSAGE)
    if _is_session_device(passkey, session_device):
        problems.append(IN_USE_MESSAGE)
    return problems


def passkey_added(*, actor: User, passkey: WebAuthnCredential, name: str) -> WebAuthnCredential:
    """Name a passkey the library has just registered for `actor`, and audit it, in the
    registration's transaction."""
    if passkey.user_id != actor.pk:
        raise PermissionDenied("A passkey is added only to one's own account")
    passkey.name = name[:NAME_MAX_LENGTH]
    passkey.save(update_fields=["name"])
    audit.record(action=AuditAction.PASSKEY_ADDED, actor=actor, detail=_audit_detail(passkey))
    return passkey


@transaction.atomic
def passkey_remove(*, actor: User, reference: str, session_device: Device | None) -> None:
    passkey = WebAuthnCredential.objects.select_for_update().get(credential_id_sha256=reference)
    if passkey.user_id != actor.pk:
        raise PermissionDenied("A passkey is removed only from one's own account")
    if problems := unmet_for_removal(passkey=passkey, session_device=session_device):
        raise PasskeyNotRemoved(" ".join(problems))
    detail = _audit_detail(passkey)
    passkey.delete()
    audit.record(action=AuditAction.PASSKEY_REMOVED, actor=actor, detail=detail)


def passkey_used(*, actor: User, passkey: WebAuthnCredential) -> None:
    audit.record(action=AuditAction.PASSKEY_USED, actor=actor, detail=_audit_detail(passkey))


def passkey_refused(*, actor: User | None, reason: str) -> None:
    """A passkey not accepted at sign-in: `reason` is the library's error code, never the data
    the browser sent."""
    audit.record(
        action=AuditAction.SECOND_FACTOR_FAILED,
        actor=actor,
        detail=f"passkey not accepted ({reason[:60]})",
    )
