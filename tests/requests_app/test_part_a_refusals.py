"""request_create, request_update and submit hold a call from anywhere to the Part A rules the
form enforces: refused, and nothing written."""

from __future__ import annotations

import pytest

from governance.audit.models import AuditEvent
from governance.people.models import Organisation
from requests_app import rules, services, workflow
from requests_app.factories import part_a_data
from requests_app.models import InformationRequest, Legislation, Status
from tests import workflow_helpers as wf
from ui.problems import Problem

pytestmark = pytest.mark.django_db

REQUIRED_TEXT = [
    ("requester_department", rules.DEPARTMENT_MISSING),
    ("requester_address", rules.REQUESTER_ADDRESS_MISSING),
    ("requester_phone", rules.REQUESTER_PHONE_MISSING),
    ("subject_address", rules.SUBJECT_ADDRESS_MISSING),
]


def _data(to: Organisation, **overrides) -> dict:
    data = part_a_data(receiving_organisation=to, **overrides)
    data["legislation"] = [Legislation.objects.order_by("position").first().pk]
    return data


@pytest.mark.parametrize(("field", "message"), REQUIRED_TEXT)
def test_create_with_a_blank_required_answer_is_refused(field, message, alice, met):
    events = AuditEvent.objects.count()
    with pytest.raises(services.PartAIncomplete) as refused:
        services.request_create(requester=alice, data=_data(met, **{field: "  "}))
    assert refused.value.problems == [Problem(field, message)]
    assert not InformationRequest.objects.exists()
    assert AuditEvent.objects.count() == events


def test_create_for_an_organisation_that_is_not_a_current_partner_is_refused(alice, met):
    Organisation.objects.filter(pk=met.pk).update(is_active=False)
    met.refresh_from_db()
    with pytest.raises(services.PartAIncomplete) as refused:
        services.request_create(requester=alice, data=_data(met))
    assert refused.value.problems == [
        Problem("receiving_organisation", rules.RECEIVING_ORGANISATION_INACTIVE)
    ]
    assert not InformationRequest.objects.exists()


def test_update_blanking_a_required_answer_is_refused(alice, met):
    req = wf.draft(alice, met)
    with pytest.raises(services.PartAIncomplete) as refused:
        wf.change_part_a(req, alice, requester_phone="")
    assert refused.value.problems == [Problem("requester_phone", rules.REQUESTER_PHONE_MISSING)]
    req.refresh_from_db()
    assert req.requester_phone


@pytest.mark.parametrize(("field", "message"), REQUIRED_TEXT)
def test_submit_of_a_draft_with_a_blank_required_answer_is_refused(field, message, alice, met):
    req = wf.draft(alice, met)
    # A draft saved before the rule held.
    InformationRequest.objects.filter(pk=req.pk).update(**{field: ""})
    with pytest.raises(workflow.TransitionNotAllowed) as refused:
        workflow.transition(
            reference=req.reference, action="submit", actor=alice, signature_name=alice.full_name
        )
    assert refused.value.problems == [Problem(field, message)]
    req.refresh_from_db()
    assert (req.status, req.signed_by, req.received_at) == (Status.DRAFT, None, None)


def test_submit_of_a_draft_to_a_partner_that_has_left_is_refused(alice, met):
    req = wf.draft(alice, met)
    Organisation.objects.filter(pk=met.pk).update(is_active=False)
    with pytest.raises(workflow.TransitionNotAllowed) as refused:
        workflow.transition(
            reference=req.reference, action="submit", actor=alice, signature_name=alice.full_name
        )
    assert refused.value.problems == [
        Problem("receiving_organisation", rules.RECEIVING_ORGANISATION_INACTIVE)
    ]
    req.refresh_from_db()
    assert req.status == Status.DRAFT


def test_a_sent_request_can_be_answered_after_its_partner_has_left(alice, bob, met):
    req = wf.sent_back(alice, met, bob)
    Organisation.objects.filter(pk=met.pk).update(is_active=False)
    req = wf.resend(req, alice)
    assert req.status == Status.UNDER_REVIEW
