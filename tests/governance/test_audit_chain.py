"""The audit trail is append-only and tamper-evident (issue 4; App. G 9; DPA 2018 s.62)."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator

import pgtrigger
import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from governance.audit import trail as audit
from governance.audit.models import AuditAction, AuditEvent
from tests.db_roles import as_owner

pytestmark = pytest.mark.django_db

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the trigger and advisory lock are PostgreSQL's"
)
TRIGGER = "audit.AuditEvent:audit_append_only"


def record_some(count: int) -> list[AuditEvent]:
    return [
        audit.record(action=AuditAction.SIGNED_IN, detail=f"event {number}")
        for number in range(count)
    ]


@contextlib.contextmanager
def behind_the_portals_back() -> Iterator[None]:
    """What the schema's owner could do: switch the append-only trigger off (the portal's own
    role may not change the table at all: tests/governance/test_database_roles.py)."""
    if connection.vendor == "postgresql":
        with as_owner(), pgtrigger.ignore(TRIGGER):
            yield
    else:
        yield


def raw(sql: str, params: list[object]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


# The chain ----------------------------------------------------------------------------------


def test_each_event_links_to_the_one_before():
    first, second, third = record_some(3)
    assert first.previous_hash == audit.GENESIS_HASH
    assert second.previous_hash == first.hash
    assert third.previous_hash == second.hash
    assert len({first.hash, second.hash, third.hash}) == 3


def test_verify_audit_passes_an_intact_chain(capsys):
    record_some(7)
    call_command("verify_audit", "--batch-size", "3")
    assert "Checked 7 events" in capsys.readouterr().out


def test_verify_audit_passes_an_empty_trail(capsys):
    call_command("verify_audit")
    assert "Checked 0 events" in capsys.readouterr().out


def test_a_malformed_source_address_neither_fails_the_action_nor_breaks_the_chain(client, alice):
    client.post(
        "/sign-in/", {"username": alice.email, "password": "wrong"}, REMOTE_ADDR="not-an-address"
    )
    client.force_login(alice)
    response = client.post("/sign-out/", REMOTE_ADDR="2001:DB8::0:1")
    assert response.status_code == 302
    assert AuditEvent.objects.get(action=AuditAction.SIGN_IN_FAILED).ip_address is None
    assert AuditEvent.objects.get(action=AuditAction.SIGNED_OUT).ip_address == "2001:db8::1"
    call_command("verify_audit")


# Append-only --------------------------------------------------------------------------------


def test_the_application_cannot_change_or_delete_an_event():
    (event,) = record_some(1)
    event.detail = "rewritten"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    assert AuditEvent.objects.get(pk=event.pk).detail == "event 0"


@postgresql_only
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE governance_auditevent SET detail = 'rewritten' WHERE id = %s",
        "DELETE FROM governance_auditevent WHERE id = %s",
    ],
    ids=["update", "delete"],
)
def test_the_database_refuses_update_and_delete(sql):
    """The trigger refuses even the table's owner."""
    (event,) = record_some(1)
    with (
        pytest.raises(DatabaseError, match="Cannot update or delete"),
        as_owner(),
        transaction.atomic(),
    ):
        raw(sql, [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).detail == "event 0"


@postgresql_only
def test_the_database_refuses_a_bulk_update_through_the_orm():
    record_some(2)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.update(detail="rewritten")
    assert not AuditEvent.objects.filter(detail="rewritten").exists()


# Tamper-evident -----------------------------------------------------------------------------


def test_verify_audit_finds_an_edited_row():
    events = record_some(5)
    with behind_the_portals_back():
        raw("UPDATE governance_auditevent SET detail = %s WHERE id = %s", ["nothing", events[2].pk])
    with pytest.raises(CommandError, match=f"broken at event {events[2].pk}: content"):
        call_command("verify_audit")


def test_verify_audit_finds_an_edited_row_whose_hash_was_recomputed():
    events = record_some(5)
    victim = events[2]
    victim.detail = "nothing"
    forged = audit.compute_hash(victim, victim.previous_hash)
    with behind_the_portals_back():
        raw(
            "UPDATE governance_auditevent SET detail = %s, hash = %s WHERE id = %s",
            ["nothing", forged, victim.pk],
        )
    # The forged event matches its hash; the next one no longer follows it.
    with pytest.raises(CommandError, match=f"broken at event {events[3].pk}: previous hash"):
        call_command("verify_audit")


def test_verify_audit_finds_a_deleted_row():
    events = record_some(5)
    with as_owner():
        if connection.vendor == "postgresql":
            raw("SET CONSTRAINTS ALL IMMEDIATE", [])  # no deferred checks pending: ALTER may run
            raw("ALTER TABLE governance_auditevent DISABLE TRIGGER USER", [])
        raw("DELETE FROM governance_auditevent WHERE id = %s", [events[1].pk])
        if connection.vendor == "postgresql":
            raw("ALTER TABLE governance_auditevent ENABLE TRIGGER USER", [])
    with pytest.raises(CommandError, match=f"broken at event {events[2].pk}: previous hash"):
        call_command("verify_audit")


# Concurrent writers -------------------------------------------------------------------------

WRITERS = 4
EVENTS_EACH = 50


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_parallel_writers_never_fork_the_chain():
    start = threading.Barrier(WRITERS)
    failures: list[BaseException] = []

    def write(writer: int) -> None:
        try:
            start.wait()
            for number in range(EVENTS_EACH):
                with transaction.atomic():
                    audit.record(action=AuditAction.SIGNED_IN, detail=f"w{writer} n{number}")
        except BaseException as exc:  # reported to the test's thread below
            failures.append(exc)
        finally:
            connection.close()  # each thread had its own connection

    threads = [threading.Thread(target=write, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    previous = list(AuditEvent.objects.order_by("id").values_list("previous_hash", flat=True))
    assert len(previous) == WRITERS * EVENTS_EACH
    assert len(set(previous)) == len(previous)
    checked, broken = audit.verify_chain()
    assert (checked, broken) == (WRITERS * EVENTS_EACH, None)
