"""The audit fails closed (golden rule 7; App. G 9): when its event cannot be written, the action
it records does not happen. The audit store is made to refuse every insert with a trigger (as the
schema's owner on PostgreSQL), then real workflow transitions and services are attempted."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import pytest
from django.db import DatabaseError, connection

from governance.audit.models import AuditEvent
from governance.outbox.models import Email
from requests_app import services, workflow
from requests_app.models import (
    DecisionRecord,
    Disclosure,
    InformationRequest,
    PersonalDetailsAccess,
    Status,
)
from tests import workflow_helpers as wf
from tests.db_roles import as_owner

pytestmark = pytest.mark.django_db

REFUSAL = "the audit store refuses the event"


@pytest.fixture
def request_under_review(alice, met, bob) -> InformationRequest:
    return wf.under_review(alice, met, bob)


@contextlib.contextmanager
def audit_store_refusing() -> Iterator[None]:
    """Every insert into the audit trail fails inside the block (a trigger, added and dropped by
    the owner; the savepoint keeps the test's transaction usable after the failure)."""
    _refusing(True)
    try:
        yield
    finally:
        _refusing(False)


def _refusing(on: bool) -> None:
    with as_owner(), connection.cursor() as cursor:
        if not on:
            on_table = " ON governance_auditevent" if connection.vendor == "postgresql" else ""
            cursor.execute(f"DROP TRIGGER refuse_audit{on_table}")
            return
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE OR REPLACE FUNCTION refuse_audit() RETURNS trigger LANGUAGE plpgsql AS "
                f"$$ BEGIN RAISE EXCEPTION '{REFUSAL}'; END $$"
            )
            cursor.execute(
                "CREATE TRIGGER refuse_audit BEFORE INSERT ON governance_auditevent "
                "FOR EACH ROW EXECUTE FUNCTION refuse_audit()"
            )
        else:
            cursor.execute(
                "CREATE TRIGGER refuse_audit BEFORE INSERT ON governance_auditevent "
                f"BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END"
            )


def test_a_decision_whose_audit_event_fails_is_not_made(alice, met, bob, request_under_review):
    req = request_under_review
    events, emails = AuditEvent.objects.count(), Email.objects.count()
    with audit_store_refusing(), pytest.raises(DatabaseError, match=REFUSAL):
        workflow.transition(
            reference=req.reference,
            action="disclose",
            actor=bob,
            part_b=wf.part_b(signature_name=bob.full_name),
        )
    req.refresh_from_db()
    assert req.status == Status.UNDER_REVIEW
    assert req.decided_at is None
    assert not DecisionRecord.objects.filter(request=req).exists()
    assert not Disclosure.objects.filter(request=req).exists()
    assert AuditEvent.objects.count() == events
    assert Email.objects.count() == emails


def test_a_request_sent_whose_audit_event_fails_stays_a_draft(alice, met):
    req = wf.draft(alice, met)
    events = AuditEvent.objects.count()
    with audit_store_refusing(), pytest.raises(DatabaseError, match=REFUSAL):
        workflow.transition(
            reference=req.reference,
            action="submit",
            actor=alice,
            signature_name=alice.full_name,
        )
    req.refresh_from_db()
    assert req.status == Status.DRAFT
    assert req.received_at is None
    assert req.signed_at is None
    assert AuditEvent.objects.count() == events


def test_a_draft_whose_audit_event_fails_is_not_created(alice, met):
    with audit_store_refusing(), pytest.raises(DatabaseError, match=REFUSAL):
        wf.draft(alice, met)
    assert not InformationRequest.objects.exists()
    assert not AuditEvent.objects.exists()


def test_personal_details_opened_without_an_audit_event_are_not_opened(alice, met, bob, sally):
    req = wf.submitted(alice, met)
    with audit_store_refusing(), pytest.raises(DatabaseError, match=REFUSAL):
        services.personal_details_access_open(
            reference=req.reference, user=sally, reason="Checking the request before assigning."
        )
    assert not PersonalDetailsAccess.objects.filter(request=req).exists()


def test_the_trail_works_again_once_the_store_accepts_events(alice, met, bob):
    with audit_store_refusing(), pytest.raises(DatabaseError, match=REFUSAL):
        wf.draft(alice, met)
    req = wf.under_review(alice, met, bob)
    assert req.status == Status.UNDER_REVIEW
    assert AuditEvent.objects.filter(object_reference=req.reference).count() == 3
