"""Two simultaneous decisions on one request produce exactly one decision (PostgreSQL)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from governance.people.access import AccessRefused
from requests_app import workflow
from requests_app.models import DecisionRecord, Status
from tests import workflow_helpers as wf

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


def test_two_simultaneous_decisions_make_one_record(alice, bob, met):
    req = wf.under_review(alice, met, bob)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def decide(action: str, extra: dict) -> None:
        try:
            barrier.wait()
            workflow.transition(
                reference=req.reference,
                action=action,
                actor=bob,
                part_b=wf.part_b(signature_name=bob.full_name, **extra),
            )
            outcomes.append(action)
        except workflow.TransitionNotAllowed:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=decide, args=("disclose", {})),
        threading.Thread(target=decide, args=("decline", {"decline_reason": "Not necessary"})),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes).count("refused") == 1
    assert DecisionRecord.objects.filter(request=req).count() == 1
    req.refresh_from_db()
    assert req.status in (Status.DISCLOSED, Status.DECLINED)
    record = DecisionRecord.objects.get(request=req)
    assert (record.decision == "share") == (req.status == Status.DISCLOSED)


def test_two_officers_taking_at_once_leave_one_assignee(alice, bob, bea, met):
    req = wf.submitted(alice, met)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def take(officer) -> None:
        try:
            barrier.wait()
            workflow.transition(reference=req.reference, action="take", actor=officer)
            outcomes.append(officer.email)
        except workflow.TransitionNotAllowed:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=take, args=(o,)) for o in (bob, bea)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("refused") == 1
    req.refresh_from_db()
    assert req.assigned_officer.email in outcomes


def test_two_officers_deciding_during_a_reassignment_make_one_record(alice, bob, bea, sally, met):
    """Bob decides while the SPOC reassigns the request to Bea, who decides at once."""
    req = wf.under_review(alice, met, bob)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def bob_decides() -> None:
        try:
            barrier.wait()
            workflow.transition(
                reference=req.reference,
                action="disclose",
                actor=bob,
                part_b=wf.part_b(signature_name=bob.full_name),
            )
            outcomes.append("bob decided")
        except (workflow.TransitionNotAllowed, AccessRefused):
            outcomes.append("bob refused")
        finally:
            connections.close_all()

    def reassign_then_bea_decides() -> None:
        try:
            barrier.wait()
            workflow.transition(reference=req.reference, action="assign", actor=sally, officer=bea)
            workflow.transition(
                reference=req.reference,
                action="disclose",
                actor=bea,
                part_b=wf.part_b(signature_name=bea.full_name),
            )
            outcomes.append("bea decided")
        except (workflow.TransitionNotAllowed, AccessRefused):
            outcomes.append("bea refused")
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=bob_decides),
        threading.Thread(target=reassign_then_bea_decides),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(o.endswith("decided") for o in outcomes) == 1
    assert DecisionRecord.objects.filter(request=req).count() == 1
    record = DecisionRecord.objects.get(request=req)
    assert ("bob decided" in outcomes) == (record.decided_by == bob)
