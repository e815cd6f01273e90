"""Anchors: the audit chain's head, written out where the database cannot reach it.

The hash chain (trail.verify_chain) finds a row changed or removed behind the portal's back, but
not a rewrite of the whole chain from the changed row on, nor a cut tail. An anchor records the
head as it was (the last event's id and hash, how many events led to it, when), in a new
read-only file; verify_anchor() then finds that the anchored event is gone (a truncated tail),
that its hash changed (an edited row, even with every later hash recomputed) or that fewer events
lead to it (a deleted row). In production the directory is a place the portal cannot rewrite:
an object store with retention, or another host (docs/security.md).
"""

from __future__ import annotations

import datetime
import json
import os
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from governance.audit.models import AuditEvent
from governance.audit.trail import GENESIS_HASH

ANCHOR_PATTERN = "audit-anchor-*.json"


@dataclass(frozen=True)
class Anchor:
    last_event_id: int | None
    last_event_hash: str
    event_count: int
    exported_at: str

    def as_json(self) -> str:
        return json.dumps(self.__dict__, indent=2) + "\n"


def chain_head() -> Anchor:
    """The newest event and how many events lead to it, from one snapshot."""
    with transaction.atomic():
        last = AuditEvent.objects.order_by("-id").values_list("id", "hash").first()
        if last is None:
            return Anchor(None, GENESIS_HASH, 0, timezone.now().isoformat())
        # Appends are serialised and ids handed out in commit order (trail._lock_chain_head), so
        # the count up to the head is the chain's length whatever commits meanwhile.
        count = AuditEvent.objects.filter(id__lte=last[0]).count()
    return Anchor(last[0], last[1], count, timezone.now().isoformat())


def anchor_write(*, directory: Path) -> Path:
    """Write the chain's head to a new file in `directory`, never over an existing one, and make
    it read-only."""
    anchor = chain_head()
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    stamp = datetime.datetime.fromisoformat(anchor.exported_at).strftime("%Y%m%dT%H%M%S%fZ")
    path = directory / f"audit-anchor-{stamp}-{anchor.last_event_id or 0}.json"
    # O_EXCL: an anchor already there is never replaced (FileExistsError instead).
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o444)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(anchor.as_json())
        file.flush()
        os.fsync(file.fileno())
    path.chmod(0o444)
    return path


def anchor_read(path: Path) -> Anchor:
    data = json.loads(path.read_text(encoding="utf-8"))
    return Anchor(
        last_event_id=data["last_event_id"],
        last_event_hash=data["last_event_hash"],
        event_count=data["event_count"],
        exported_at=data["exported_at"],
    )


def anchor_paths(path: Path) -> list[Path]:
    """The anchor at `path`, or every anchor in the directory `path`, oldest first."""
    if path.is_dir():
        return sorted(path.glob(ANCHOR_PATTERN))
    return [path]


def verify_anchor(anchor: Anchor) -> str | None:
    """What the trail no longer agrees with in `anchor`, or None when it still agrees."""
    if anchor.last_event_id is None:
        return None
    stored = (
        AuditEvent.objects.filter(id=anchor.last_event_id).values_list("hash", flat=True).first()
    )
    if stored is None:
        return f"event {anchor.last_event_id} is missing: the trail was cut back"
    if stored != anchor.last_event_hash:
        return f"event {anchor.last_event_id} no longer has its anchored hash: the trail was edited"
    count = AuditEvent.objects.filter(id__lte=anchor.last_event_id).count()
    if count != anchor.event_count:
        return (
            f"{count} events lead to event {anchor.last_event_id}, not {anchor.event_count}: "
            "events were removed or added"
        )
    return None
