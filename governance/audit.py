"""The one way to write to the audit trail, and the check that it has not been rewritten.

Every app calls record() inside the same transaction as the action it records (golden rule 7,
App. G 9, DPA 2018 s.62). Events form a hash chain: each stores a SHA-256 over its own content and
the previous event's hash, so a row changed or removed behind the application's back breaks the
chain at that point, and verify_chain() finds it.
"""

from __future__ import annotations

import contextvars
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from governance.models import AuditAction, AuditEvent, Organisation, User

GENESIS_HASH = "0" * 64
# An arbitrary, fixed key for the PostgreSQL advisory lock that serialises appends to the chain.
_CHAIN_LOCK_KEY = 7_402_115_001


@dataclass(frozen=True)
class RequestContext:
    ip_address: str | None
    user_agent: str


current_request_context: contextvars.ContextVar[RequestContext | None] = contextvars.ContextVar(
    "audit_request_context", default=None
)


def _content(event: AuditEvent) -> dict[str, Any]:
    return {
        "occurred_at": event.occurred_at.isoformat(timespec="microseconds"),
        "actor": event.actor_id,
        "actor_name": event.actor_name,
        "actor_organisation": event.actor_organisation_id,
        "action": event.action,
        "object_type": event.object_type,
        "object_reference": event.object_reference,
        "requesting_organisation": event.requesting_organisation_id,
        "receiving_organisation": event.receiving_organisation_id,
        "ip_address": event.ip_address,
        "user_agent": event.user_agent,
        "detail": event.detail,
    }


def compute_hash(event: AuditEvent, previous_hash: str) -> str:
    payload = json.dumps(_content(event), sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(f"{previous_hash}|{payload}".encode()).hexdigest()


def _lock_chain_head() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])
    # SQLite serialises writers itself (one writer per database).


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
    if action not in AuditAction.values:
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
    with transaction.atomic():
        _lock_chain_head()
        previous = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
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
            ip_address=context.ip_address if context else None,
            user_agent=(context.user_agent if context else "")[:300],
            detail=detail[:300],
            previous_hash=previous or GENESIS_HASH,
        )
        event.hash = compute_hash(event, event.previous_hash)
        event.save()
    return event


@dataclass(frozen=True)
class ChainBreak:
    event_id: int
    reason: str


def verify_chain(batch_size: int = 5000) -> tuple[int, ChainBreak | None]:
    """Walk the chain in id order; return how many events were checked and the first break."""
    previous_hash = GENESIS_HASH
    checked = 0
    for event in _iterate_in_order(batch_size):
        if event.previous_hash != previous_hash:
            return checked, ChainBreak(event.id, "previous hash does not match the event before")
        if compute_hash(event, event.previous_hash) != event.hash:
            return checked, ChainBreak(event.id, "content does not match its hash")
        previous_hash = event.hash
        checked += 1
    return checked, None


def _iterate_in_order(batch_size: int) -> Iterator[AuditEvent]:
    last_id = 0
    while True:
        batch = list(AuditEvent.objects.filter(id__gt=last_id).order_by("id")[:batch_size])
        if not batch:
            return
        yield from batch
        last_id = batch[-1].id
