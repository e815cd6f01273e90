"""The one way to write to the audit trail, and the check that it has not been rewritten.

Every app calls record() inside the same transaction as the action it records (golden rule 7,
App. G 9, DPA 2018 s.62). Events form a hash chain: each stores a SHA-256 over its own content and
the previous event's hash, so a row changed or removed behind the application's back breaks the
chain at that point, and verify_chain() finds it.
"""

from __future__ import annotations

import contextvars
import hashlib
import ipaddress
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from governance.audit.models import AuditAction, AuditEvent
from governance.people.models import Organisation, User

GENESIS_HASH = "0" * 64
# An arbitrary, fixed key for the PostgreSQL advisory lock that serialises appends to the chain.
_CHAIN_LOCK_KEY = 7_402_115_001
_ACTIONS = frozenset(AuditAction.values)


@dataclass(frozen=True)
class RequestContext:
    ip_address: str | None
    user_agent: str


current_request_context: contextvars.ContextVar[RequestContext | None] = contextvars.ContextVar(
    "audit_request_context", default=None
)


# The fields a hash covers, in the order verify_chain() reads them.
HASHED_FIELDS = (
    "occurred_at",
    "actor_id",
    "actor_name",
    "actor_organisation_id",
    "action",
    "object_type",
    "object_reference",
    "requesting_organisation_id",
    "receiving_organisation_id",
    "ip_address",
    "user_agent",
    "detail",
)


# json.dumps(content, sort_keys=True, separators=(",", ":"), default=str), with the encoder built
# once rather than per event.
_ENCODER = json.JSONEncoder(sort_keys=True, separators=(",", ":"), default=str)


def content_hash(values: Sequence[Any], previous_hash: str) -> str:
    """SHA-256 over the previous event's hash and this event's content (HASHED_FIELDS order).

    The payload format is fixed: changing it would break every chain already written.
    """
    (
        occurred_at,
        actor_id,
        actor_name,
        actor_organisation_id,
        action,
        object_type,
        object_reference,
        requesting_organisation_id,
        receiving_organisation_id,
        ip_address,
        user_agent,
        detail,
    ) = values
    content = {
        "occurred_at": occurred_at.isoformat(timespec="microseconds"),
        "actor": actor_id,
        "actor_name": actor_name,
        "actor_organisation": actor_organisation_id,
        "action": action,
        "object_type": object_type,
        "object_reference": object_reference,
        "requesting_organisation": requesting_organisation_id,
        "receiving_organisation": receiving_organisation_id,
        "ip_address": ip_address,
        "user_agent": user_agent,
        "detail": detail,
    }
    payload = _ENCODER.encode(content)
    return hashlib.sha256(f"{previous_hash}|{payload}".encode()).hexdigest()


def compute_hash(event: AuditEvent, previous_hash: str) -> str:
    return content_hash([getattr(event, name) for name in HASHED_FIELDS], previous_hash)


def _clean_ip(value: str | None) -> str | None:
    """The address as the database will return it, or None when it is not an IP address.

    A malformed REMOTE_ADDR must not make the audited action fail, and the hash must cover the
    value that is stored (PostgreSQL's inet prints addresses in canonical form)."""
    if not value:
        return None
    try:
        # A zone index ("fe80::1%eth0") is local to the server and not storable as inet.
        address = ipaddress.ip_address(value.strip().split("%")[0])
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return f"::ffff:{address.ipv4_mapped}"
    return str(address)


def _clean_text(value: str, limit: int) -> str:
    # PostgreSQL text cannot hold NUL; headers and details are truncated to their columns.
    return value.replace("\x00", "")[:limit]


def _lock_chain_head() -> str:
    """Take the chain's lock and read its head (the newest event's hash).

    On PostgreSQL the advisory lock is held until the caller's transaction ends, so appends are
    serialised and no two events can follow the same one. The head is read by a statement of its
    own, after the lock is granted: under READ COMMITTED (Django's default) it sees every event
    committed before. Both statements travel in one round trip.
    """
    head = "SELECT hash FROM governance_auditevent ORDER BY id DESC LIMIT 1"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"SELECT pg_advisory_xact_lock(%s); {head}", [_CHAIN_LOCK_KEY])
        else:
            # SQLite (development only) has one writer at a time.
            cursor.execute(head)
        row = cursor.fetchone()
    return row[0] if row else GENESIS_HASH


def record(
    *,
    action: AuditAction | str,
    actor: User | None = None,
    obj: Any = None,
    requesting_organisation: Organisation | None = None,
    receiving_organisation: Organisation | None = None,
    detail: str = "",
) -> AuditEvent:
    """Append one event to the audit trail, in the caller's transaction.

    `obj` may be anything with `audit_reference` (a human reference) and optionally
    `audit_organisations` (requesting, receiving). The subject's name is never recorded.
    """
    if action not in _ACTIONS:
        raise ValueError(f"Unknown audit action: {action}")
    context = current_request_context.get()
    object_type = ""
    object_reference = ""
    if obj is not None:
        object_type = obj._meta.model_name
        object_reference = obj.audit_reference
        if hasattr(obj, "audit_organisations"):
            requesting, receiving = obj.audit_organisations
            requesting_organisation = requesting_organisation or requesting
            receiving_organisation = receiving_organisation or receiving
    actor = actor if actor is not None and actor.is_authenticated else None
    # No savepoint: if the event cannot be written, the caller's whole transaction must fail.
    with transaction.atomic(savepoint=False):
        previous_hash = _lock_chain_head()
        event = AuditEvent(
            occurred_at=timezone.now(),
            actor=actor,
            actor_name=actor.full_name if actor else "",
            actor_organisation_id=actor.organisation_id if actor else None,
            action=str(action),
            object_type=object_type,
            object_reference=object_reference,
            requesting_organisation=requesting_organisation,
            receiving_organisation=receiving_organisation,
            ip_address=_clean_ip(context.ip_address) if context else None,
            user_agent=_clean_text(context.user_agent, 300) if context else "",
            detail=_clean_text(detail, 300),
            previous_hash=previous_hash,
        )
        event.hash = compute_hash(event, event.previous_hash)
        event.save()
    return event


@dataclass(frozen=True)
class ChainBreak:
    event_id: int
    reason: str


def verify_chain(batch_size: int = 5000) -> tuple[int, ChainBreak | None]:
    """Walk the chain in id order; return how many events were checked and the first break.

    Reads plain tuples in keyset batches (no model instances), so memory stays flat and a
    million events take seconds (docs/performance.md)."""
    previous_hash = GENESIS_HASH
    checked = 0
    for event_id, values, stored_previous, stored_hash in _iterate_in_order(batch_size):
        if stored_previous != previous_hash:
            return checked, ChainBreak(event_id, "previous hash does not match the event before")
        if content_hash(values, stored_previous) != stored_hash:
            return checked, ChainBreak(event_id, "content does not match its hash")
        previous_hash = stored_hash
        checked += 1
    return checked, None


def _iterate_in_order(batch_size: int) -> Iterator[tuple[int, tuple[Any, ...], str, str]]:
    columns = ("id", *HASHED_FIELDS, "previous_hash", "hash")
    last_id = 0
    while True:
        batch = list(
            AuditEvent.objects.filter(id__gt=last_id)
            .order_by("id")
            .values_list(*columns)[:batch_size]
        )
        if not batch:
            return
        for row in batch:
            yield row[0], row[1:-2], row[-2], row[-1]
        last_id = batch[-1][0]
