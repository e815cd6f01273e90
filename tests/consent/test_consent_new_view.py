"""/requests/<ref>/consent/new/: the requester records a signed Consent form."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from consent.models import ConsentRecord
from governance.audit.models import AuditAction, AuditEvent
from requests_app import workflow
from tests.consent.conftest import SIGNER_NAME, consent_post, date_post

pytestmark = pytest.mark.django_db


def new_url(req) -> str:
    return reverse("consent:new", args=[req.reference])


def post(client, req, **overrides):
    """Fill in the Consent form and, when its answers are accepted, confirm them on the check
    answers page, as the requester does."""
    response = client.post(new_url(req), consent_post(**overrides))
    if response.status_code == 302 and response["Location"] == check_url(req):
        return client.post(check_url(req))
    return response


def check_url(req) -> str:
    return reverse("consent:check", args=[req.reference])


def errors_of(response) -> dict[str, list[str]]:
    return response.context["form"].errors


def test_form_shows_the_reference_the_subject_and_the_prefilled_organisations(client, alice, req):
    client.force_login(alice)
    body = client.get(new_url(req)).content.decode()
    assert req.reference in body
    assert req.subject_name in body
    assert 'value="Metropolitan Police Service' in body
    assert f'value="{req.requesting_organisation.name}"' in body
    assert alice.full_name in body
    assert alice.job_title in body
    assert "Capacity to consent" in body
    assert "A child&#x27;s consent" not in body


def test_recording_consent_saves_it_witnessed_by_the_requester(client, alice, req):
    client.force_login(alice)
    response = post(client, req, disclosing_officer_ref="MET/DISC/77")
    record = ConsentRecord.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("consent:detail", args=[req.reference, record.public_id])
    assert record.request == req
    assert record.requesting_officer_ref == req.reference
    assert record.disclosing_officer_ref == "MET/DISC/77"
    assert record.signer_name == SIGNER_NAME
    assert (record.witnessed_by, record.witness_name, record.witness_position) == (
        alice,
        alice.full_name,
        alice.job_title,
    )
    assert record.is_active


def test_recording_consent_is_audited_with_the_reference_and_no_names(client, alice, req):
    client.force_login(alice)
    post(client, req)
    record = ConsentRecord.objects.get()
    event = AuditEvent.objects.get(action=AuditAction.CONSENT_RECORDED)
    assert event.actor == alice
    assert event.object_reference == req.reference
    assert event.object_type == "consentrecord"
    assert event.requesting_organisation == req.requesting_organisation
    assert event.receiving_organisation == req.receiving_organisation
    assert str(record.public_id) in event.detail
    for name in (SIGNER_NAME, req.subject_name):
        assert name not in event.detail
        assert name not in event.actor_name


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"reasons_explained": "no"},
            "reasons_explained",
            "Explain the reasons for requesting consent before you record it: consent must be "
            "informed",
        ),
        (
            {"reasons_explained": None},
            "reasons_explained",
            "Select yes if the reasons for requesting consent have been explained",
        ),
        (
            {"about_signer": None},
            "about_signer",
            "Select yes if the information is about the person who signed the form",
        ),
        (
            {"about_signer": "no"},
            "signer_capacity",
            "Select the capacity in which the signer is acting",
        ),
        (
            {"about_signer": "no", "signer_capacity": "other"},
            "signer_capacity_other",
            "Describe the capacity in which the signer is acting",
        ),
        ({"purposes": ""}, "purposes", "Enter the information and purposes the consent covers"),
        ({"signer_name": ""}, "signer_name", "Enter the signer's name"),
        (
            {"signer_dob_day": "", "signer_dob_month": "", "signer_dob_year": ""},
            "signer_dob",
            "Enter the signer's date of birth",
        ),
        ({"signed_on_month": ""}, "signed_on", "Date the form was signed must include a month"),
        (
            date_post("signed_on", timezone.localdate() + datetime.timedelta(days=1)),
            "signed_on",
            "Date the form was signed must be today or in the past",
        ),
        (
            date_post("witnessed_on", timezone.localdate() - datetime.timedelta(days=5)),
            "witnessed_on",
            "Date you witnessed the signature must be the same as or after the date the form "
            "was signed",
        ),
        (
            {"signed_form_location": ""},
            "signed_form_location",
            "Enter where the signed paper form is held",
        ),
        ({"signature_method": None}, "signature_method", "Select how the signature was obtained"),
        (
            {"capacity_in_doubt": None},
            "capacity_in_doubt",
            "Select yes if there is any doubt about the person's capacity to consent",
        ),
        (
            {"capacity_in_doubt": "yes"},
            "capacity_impairment",
            "Select yes if the person has an impairment of, or a disturbance in the functioning "
            "of, the mind or brain",
        ),
        (
            {"capacity_in_doubt": "yes", "capacity_impairment": "yes"},
            "unable_to",
            "Select what the person cannot do for this decision, or select that they can do all "
            "of these",
        ),
        (
            {
                "capacity_in_doubt": "yes",
                "capacity_impairment": "yes",
                "unable_to": ["none", "retain"],
            },
            "unable_to",
            "Select what the person cannot do, or select 'No, they can do all of these', not both",
        ),
        (
            {"capacity_in_doubt": "yes", "capacity_impairment": "yes", "unable_to": ["retain"]},
            "about_signer",
            "The person lacks capacity to make this decision, so cannot consent themselves: an "
            "attorney or a deputy must sign for them",
        ),
        (
            {
                "capacity_in_doubt": "yes",
                "capacity_impairment": "yes",
                "unable_to": ["communicate"],
                "about_signer": "no",
                "signer_capacity": "carer",
            },
            "signer_capacity",
            "For a person who lacks capacity, select attorney or deputy: only they can consent "
            "on the person's behalf",
        ),
    ],
)
def test_form_errors_use_govuk_messages_and_nothing_is_recorded(
    client, alice, req, overrides, field, message
):
    client.force_login(alice)
    response = post(client, req, **overrides)
    assert response.status_code == 200
    assert errors_of(response)[field] == [message]
    body = response.content.decode()
    assert body.count(message.replace("'", "&#x27;")) == 2  # the summary and the field
    assert "<title>Error: " in body
    assert not ConsentRecord.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.CONSENT_RECORDED).exists()


def test_nothing_typed_is_lost_after_an_error(client, alice, req):
    client.force_login(alice)
    response = post(
        client,
        req,
        reasons_explained="no",
        about_signer="no",
        signer_capacity="other",
        signer_capacity_other="Appropriate adult",
        disclosing_officer_ref="MET/DISC/77",
        purposes="Safeguarding enquiries about the household.",
    )
    body = response.content.decode()
    for typed in (
        'value="MET/DISC/77"',
        'value="Appropriate adult"',
        "Safeguarding enquiries about the household.",
        f'value="{SIGNER_NAME}"',
        "Council ASB case file 2026/0412",
        'value="27"',
        'value="1990"',
    ):
        assert typed in body
    assert 'name="signer_capacity" type="radio" value="other" checked' in body
    assert 'name="signature_method" type="radio" value="paper_on_file" checked' in body


def test_an_attorney_consents_for_a_person_who_lacks_capacity(client, alice, req):
    client.force_login(alice)
    response = post(
        client,
        req,
        about_signer="no",
        signer_capacity="attorney",
        capacity_in_doubt="yes",
        capacity_impairment="yes",
        unable_to=["retain", "use_or_weigh"],
    )
    assert response.status_code == 302
    record = ConsentRecord.objects.get()
    assert (record.unable_to_retain, record.unable_to_use_or_weigh) == (True, True)
    assert (record.unable_to_understand, record.unable_to_communicate) == (False, False)
    assert ("Lacks capacity to make this decision?", "Yes") in record.recorded_answers()


def test_a_person_with_an_impairment_who_can_decide_consents_themselves(client, alice, req):
    client.force_login(alice)
    response = post(
        client, req, capacity_in_doubt="yes", capacity_impairment="yes", unable_to=["none"]
    )
    assert response.status_code == 302
    record = ConsentRecord.objects.get()
    assert record.inabilities == frozenset()
    assert ("Lacks capacity to make this decision?", "No") in record.recorded_answers()


def test_answers_to_questions_that_did_not_apply_are_not_kept(client, alice, req):
    client.force_login(alice)
    post(
        client,
        req,
        signer_capacity="other",
        signer_capacity_other="Aunt",
        capacity_impairment="yes",
        unable_to=["retain"],
    )
    record = ConsentRecord.objects.get()
    assert (record.signer_capacity, record.signer_capacity_other) == ("", "")
    assert (record.capacity_impairment, record.unable_to_retain) == ("", False)


# ---------------------------------------------------------------------------------------------
# Children (Appendix G)


def test_a_childs_form_asks_the_appendix_g_questions_not_the_capacity_test(
    client, alice, child_req
):
    client.force_login(alice)
    body = client.get(new_url(child_req)).content.decode()
    assert "Is the child of sufficient age and understanding to consent themselves?" in body
    assert "Capacity to consent" not in body


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {},
            "child_sufficient_understanding",
            "Select yes if the child is of sufficient age and understanding to consent themselves",
        ),
        (
            {"child_sufficient_understanding": "yes"},
            "no_parental_consent_reason",
            "Enter why you are proceeding without the consent of a parent",
        ),
        (
            {"child_sufficient_understanding": "no"},
            "about_signer",
            "A child who is not of sufficient age and understanding cannot consent themselves: "
            "a parent, guardian or carer with parental responsibility must sign",
        ),
        (
            {
                "child_sufficient_understanding": "no",
                "about_signer": "no",
                "signer_capacity": "deputy",
            },
            "signer_capacity",
            "For a child, select parent, guardian or carer: only someone with parental "
            "responsibility can consent for a child",
        ),
    ],
)
def test_child_rules(client, alice, child_req, overrides, field, message):
    client.force_login(alice)
    response = post(client, child_req, capacity_in_doubt=None, **overrides)
    assert errors_of(response)[field] == [message]
    assert not ConsentRecord.objects.exists()


def test_a_child_of_sufficient_understanding_consents_with_the_reason_recorded(
    client, alice, child_req
):
    client.force_login(alice)
    reason = "She asked that her parents not be told; the risk at home is under assessment."
    response = post(
        client,
        child_req,
        capacity_in_doubt=None,
        child_sufficient_understanding="yes",
        no_parental_consent_reason=reason,
    )
    assert response.status_code == 302
    record = ConsentRecord.objects.get()
    assert record.subject_is_child
    assert record.no_parental_consent_reason == reason
    assert record.capacity_in_doubt == ""


def test_a_parent_consents_for_a_child(client, alice, child_req):
    client.force_login(alice)
    response = post(
        client,
        child_req,
        capacity_in_doubt=None,
        child_sufficient_understanding="no",
        about_signer="no",
        signer_capacity="parent",
        no_parental_consent_reason="Not needed",
    )
    assert response.status_code == 302
    record = ConsentRecord.objects.get()
    assert record.signer_capacity == "parent"
    assert record.no_parental_consent_reason == ""
    assert record.consented_by == f"{SIGNER_NAME}, parent"


# ---------------------------------------------------------------------------------------------
# When consent cannot be recorded


def test_a_withdrawn_request_takes_no_more_consent(client, alice, req):
    workflow.transition(reference=req.reference, action="withdraw", actor=alice)
    client.force_login(alice)
    assert "cannot be recorded" in client.get(new_url(req)).content.decode()
    response = post(client, req)
    assert response.status_code == 409
    assert not ConsentRecord.objects.exists()


def test_a_second_consent_can_be_recorded(client, alice, req, record):
    client.force_login(alice)
    post(client, req)
    assert ConsentRecord.objects.filter(request=req).count() == 2


# ---------------------------------------------------------------------------------------------
# Refusals


@pytest.mark.parametrize("persona", ["colin", "charlie", "brenda", "adam", "bea", "bob", "sally"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_only_the_requester_may_record_consent(client, request, req, persona, method):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    response = getattr(client, method)(new_url(req), consent_post())
    assert response.status_code == 403
    assert req.subject_name not in response.content.decode()
    assert not ConsentRecord.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.CONSENT_RECORDED).exists()
    event = AuditEvent.objects.filter(action=AuditAction.PERMISSION_DENIED).latest("id")
    assert event.actor == user
    assert event.object_reference == req.reference


def test_anonymous_is_sent_to_sign_in(client, req):
    response = client.post(new_url(req), consent_post())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert not ConsentRecord.objects.exists()


def test_unknown_reference_is_404(client, alice):
    client.force_login(alice)
    assert client.get(reverse("consent:new", args=["ISP-2026-999999"])).status_code == 404
