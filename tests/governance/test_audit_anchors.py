"""Anchors of the audit chain's head (issue 18): exported daily to files nobody rewrites, they find
what the hash chain alone cannot: a cut tail, and an edit or a deletion with every later hash
recomputed. The tampering is done with raw SQL as the schema's owner, the portal's own role may
not do it at all (tests/governance/test_database_roles.py)."""

from __future__ import annotations

import contextlib
import datetime
import json
import stat
from collections.abc import Iterator
from pathlib import Path

import pgtrigger
import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import connection

from governance.audit import trail as audit
from governance.audit.anchors import anchor_read, anchor_write, verify_anchor
from governance.audit.models import AuditAction, AuditEvent
from governance.audit.tasks import export_audit_anchor
from isp_portal.schedules import SCHEDULES
from tests.db_roles import as_owner

pytestmark = pytest.mark.django_db


def record_some(count: int) -> list[AuditEvent]:
    return [audit.record(action=AuditAction.SIGNED_IN, detail=f"event {n}") for n in range(count)]


@contextlib.contextmanager
def as_the_owner_behind_the_portals_back() -> Iterator[None]:
    with as_owner(), pgtrigger.ignore("audit.AuditEvent:audit_append_only"):
        yield


def raw(sql: str, params: list[object]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def rechain_from(event_id: int) -> None:
    """Recompute every hash from `event_id` on, as a forger who knows the format would."""
    previous = (
        AuditEvent.objects.filter(id__lt=event_id).order_by("-id").values_list("hash", flat=True)
    ).first() or audit.GENESIS_HASH
    rows = AuditEvent.objects.filter(id__gte=event_id).order_by("id")
    for row_id, *values in rows.values_list("id", *audit.HASHED_FIELDS):
        new_hash = audit.content_hash(values, previous)
        raw(
            "UPDATE governance_auditevent SET previous_hash = %s, hash = %s WHERE id = %s",
            [previous, new_hash, row_id],
        )
        previous = new_hash


@pytest.fixture
def anchors(settings, tmp_path) -> Path:
    settings.AUDIT_ANCHOR_DIR = tmp_path / "anchors"
    return settings.AUDIT_ANCHOR_DIR


def verify(anchor: Path | None = None) -> None:
    args = ["--anchor", str(anchor)] if anchor is not None else []
    call_command("verify_audit", *args, stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_the_anchor_is_exported_daily():
    (anchor,) = [p for p in SCHEDULES if p.func == "governance.audit.tasks.export_audit_anchor"]
    minute, hour, *every_day = anchor.cron.split()
    assert every_day == ["*", "*", "*"]
    assert minute.isdigit()
    assert hour.isdigit()


def test_the_task_writes_the_chain_head_to_a_new_read_only_file(anchors):
    events = record_some(3)
    path = Path(export_audit_anchor())
    assert path.parent == anchors
    data = json.loads(path.read_text())
    assert data["last_event_id"] == events[-1].pk
    assert data["last_event_hash"] == events[-1].hash
    assert data["event_count"] == 3
    assert datetime.datetime.fromisoformat(data["exported_at"])
    assert stat.S_IMODE(path.stat().st_mode) == 0o444
    record_some(1)
    second = Path(export_audit_anchor())
    assert second != path
    assert json.loads(second.read_text())["event_count"] == 4
    assert json.loads(path.read_text())["event_count"] == 3


def test_an_anchor_is_never_written_over(anchors):
    record_some(1)
    with time_machine.travel(
        datetime.datetime(2026, 12, 1, 0, 30, tzinfo=datetime.UTC), tick=False
    ):
        path = anchor_write(directory=anchors)
        with pytest.raises(FileExistsError):
            anchor_write(directory=anchors)
    assert json.loads(path.read_text())["event_count"] == 1


def test_an_intact_trail_matches_every_anchor(anchors, capsys):
    verify_empty = anchor_write(directory=anchors)  # an anchor of the empty trail
    record_some(3)
    anchor_write(directory=anchors)
    record_some(2)
    anchor_write(directory=anchors)
    call_command("verify_audit", "--anchor", str(anchors))
    assert "3 anchor(s) match the trail." in capsys.readouterr().out
    call_command("verify_audit", "--anchor", str(verify_empty))


def test_a_missing_anchor_is_an_error(anchors):
    with pytest.raises(CommandError, match="No anchor"):
        verify(anchors / "nothing.json")
    anchors.mkdir()
    with pytest.raises(CommandError, match="No anchors"):
        verify(anchors)


def test_a_truncated_tail_is_found(anchors):
    events = record_some(5)
    anchor = anchor_write(directory=anchors)
    with as_the_owner_behind_the_portals_back():
        raw("DELETE FROM governance_auditevent WHERE id >= %s", [events[3].pk])
    verify()  # what is left is a perfect chain
    with pytest.raises(CommandError, match=f"event {events[4].pk} is missing"):
        verify(anchor)


def test_an_edited_row_with_every_later_hash_recomputed_is_found(anchors):
    events = record_some(5)
    anchor_write(directory=anchors)
    with as_the_owner_behind_the_portals_back():
        raw("UPDATE governance_auditevent SET detail = %s WHERE id = %s", ["none", events[1].pk])
        rechain_from(events[1].pk)
    verify()
    with pytest.raises(CommandError, match=f"event {events[4].pk} no longer has its anchored hash"):
        verify(anchors)


def test_a_deleted_middle_row_is_found(anchors):
    events = record_some(5)
    anchor = anchor_write(directory=anchors)
    with as_the_owner_behind_the_portals_back():
        raw("DELETE FROM governance_auditevent WHERE id = %s", [events[2].pk])
    # The chain alone finds a plain deletion; the anchor too.
    with pytest.raises(CommandError, match=f"broken at event {events[3].pk}"):
        verify()
    with as_the_owner_behind_the_portals_back():
        rechain_from(events[3].pk)
    verify()
    with pytest.raises(CommandError, match="does not match anchor"):
        verify(anchor)


def test_a_deleted_middle_row_is_counted_even_when_the_head_keeps_its_hash(anchors):
    """The anchor's own check, whatever the chain says: its head kept its hash, one row fewer."""
    events = record_some(5)
    anchor = anchor_write(directory=anchors)
    with as_the_owner_behind_the_portals_back():
        raw("DELETE FROM governance_auditevent WHERE id = %s", [events[2].pk])
        raw(
            "UPDATE governance_auditevent SET hash = %s WHERE id = %s",
            [events[4].hash, events[4].pk],
        )
    assert verify_anchor(anchor_read(anchor)) == (
        f"4 events lead to event {events[4].pk}, not 5: events were removed or added"
    )
