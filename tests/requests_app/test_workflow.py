"""The transition table: every legal edge passes, every other source state is refused."""

from __future__ import annotations

import pytest
from django.db.models import Model

from governance.audit.models import AuditAction, AuditEvent
from governance.people.access import AccessRefused
from requests_app import workflow
from requests_app.models import DecisionRecord, Disclosure, InformationRequest, Status
from tests import workflow_helpers as wf

pytestmark = pytest.mark.django_db


def _force_status(req: InformationRequest, status: Status) -> None:
    # Tests place a request in a state directly to probe the table; the app never does.
    InformationRequest.objects.filter(pk=req.pk).update(status=status)


def _data_for(action: str, actor, bob) -> dict:
    if action == "submit":
        return {"signature_name": actor.full_name}
    if action == "provide_more_information":
        return {"signature_name": actor.full_name, "reply": "Dates from January 2026."}
    if action == "give_back":
        return {"reason": "I know the person named in this request."}
    if action == "assign":
        return {"officer": bob}
    if action == "request_more_information":
        return {"note": "Which dates do you need?"}
    if action in ("disclose", "decline"):
        return {
            "part_b": wf.part_b(
                signature_name=actor.full_name,
                decline_reason="Not necessary for the purpose stated",
            )
        }
    return {}


def _actor_for(action: str, alice, bob, sally):
    if action in ("submit", "provide_more_information", "withdraw", "close"):
        return alice
    if action == "assign":
        return sally
    return bob


@pytest.mark.parametrize("action", list(workflow.TRANSITIONS))
@pytest.mark.parametrize("status", list(Status))
def test_transition_table(action, status, alice, bob, sally, met):
    req = wf.under_review(alice, met, bob)
    _force_status(req, status)
    actor = _actor_for(action, alice, bob, sally)
    t = workflow.TRANSITIONS[action]
    if status in t.source:
        result = workflow.transition(
            reference=req.reference, action=action, actor=actor, **_data_for(action, actor, bob)
        )
        assert result.status == t.target
        last = AuditEvent.objects.filter(object_reference=req.reference).order_by("-id").first()
        assert last.action == t.audit_action
        assert last.actor == actor
    else:
        with pytest.raises(workflow.TransitionNotAllowed):
            workflow.transition(
                reference=req.reference, action=action, actor=actor, **_data_for(action, actor, bob)
            )
        req.refresh_from_db()
        assert req.status == status


def test_unknown_action_fails_closed(alice, met):
    req = wf.draft(alice, met)
    with pytest.raises(KeyError):
        workflow.transition(reference=req.reference, action="approve_everything", actor=alice)


def test_requester_cannot_decide_own_request(alice, bob, met):
    req = wf.under_review(alice, met, bob)
    with pytest.raises(AccessRefused):
        workflow.transition(
            reference=req.reference,
            action="disclose",
            actor=alice,
            part_b=wf.part_b(signature_name=alice.full_name),
        )
    req.refresh_from_db()
    assert req.status == Status.UNDER_REVIEW
    assert not DecisionRecord.objects.exists()


def test_unassigned_discloser_cannot_decide(alice, bob, bea, met):
    req = wf.under_review(alice, met, bob)
    with pytest.raises(AccessRefused):
        workflow.transition(
            reference=req.reference,
            action="disclose",
            actor=bea,
            part_b=wf.part_b(signature_name=bea.full_name),
        )
    assert not DecisionRecord.objects.exists()


def test_discloser_of_another_organisation_cannot_take(alice, charlie, met):
    req = wf.submitted(alice, met)
    with pytest.raises(AccessRefused):
        workflow.transition(reference=req.reference, action="take", actor=charlie)
    req.refresh_from_db()
    assert req.status == Status.SUBMITTED
    assert req.assigned_officer is None


def test_submit_refused_when_incomplete(alice, met):
    req = wf.draft(alice, met)
    # A draft saved before the rule held: the services no longer save one.
    InformationRequest.objects.filter(pk=req.pk).update(
        public_interest="", public_interest_reason=""
    )
    with pytest.raises(workflow.TransitionNotAllowed, match="public interest"):
        workflow.transition(
            reference=req.reference, action="submit", actor=alice, signature_name=alice.full_name
        )
    req.refresh_from_db()
    assert req.status == Status.DRAFT
    assert req.received_at is None


def test_submit_records_signature_and_received_date(alice, met):
    req = wf.submitted(alice, met)
    assert req.signature_name == alice.full_name
    assert req.signed_by == alice
    assert req.received_at is not None


def test_disclosure_requires_every_check(alice, bob, met):
    req = wf.under_review(alice, met, bob)
    with pytest.raises(workflow.TransitionNotAllowed, match="Confirm every check"):
        workflow.transition(
            reference=req.reference,
            action="disclose",
            actor=bob,
            part_b=wf.part_b(check_secure=False, signature_name=bob.full_name),
        )
    assert not Disclosure.objects.exists()


def test_decision_record_has_nine_fields_copied_at_decision_time(alice, bob, met):
    req = wf.disclosed(alice, met, bob)
    alice.job_title = "Changed later"
    alice.save()
    record = DecisionRecord.objects.get(request=req)
    fields = record.nine_fields()
    assert [letter for letter, _, _ in fields] == list("abcdefghi")
    assert record.requester_job_title == "ASB Case Officer"
    assert record.requester_organisation == req.requesting_organisation.name
    assert record.decision == "share"
    assert record.with_consent is False
    assert record.subject_informed == "no"
    assert "prejudice" in record.subject_not_informed_reason
    assert record.information_type == "Police incident summaries"
    assert record.sharing_method == "Through the portal"
    assert all(value for _, _, value in fields)


def test_decline_also_produces_a_record(alice, bob, met):
    req = wf.under_review(alice, met, bob)
    workflow.transition(
        reference=req.reference,
        action="decline",
        actor=bob,
        part_b=wf.part_b(decline_reason="Not necessary", signature_name=bob.full_name),
    )
    record = DecisionRecord.objects.get(request=req)
    assert record.decision == "decline"
    assert record.reasons == "Not necessary"
    assert record.sharing_method == ""


@pytest.mark.parametrize("model", [DecisionRecord, AuditEvent])
def test_records_cannot_be_changed_or_deleted(model: type[Model], alice, bob, met):
    wf.disclosed(alice, met, bob)
    obj = model.objects.first()
    with pytest.raises(PermissionError):
        obj.save()
    with pytest.raises(PermissionError):
        obj.delete()


def test_reassign_moves_the_permission(alice, bob, bea, sally, met):
    req = wf.under_review(alice, met, bob)
    workflow.transition(reference=req.reference, action="assign", actor=sally, officer=bea)
    req = InformationRequest.objects.get(pk=req.pk)
    from governance.people.models import User

    bob = User.objects.get(pk=bob.pk)  # a fresh object: guardian caches on the user
    bea = User.objects.get(pk=bea.pk)
    assert not bob.has_perm("requests_app.decide_request", req)
    assert bea.has_perm("requests_app.decide_request", req)
    assert AuditEvent.objects.filter(action=AuditAction.REQUEST_REASSIGNED).count() == 1


def test_assign_refuses_officer_of_another_organisation(alice, charlie, sally, met):
    req = wf.submitted(alice, met)
    with pytest.raises(workflow.TransitionNotAllowed):
        workflow.transition(reference=req.reference, action="assign", actor=sally, officer=charlie)
