"""transition() holds a call from anywhere to the rules the pages enforce: refused, and nothing
written."""

from __future__ import annotations

import pytest

from governance.audit.models import AuditEvent
from requests_app import rules, workflow
from requests_app.models import DecisionRecord, Disclosure, InformationRequest, Status
from tests import workflow_helpers as wf
from ui.problems import Problem

pytestmark = pytest.mark.django_db


def _events(req: InformationRequest) -> int:
    return AuditEvent.objects.filter(object_reference=req.reference).count()


def _assert_nothing_decided(req: InformationRequest, events_before: int) -> None:
    req.refresh_from_db()
    assert req.status == Status.UNDER_REVIEW
    assert req.decided_at is None
    assert not Disclosure.objects.exists()
    assert not DecisionRecord.objects.exists()
    assert _events(req) == events_before


def test_disclose_with_empty_reasons_type_and_signature_is_refused(alice, bob, met):
    req = wf.under_review(alice, met, bob)
    before = _events(req)
    part_b = wf.part_b(decision_reasons="", information_type="", signature_name="")
    with pytest.raises(workflow.TransitionNotAllowed) as refused:
        workflow.transition(reference=req.reference, action="disclose", actor=bob, part_b=part_b)
    assert refused.value.problems == [
        Problem("decision_reasons", rules.DECISION_REASONS_MISSING),
        Problem("information_type", rules.INFORMATION_TYPE_MISSING),
        Problem("signature_name", rules.SIGNATURE_MISSING),
    ]
    assert str(refused.value) == "; ".join(
        [rules.DECISION_REASONS_MISSING, rules.INFORMATION_TYPE_MISSING, rules.SIGNATURE_MISSING]
    )
    _assert_nothing_decided(req, before)


def test_decline_with_an_empty_reason_is_refused(alice, bob, met):
    req = wf.under_review(alice, met, bob)
    before = _events(req)
    part_b = wf.part_b(decline_reason="  ", signature_name=bob.full_name)
    with pytest.raises(workflow.TransitionNotAllowed) as refused:
        workflow.transition(reference=req.reference, action="decline", actor=bob, part_b=part_b)
    assert refused.value.problems == [Problem("decline_reason", rules.DECLINE_REASON_MISSING)]
    _assert_nothing_decided(req, before)


@pytest.mark.parametrize("action", ["disclose", "decline"])
def test_a_decision_signed_with_another_name_is_refused(action, alice, bob, met):
    req = wf.under_review(alice, met, bob)
    before = _events(req)
    part_b = wf.part_b(decline_reason="Not necessary", signature_name="Bea Black")
    with pytest.raises(workflow.TransitionNotAllowed) as refused:
        workflow.transition(reference=req.reference, action=action, actor=bob, part_b=part_b)
    assert refused.value.problems == [Problem("signature_name", rules.SIGNATURE_MISMATCH)]
    _assert_nothing_decided(req, before)


def test_a_decision_with_a_field_that_is_not_part_b_is_refused(alice, bob, met):
    req = wf.under_review(alice, met, bob)
    before = _events(req)
    part_b = wf.part_b(signature_name=bob.full_name) | {"disclosed_by_id": alice.pk}
    with pytest.raises(ValueError, match="disclosed_by_id"):
        workflow.transition(reference=req.reference, action="disclose", actor=bob, part_b=part_b)
    _assert_nothing_decided(req, before)


def test_submit_signed_with_another_name_is_refused(alice, met):
    req = wf.draft(alice, met)
    before = _events(req)
    with pytest.raises(workflow.TransitionNotAllowed) as refused:
        workflow.transition(
            reference=req.reference, action="submit", actor=alice, signature_name="Colin Cole"
        )
    assert refused.value.problems == [Problem("signature_name", rules.SIGNATURE_MISMATCH)]
    req.refresh_from_db()
    assert req.status == Status.DRAFT
    assert req.signed_by is None
    assert req.received_at is None
    assert _events(req) == before


def test_submit_is_refused_on_the_same_problems_the_form_shows(alice, met):
    req = wf.draft(alice, met)
    # A draft saved before the rule held (the app never saves one without a reason).
    InformationRequest.objects.filter(pk=req.pk).update(is_urgent=True, urgency_reason="")
    with pytest.raises(workflow.TransitionNotAllowed) as refused:
        workflow.transition(
            reference=req.reference, action="submit", actor=alice, signature_name=alice.full_name
        )
    assert refused.value.problems == [Problem("urgency_reason", rules.URGENCY_REASON_MISSING)]
    req.refresh_from_db()
    assert req.status == Status.DRAFT


@pytest.mark.parametrize("value", ["False", "0", "no"])
def test_disclose_with_a_check_given_as_a_truthy_string_is_refused(value, alice, bob, met):
    req = wf.under_review(alice, met, bob)
    before = _events(req)
    part_b = wf.part_b(signature_name=bob.full_name, check_necessary=value)
    with pytest.raises(workflow.TransitionNotAllowed) as refused:
        workflow.transition(reference=req.reference, action="disclose", actor=bob, part_b=part_b)
    assert refused.value.problems == [Problem("checks", rules.CHECKS_UNCONFIRMED)]
    _assert_nothing_decided(req, before)


def test_disclose_with_a_delivery_method_outside_the_list_is_refused(alice, bob, met):
    req = wf.under_review(alice, met, bob)
    before = _events(req)
    part_b = wf.part_b(signature_name=bob.full_name, delivery_method="pigeon")
    with pytest.raises(workflow.TransitionNotAllowed) as refused:
        workflow.transition(reference=req.reference, action="disclose", actor=bob, part_b=part_b)
    assert refused.value.problems == [Problem("delivery_method", rules.DELIVERY_METHOD_MISSING)]
    _assert_nothing_decided(req, before)


@pytest.mark.parametrize("action", ["disclose", "decline"])
def test_a_decision_with_yes_no_answers_that_are_not_yes_or_no_is_refused(action, alice, bob, met):
    req = wf.under_review(alice, met, bob)
    before = _events(req)
    part_b = wf.part_b(
        signature_name=bob.full_name,
        decline_reason="Not necessary",
        subject_informed="yep",
        share_consent="zzz",
    )
    with pytest.raises(workflow.TransitionNotAllowed) as refused:
        workflow.transition(reference=req.reference, action=action, actor=bob, part_b=part_b)
    assert Problem("share_consent", rules.PART_B_YES_NO["share_consent"]) in refused.value.problems
    assert (
        Problem("subject_informed", rules.PART_B_YES_NO["subject_informed"])
        in refused.value.problems
    )
    _assert_nothing_decided(req, before)


def test_a_decline_keeps_nothing_of_a_disclosure(alice, bob, met):
    req = wf.under_review(alice, met, bob)
    part_b = wf.part_b(
        signature_name=bob.full_name, decline_reason="Not necessary", delivery_method="other"
    )
    assert part_b["information_disclosed"]  # sent as a shell or a task might send it
    workflow.transition(reference=req.reference, action="decline", actor=bob, part_b=part_b)
    disclosure = Disclosure.objects.get(request=req)
    assert disclosure.decline_reason == "Not necessary"
    for name in rules.DISCLOSED_ONLY:
        assert getattr(disclosure, name) == "", name
    record = DecisionRecord.objects.get(request=req)
    assert (record.reasons, record.information_type, record.sharing_method) == (
        "Not necessary",
        "",
        "",
    )


def test_a_disclosure_keeps_no_reason_for_declining(alice, bob, met):
    req = wf.under_review(alice, met, bob)
    part_b = wf.part_b(signature_name=bob.full_name, decline_reason="Not necessary")
    workflow.transition(reference=req.reference, action="disclose", actor=bob, part_b=part_b)
    disclosure = Disclosure.objects.get(request=req)
    assert disclosure.decline_reason == ""
    assert disclosure.information_disclosed == part_b["information_disclosed"]


@pytest.mark.parametrize("action", ["disclose", "decline"])
def test_a_decision_without_the_when_to_share_answers_is_refused(action, alice, bob, met):
    req = wf.under_review(alice, met, bob)
    part_b = wf.part_b(
        signature_name=bob.full_name,
        decline_reason="Not necessary for the purpose stated",
        share_legitimate_purpose="",
        share_consent="",
    )
    with pytest.raises(workflow.TransitionNotAllowed) as refused:
        workflow.transition(reference=req.reference, action=action, actor=bob, part_b=part_b)
    fields = {problem.field for problem in refused.value.problems}
    assert {"share_legitimate_purpose", "share_consent"} <= fields
    assert rules.WHEN_TO_SHARE_UNANSWERED["share_consent"] in str(refused.value)
    req.refresh_from_db()
    assert req.status == "under_review"
    assert not DecisionRecord.objects.exists()
