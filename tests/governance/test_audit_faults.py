"""Faults (issue 18): the database connection is cut (pg_terminate_backend from a second
connection) in the middle of a decision and in the middle of an audit append. Nothing partial is
stored, the chain still verifies, and the next request succeeds on a new connection.

The cut is placed with the audit chain's own lock (trail._lock_chain_head): held by the second
connection, it stops a decision after its writes and before its audit event; held by the victim,
it shows an append caught between its statements and its commit."""

from __future__ import annotations

import contextlib
import sys
import threading
import time
from collections.abc import Callable, Iterator

import psycopg2
import pytest
from django.core.management import call_command
from django.db import Error, close_old_connections, connection, transaction
from django.urls import reverse

from governance.audit import trail as audit
from governance.audit.models import AuditAction, AuditEvent
from requests_app import workflow
from requests_app.models import DecisionRecord, Disclosure, Status
from tests import workflow_helpers as wf

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="pg_terminate_backend is PostgreSQL's"
    ),
]


@contextlib.contextmanager
def second_connection() -> Iterator[psycopg2.extensions.cursor]:
    """A connection of the test's own, outside Django, as the session user of the suite."""
    s = connection.settings_dict
    conn = psycopg2.connect(
        host=s["HOST"], port=s["PORT"], user=s["USER"], password=s["PASSWORD"], dbname=s["NAME"]
    )
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            yield cursor
    finally:
        conn.close()


def backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def wait_for(cursor, sql: str, params: list[object], timeout: float = 10.0) -> list[tuple]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        cursor.execute(sql, params)
        if rows := cursor.fetchall():
            return rows
        time.sleep(0.005)
    raise AssertionError(f"timed out waiting for: {sql}")


def in_thread(target: Callable[[], None]) -> Callable[[], None]:
    failures: list[BaseException] = []

    def run() -> None:
        try:
            target()
        except BaseException as error:  # reported to the test's thread by join()
            failures.append(error)

    thread = threading.Thread(target=run)
    thread.start()

    def join() -> None:
        thread.join(30)
        assert not thread.is_alive()
        assert failures == []

    return join


def report(figures: dict[str, float], capsys) -> None:
    with capsys.disabled():
        line = ", ".join(f"{name} {value:.1f} ms" for name, value in figures.items())
        sys.stdout.write(f"\n  [fault figures] {line}\n")


def page(client, user, req):
    client.force_login(user)
    return client.get(reverse("requests_app:detail", args=[req.reference]))


def the_next_request_succeeds(client, user, req, victim: int) -> float:
    close_old_connections()  # what Django does as every request starts and ends
    client.force_login(user)
    began = time.perf_counter()
    response = client.get(reverse("requests_app:detail", args=[req.reference]))
    took = (time.perf_counter() - began) * 1000
    assert response.status_code == 200
    assert backend_pid() != victim
    return took


def test_a_decision_cut_off_before_its_audit_event_leaves_nothing(alice, met, bob, client, capsys):
    req = wf.under_review(alice, met, bob)
    assert page(client, alice, req).status_code == 200  # warm: the figure below is the fault's
    began = time.perf_counter()
    assert page(client, alice, req).status_code == 200
    before = (time.perf_counter() - began) * 1000
    events = AuditEvent.objects.count()
    victim = backend_pid()
    seen: dict[str, object] = {}
    with second_connection() as other:
        # The chain's lock held elsewhere: the decision writes, then waits to append its event.
        other.execute("SELECT pg_advisory_lock(%s)", [audit._CHAIN_LOCK_KEY])

        def cut() -> None:
            wait_for(
                other,
                "SELECT 1 FROM pg_locks WHERE pid = %s AND locktype = 'advisory' AND NOT granted",
                [victim],
            )
            other.execute(
                "SELECT relation::regclass::text FROM pg_locks "
                "WHERE pid = %s AND mode = 'RowExclusiveLock' AND relation IS NOT NULL",
                [victim],
            )
            seen["written"] = {row[0] for row in other.fetchall()}
            seen["cut_at"] = time.perf_counter()
            other.execute("SELECT pg_terminate_backend(%s)", [victim])
            other.execute("SELECT pg_advisory_unlock(%s)", [audit._CHAIN_LOCK_KEY])

        join = in_thread(cut)
        with pytest.raises(Error):
            workflow.transition(
                reference=req.reference,
                action="disclose",
                actor=bob,
                part_b=wf.part_b(signature_name=bob.full_name),
            )
        noticed = (time.perf_counter() - seen["cut_at"]) * 1000
        join()
    # The decision had been written when the connection was cut.
    assert {"requests_app_disclosure", "requests_app_decisionrecord"} <= seen["written"]

    close_old_connections()
    req.refresh_from_db()
    assert req.status == Status.UNDER_REVIEW
    assert not DecisionRecord.objects.filter(request=req).exists()
    assert not Disclosure.objects.filter(request=req).exists()
    assert AuditEvent.objects.count() == events
    call_command("verify_audit", stdout=open("/dev/null", "w"))  # noqa: SIM115

    next_request = the_next_request_succeeds(client, alice, req, victim)
    began = time.perf_counter()
    wf_decided = workflow.transition(
        reference=req.reference,
        action="disclose",
        actor=bob,
        part_b=wf.part_b(signature_name=bob.full_name),
    )
    decided = (time.perf_counter() - began) * 1000
    assert wf_decided.status == Status.DISCLOSED
    assert DecisionRecord.objects.filter(request=req).count() == 1
    call_command("verify_audit", stdout=open("/dev/null", "w"))  # noqa: SIM115
    report(
        {
            "the page before the fault": before,
            "decision cut -> error seen": noticed,
            "next request (new connection)": next_request,
            "the decision again": decided,
        },
        capsys,
    )


def test_an_audit_append_cut_off_before_its_commit_leaves_nothing(alice, met, bob, client, capsys):
    req = wf.submitted(alice, met)
    assert page(client, alice, req).status_code == 200  # warm: the figure below is the fault's
    began = time.perf_counter()
    assert page(client, alice, req).status_code == 200
    before = (time.perf_counter() - began) * 1000
    events = AuditEvent.objects.count()
    victim = backend_pid()
    seen: dict[str, float] = {}
    with second_connection() as other:
        appended = threading.Event()

        def cut() -> None:
            assert appended.wait(10)
            # The victim holds the chain's lock, its event written and not committed.
            wait_for(
                other,
                "SELECT 1 FROM pg_locks WHERE pid = %s AND locktype = 'advisory' AND granted",
                [victim],
            )
            seen["cut_at"] = time.perf_counter()
            other.execute("SELECT pg_terminate_backend(%s)", [victim])
            # The lock dies with the connection: another append may follow at once.
            other.execute("SELECT pg_advisory_lock(%s)", [audit._CHAIN_LOCK_KEY])
            seen["lock_free_after"] = (time.perf_counter() - seen["cut_at"]) * 1000
            other.execute("SELECT pg_advisory_unlock(%s)", [audit._CHAIN_LOCK_KEY])

        def take_then_continue() -> None:
            with transaction.atomic():
                workflow.transition(reference=req.reference, action="take", actor=bob)
                appended.set()
                join()
                # The next statement (and the commit) find the connection gone.
                backend_pid()

        join = in_thread(cut)
        with pytest.raises(Error):
            take_then_continue()
        noticed = (time.perf_counter() - seen["cut_at"]) * 1000

    close_old_connections()
    req.refresh_from_db()
    assert req.status == Status.SUBMITTED
    assert req.assigned_officer_id is None
    assert AuditEvent.objects.count() == events
    call_command("verify_audit", stdout=open("/dev/null", "w"))  # noqa: SIM115

    next_request = the_next_request_succeeds(client, alice, req, victim)
    began = time.perf_counter()
    audit.record(action=AuditAction.SIGNED_IN, actor=bob)
    appended_again = (time.perf_counter() - began) * 1000
    taken = workflow.transition(reference=req.reference, action="take", actor=bob)
    assert taken.status == Status.UNDER_REVIEW
    call_command("verify_audit", stdout=open("/dev/null", "w"))  # noqa: SIM115
    report(
        {
            "the page before the fault": before,
            "append cut -> chain lock free": seen["lock_free_after"],
            "cut -> error seen": noticed,
            "next request (new connection)": next_request,
            "next append": appended_again,
        },
        capsys,
    )
