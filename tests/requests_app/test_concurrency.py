"""Two simultaneous decisions on one request produce exactly one decision (PostgreSQL)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

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
