"""Part A and Part B through the pages, as officers use them."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from governance.audit.models import AuditAction, AuditEvent
from requests_app.models import DecisionRecord, InformationRequest, Legislation, Status
from tests import workflow_helpers as wf

pytestmark = pytest.mark.django_db


def _date(prefix: str, value: datetime.date) -> dict[str, str]:
    return {
        f"{prefix}_day": str(value.day),
        f"{prefix}_month": str(value.month),
        f"{prefix}_year": str(value.year),
    }


def part_a_post(met, **overrides) -> dict[str, object]:
    data: dict[str, object] = {
        "requester_department": "Community Safety",
        "requester_address": "River Park House",
        "requester_phone": "020 7946 0100",
        "receiving_organisation": str(met.pk),
        "information_description": "Incidents at the address in the last year.",
        "subject_name": "Sam Example",
        "subject_address": "Flat 1, 2 Example Road",
        **_date("subject_dob", datetime.date(1990, 3, 27)),
        "subject_role": "suspect",
        **_date("required_by", timezone.localdate() + datetime.timedelta(days=7)),
        "is_urgent": "no",
        "public_interest": "yes",
        "public_interest_reason": "Preventing further ASB.",
        "legislation": [str(Legislation.objects.order_by("position").first().pk)],
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_new_request_is_prefilled_from_the_profile(client, alice):
    client.force_login(alice)
    body = client.get(reverse("requests_app:new_about_you")).content.decode()
    assert alice.full_name in body
    assert alice.job_title in body
    assert alice.email in body
    assert "Which partner organisation are you asking?" in body


def test_saving_a_draft_gives_a_human_reference(client, alice, met):
    client.force_login(alice)
    response = client.post(reverse("requests_app:new"), part_a_post(met))
    req = InformationRequest.objects.get()
    assert req.reference == f"ISP-{timezone.localdate().year}-000001"
    assert response["Location"] == f"/requests/{req.reference}/check-your-answers/"
    assert req.status == Status.DRAFT
    assert AuditEvent.objects.filter(action=AuditAction.REQUEST_CREATED).count() == 1


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"required_by_year": "2001"}, "required_by", "must be today or in the future"),
        (
            {"is_urgent": "yes", "urgency_reason": ""},
            "urgency_reason",
            "Enter the reason the request is urgent",
        ),
        (
            {"public_interest": "yes", "public_interest_reason": ""},
            "public_interest_reason",
            "Enter the reason disclosure is in the public interest",
        ),
        ({"public_interest": "no"}, "public_interest", "in the public interest"),
        ({"legislation": None}, "legislation", "Select at least one piece of legislation"),
        (
            {"legislation": ["other"], "legislation_other": ""},
            "legislation_other",
            "Enter the other legislation",
        ),
        ({"subject_dob_year": "2090"}, "subject_dob", "must be a real date in the past"),
        ({"subject_dob_month": "13"}, "subject_dob", "real date"),
        (
            {"subject_role": "victim"},
            "consent_obtained",
            "Select whether consent has been obtained",
        ),
        ({"receiving_organisation": ""}, "receiving_organisation", "Select the organisation"),
    ],
)
def test_part_a_errors_are_specific_and_nothing_typed_is_lost(
    client, alice, met, overrides, field, message
):
    client.force_login(alice)
    response = client.post(reverse("requests_app:new"), part_a_post(met, **overrides))
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body
    assert "govuk-error-summary" in body
    assert body.count("<title>Error:") == 1
    assert "Incidents at the address in the last year." in body  # kept
    assert 'value="020 7946 0100"' in body
    assert not InformationRequest.objects.exists()


def test_with_consent_no_public_interest_reason_is_needed(client, alice, met):
    client.force_login(alice)
    response = client.post(
        reverse("requests_app:new"),
        part_a_post(
            met,
            subject_role="victim",
            consent_obtained="yes",
            public_interest="",
            public_interest_reason="",
        ),
    )
    assert response.status_code == 302
    req = InformationRequest.objects.get()
    assert req.consent_obtained == "yes"


def test_cannot_address_a_request_to_own_organisation(client, alice, council):
    client.force_login(alice)
    response = client.post(
        reverse("requests_app:new"), part_a_post(council, receiving_organisation=str(council.pk))
    )
    assert "Select a valid choice" in response.content.decode()
    assert not InformationRequest.objects.exists()


def test_sign_and_send(client, alice, met):
    req = wf.draft(alice, met)
    client.force_login(alice)
    response = client.post(
        reverse("requests_app:submit", args=[req.reference]), {"signature_name": alice.full_name}
    )
    assert response["Location"] == reverse("requests_app:submitted", args=[req.reference])
    req.refresh_from_db()
    assert req.status == Status.SUBMITTED
    assert req.signature_name == alice.full_name


def test_signature_must_match_the_signed_in_officer(client, alice, met):
    req = wf.draft(alice, met)
    client.force_login(alice)
    response = client.post(
        reverse("requests_app:submit", args=[req.reference]), {"signature_name": "Someone Else"}
    )
    assert response.status_code == 400
    assert "Type your full name exactly" in response.content.decode()
    req.refresh_from_db()
    assert req.status == Status.DRAFT


def test_another_officer_cannot_submit_my_draft(client, alice, colin, met):
    req = wf.draft(alice, met)
    client.force_login(colin)
    response = client.post(
        reverse("requests_app:submit", args=[req.reference]), {"signature_name": colin.full_name}
    )
    assert response.status_code == 403
    req.refresh_from_db()
    assert req.status == Status.DRAFT
    assert AuditEvent.objects.filter(action=AuditAction.PERMISSION_DENIED, actor=colin).exists()


def test_queue_shows_no_personal_details_until_taken(client, alice, bob, met):
    req = wf.submitted(alice, met)
    client.force_login(bob)
    body = client.get(reverse("requests_app:detail", args=[req.reference])).content.decode()
    assert req.reference in body
    assert req.subject_name not in body
    assert req.subject_address.split(",")[0] not in body
    assert AuditEvent.objects.filter(action=AuditAction.REQUEST_VIEWED, actor=bob).exists()
    client.post(reverse("requests_app:action", args=[req.reference, "take"]))
    body = client.get(reverse("requests_app:detail", args=[req.reference])).content.decode()
    assert req.subject_name in body
    assert AuditEvent.objects.filter(action=AuditAction.PERSONAL_DETAILS_VIEWED, actor=bob).exists()


def test_unassigned_discloser_cannot_decide(client, alice, bob, bea, met):
    req = wf.under_review(alice, met, bob)
    client.force_login(bea)
    response = client.post(
        reverse("requests_app:decide", args=[req.reference]), {"disclosure_agreed": "yes"}
    )
    assert response.status_code == 403
    req.refresh_from_db()
    assert req.status == Status.UNDER_REVIEW
    assert not DecisionRecord.objects.exists()
    assert AuditEvent.objects.filter(action=AuditAction.PERMISSION_DENIED, actor=bea).exists()


def _decide_post(bob, **overrides):
    data = {
        "checks": [
            "check_form_complete",
            "check_necessary",
            "check_accurate",
            "check_depersonalised",
            "check_need_to_know",
            "check_secure",
        ],
        "share_legitimate_purpose": "yes",
        "share_identifiable": "yes",
        "share_confidential": "yes",
        "share_consent": "no",
        "share_other_lawful_reason": "yes",
        "disclosure_agreed": "yes",
        "decision_reasons": "Necessary and proportionate.",
        "information_disclosed": "Three incidents in 2026.",
        "information_type": "Incident summaries",
        "delivery_method": "portal",
        "subject_informed": "no",
        "subject_not_informed_reason": "Would prejudice crime prevention.",
        "signature_name": bob.full_name,
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"checks": ["check_form_complete"]}, "Confirm every check before disclosing"),
        ({"decision_reasons": ""}, "Enter the reasons for the decision to share"),
        ({"information_disclosed": ""}, "Enter the information disclosed or attach it"),
        ({"delivery_method": None}, "Select how the information is delivered"),
        ({"delivery_method": "other"}, "Enter the other delivery method"),
        ({"subject_not_informed_reason": ""}, "Enter why the person or their family"),
        ({"disclosure_agreed": "no"}, "Enter the reason for declining the request"),
        ({"share_consent": None}, "Answer whether you have consent to share"),
    ],
)
def test_part_b_errors(client, alice, bob, met, overrides, message):
    req = wf.under_review(alice, met, bob)
    client.force_login(bob)
    response = client.post(
        reverse("requests_app:decide", args=[req.reference]), _decide_post(bob, **overrides)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    req.refresh_from_db()
    assert req.status == Status.UNDER_REVIEW
    assert not DecisionRecord.objects.exists()


def test_disclose_with_an_attachment_that_only_allowed_people_download(
    client, alice, bob, charlie, met
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    req = wf.under_review(alice, met, bob)
    client.force_login(bob)
    upload = SimpleUploadedFile("sheet.txt", b"Continuation sheet", content_type="text/plain")
    response = client.post(
        reverse("requests_app:decide", args=[req.reference]),
        {**_decide_post(bob), "attachments": upload},
    )
    assert response.status_code == 302
    req.refresh_from_db()
    assert req.status == Status.DISCLOSED
    attachment = req.attachments.get()
    url = reverse("requests_app:attachment", args=[req.reference, attachment.public_id])
    client.force_login(alice)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"Continuation sheet"
    assert AuditEvent.objects.filter(action=AuditAction.ATTACHMENT_DOWNLOADED, actor=alice).exists()
    client.force_login(charlie)
    assert client.get(url).status_code == 403


def test_attachment_of_wrong_type_is_refused_on_the_form(client, alice, bob, met):
    from django.core.files.uploadedfile import SimpleUploadedFile

    req = wf.under_review(alice, met, bob)
    client.force_login(bob)
    upload = SimpleUploadedFile("tool.exe", b"MZ", content_type="application/octet-stream")
    response = client.post(
        reverse("requests_app:decide", args=[req.reference]),
        {**_decide_post(bob), "attachments": upload},
    )
    assert "must be a PDF, Word, text or image file" in response.content.decode()
    assert not DecisionRecord.objects.exists()


def test_more_information_round_trip(client, alice, bob, met):
    req = wf.under_review(alice, met, bob)
    client.force_login(bob)
    client.post(
        reverse("requests_app:more_information", args=[req.reference]), {"note": "Which dates?"}
    )
    req.refresh_from_db()
    assert req.status == Status.MORE_INFORMATION
    client.force_login(alice)
    body = client.get(reverse("requests_app:detail", args=[req.reference])).content.decode()
    assert "Which dates?" in body
    response = client.post(
        reverse("requests_app:edit", args=[req.reference]),
        part_a_post(met, information_description="Dates: 2026 only."),
    )
    assert response.status_code == 302
    client.post(
        reverse("requests_app:provide_more_information", args=[req.reference]),
        {"signature_name": alice.full_name, "reply": "Dates: 2026 only."},
    )
    req.refresh_from_db()
    assert req.status == Status.UNDER_REVIEW
    assert req.information_description == "Dates: 2026 only."


def test_withdraw_by_requester_only(client, alice, colin, met):
    req = wf.submitted(alice, met)
    client.force_login(colin)
    assert (
        client.post(reverse("requests_app:action", args=[req.reference, "withdraw"])).status_code
        == 403
    )
    client.force_login(alice)
    client.post(reverse("requests_app:action", args=[req.reference, "withdraw"]))
    req.refresh_from_db()
    assert req.status == Status.WITHDRAWN


def test_illegal_transition_gets_a_clear_message(client, alice, bob, met):
    req = wf.disclosed(alice, met, bob)
    client.force_login(alice)
    response = client.post(reverse("requests_app:action", args=[req.reference, "withdraw"]))
    assert response.status_code == 409
    assert "Withdraw: not possible now, the request is disclosed." in response.content.decode()


def test_spoc_reassigns_and_revocation_takes_effect_on_next_request(
    client, alice, bob, bea, sally, met
):
    req = wf.under_review(alice, met, bob)
    client.force_login(sally)
    response = client.post(
        reverse("requests_app:assign", args=[req.reference]), {"officer": str(bea.pk)}
    )
    assert response.status_code == 302
    client.force_login(bob)
    assert client.get(reverse("requests_app:decide", args=[req.reference])).status_code == 403
    body = client.get(reverse("requests_app:detail", args=[req.reference])).content.decode()
    assert req.subject_name not in body
    client.force_login(bea)
    assert client.get(reverse("requests_app:decide", args=[req.reference])).status_code == 200


def test_inbox_lists_overdue_and_urgent_first(client, alice, bob, met):
    from requests_app.models import InformationRequest as IR

    later = wf.submitted(alice, met)
    urgent = wf.submitted(alice, met, is_urgent=True, urgency_reason="Court hearing tomorrow")
    overdue = wf.submitted(alice, met)
    # Overdue: past its reply due date with the clock running (protocol 9.2).
    IR.objects.filter(pk=overdue.pk).update(
        due_date=timezone.localdate() - datetime.timedelta(days=1)
    )
    wf.draft(alice, met)  # drafts never reach the partner
    client.force_login(bob)
    response = client.get(reverse("requests_app:inbox"))
    refs = [r.reference for r in response.context["page"]]
    assert refs == [overdue.reference, urgent.reference, later.reference]
    assert "Overdue" in response.content.decode()


def test_inbox_filters(client, alice, bob, met):
    a = wf.submitted(alice, met)
    b = wf.under_review(alice, met, bob)
    client.force_login(bob)
    page = client.get(reverse("requests_app:inbox"), {"status": "under_review"}).context["page"]
    assert [r.reference for r in page] == [b.reference]
    page = client.get(reverse("requests_app:inbox"), {"assigned": "me"}).context["page"]
    assert [r.reference for r in page] == [b.reference]
    page = client.get(reverse("requests_app:inbox"), {"search": a.reference}).context["page"]
    assert [r.reference for r in page] == [a.reference]
    response = client.get(
        reverse("requests_app:inbox"),
        {"due_before_day": "31", "due_before_month": "2", "due_before_year": "2027"},
    )
    assert response.status_code == 200
    assert "Reply due date must be a real date" in response.content.decode()


def test_inbox_holds_only_my_organisations_requests(client, alice, charlie, met):
    wf.submitted(alice, met)
    client.force_login(charlie)
    assert list(client.get(reverse("requests_app:inbox")).context["page"]) == []


def test_assign_and_more_information_pages_offer_no_form_once_decided(
    client, alice, bob, sally, met
):
    from tests import workflow_helpers as helpers

    req = helpers.disclosed(alice, met, bob)
    client.force_login(sally)
    page = client.get(reverse("requests_app:assign", args=[req.reference])).content.decode()
    assert "not possible now, the request is disclosed" in page
    assert ">Assign</button>" not in page
    client.force_login(bob)
    url = reverse("requests_app:more_information", args=[req.reference])
    page = client.get(url).content.decode()
    assert "not possible now, the request is disclosed" in page
    assert "Send back to the requester" not in page
    assert client.post(url, {"note": "More?"}).status_code == 409
