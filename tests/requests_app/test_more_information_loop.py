"""protocol 9.2: a request sent back for more information goes back to the disclosing officer
only changed and signed again (Appendix B), and the officer sees what changed."""

from __future__ import annotations

import pytest
from django.urls import reverse

from governance.audit.models import AuditAction, AuditEvent
from requests_app import rules, workflow
from requests_app.models import InformationRequest, PartAVersion, Status
from tests import workflow_helpers as wf

pytestmark = pytest.mark.django_db

NEW_DESCRIPTION = "Reports at the address between 1 January and 30 June 2026 only."


REPLY = "Only the first half of 2026; I have changed the request."


def _resend(req: InformationRequest, actor, signature: str) -> InformationRequest:
    return workflow.transition(
        reference=req.reference,
        action="provide_more_information",
        actor=actor,
        signature_name=signature,
        reply=REPLY,
    )


def _resend_url(req: InformationRequest) -> str:
    return reverse("requests_app:provide_more_information", args=[req.reference])


def test_an_unchanged_request_cannot_be_sent_again(alice, bob, met):
    req = wf.sent_back(alice, met, bob)
    with pytest.raises(workflow.TransitionNotAllowed, match=workflow.PART_A_UNCHANGED):
        _resend(req, alice, alice.full_name)
    req.refresh_from_db()
    assert req.status == Status.MORE_INFORMATION
    assert not PartAVersion.objects.filter(kind=PartAVersion.Kind.RESENT).exists()
    assert not AuditEvent.objects.filter(action=AuditAction.MORE_INFORMATION_PROVIDED).exists()


def test_a_changed_request_is_not_sent_again_unsigned(alice, bob, met):
    req = wf.sent_back(alice, met, bob)
    wf.change_part_a(req, alice, information_description=NEW_DESCRIPTION)
    with pytest.raises(workflow.TransitionNotAllowed, match=rules.SIGNATURE_MISSING):
        _resend(req, alice, "")
    req.refresh_from_db()
    assert req.status == Status.MORE_INFORMATION


def test_a_changed_request_is_not_sent_again_signed_with_another_name(alice, bob, met):
    req = wf.sent_back(alice, met, bob)
    wf.change_part_a(req, alice, information_description=NEW_DESCRIPTION)
    with pytest.raises(workflow.TransitionNotAllowed, match=rules.SIGNATURE_MISMATCH):
        _resend(req, alice, bob.full_name)
    req.refresh_from_db()
    assert req.status == Status.MORE_INFORMATION


def test_a_changed_and_signed_request_goes_back_signed_again(alice, bob, met):
    req = wf.sent_back(alice, met, bob)
    first_signed_at = req.signed_at
    wf.change_part_a(req, alice, information_description=NEW_DESCRIPTION)
    req = _resend(req, alice, f"  {alice.full_name.upper()} ")
    assert req.status == Status.UNDER_REVIEW
    assert req.signature_name == f"{alice.full_name.upper()}"
    assert req.signed_by == alice
    assert req.signed_at > first_signed_at
    event = AuditEvent.objects.filter(object_reference=req.reference).latest("id")
    assert event.action == AuditAction.MORE_INFORMATION_PROVIDED
    assert event.actor == alice
    resent = PartAVersion.objects.get(request=req, kind=PartAVersion.Kind.RESENT)
    assert resent.answers["information_description"] == NEW_DESCRIPTION


def test_the_discloser_sees_what_changed(client, alice, bob, met):
    req = wf.sent_back(alice, met, bob)
    before = req.information_description
    wf.resend(
        req,
        alice,
        information_description=NEW_DESCRIPTION,
        is_urgent=True,
        urgency_reason="A court hearing on Friday.",
    )
    client.force_login(bob)
    response = client.get(reverse("requests_app:detail", args=[req.reference]))
    changes = response.context["part_a_changes"]
    assert [(c.label, c.before, c.after) for c in changes] == [
        ("Information required and circumstances", before, NEW_DESCRIPTION),
        ("Urgent", "No", "Yes"),
        ("Reason it is urgent", "", "A court hearing on Friday."),
    ]
    body = response.content.decode()
    assert "What changed" in body
    assert NEW_DESCRIPTION in body
    assert "A court hearing on Friday." in body


def test_the_page_shows_only_the_latest_round_of_changes(client, alice, bob, met):
    req = wf.sent_back(alice, met, bob)
    wf.resend(req, alice, information_description=NEW_DESCRIPTION)
    workflow.transition(
        reference=req.reference, action="request_more_information", actor=bob, note="Which ones?"
    )
    wf.resend(req, alice, subject_address="Flat 2, 2 Example Road, London N17 0ZZ")
    client.force_login(bob)
    response = client.get(reverse("requests_app:detail", args=[req.reference]))
    assert [c.label for c in response.context["part_a_changes"]] == ["Subject's address"]


def test_someone_without_access_does_not_see_what_changed(client, alice, bob, sally, met):
    req = wf.sent_back(alice, met, bob)
    wf.resend(req, alice, information_description=NEW_DESCRIPTION)
    client.force_login(sally)  # the receiving SPOC sees the summary only (ADR 0002)
    response = client.get(reverse("requests_app:detail", args=[req.reference]))
    assert response.status_code == 200
    assert response.context["part_a_changes"] == []
    assert NEW_DESCRIPTION not in response.content.decode()


def test_the_request_page_offers_a_signature_form_to_send_it_again(client, alice, bob, met):
    req = wf.sent_back(alice, met, bob)
    client.force_login(alice)
    body = client.get(reverse("requests_app:detail", args=[req.reference])).content.decode()
    assert f'<form method="post" action="{_resend_url(req)}" novalidate>' in body
    assert "Sign and send the updated request</button>" in body
    assert f'href="{_resend_url(req)}"' not in body  # no bare button


def test_the_send_again_page_says_nothing_has_changed_yet(client, alice, bob, met):
    req = wf.sent_back(alice, met, bob)
    client.force_login(alice)
    response = client.get(_resend_url(req))
    assert response.status_code == 200
    assert "You have not changed the request" in response.content.decode()


def test_posting_an_unchanged_request_is_refused_on_the_page(client, alice, bob, met):
    req = wf.sent_back(alice, met, bob)
    client.force_login(alice)
    response = client.post(_resend_url(req), {"signature_name": alice.full_name, "reply": REPLY})
    assert response.status_code == 409
    assert workflow.PART_A_UNCHANGED in response.content.decode()
    req.refresh_from_db()
    assert req.status == Status.MORE_INFORMATION


def test_posting_without_a_signature_is_refused_on_the_page(client, alice, bob, met):
    req = wf.sent_back(alice, met, bob)
    wf.change_part_a(req, alice, information_description=NEW_DESCRIPTION)
    client.force_login(alice)
    response = client.post(_resend_url(req), {"signature_name": "", "reply": REPLY})
    assert response.status_code == 400
    assert "Type your full name to sign the request" in response.content.decode()
    req.refresh_from_db()
    assert req.status == Status.MORE_INFORMATION


def test_posting_a_changed_and_signed_request_sends_it(client, alice, bob, met):
    req = wf.sent_back(alice, met, bob)
    wf.change_part_a(req, alice, information_description=NEW_DESCRIPTION)
    client.force_login(alice)
    response = client.post(_resend_url(req), {"signature_name": alice.full_name, "reply": REPLY})
    assert response.status_code == 302
    req.refresh_from_db()
    assert req.status == Status.UNDER_REVIEW


def test_another_officer_cannot_send_it_again(client, alice, colin, bob, met):
    req = wf.sent_back(alice, met, bob)
    wf.change_part_a(req, alice, information_description=NEW_DESCRIPTION)
    client.force_login(colin)
    response = client.post(_resend_url(req), {"signature_name": colin.full_name, "reply": REPLY})
    assert response.status_code == 403
    req.refresh_from_db()
    assert req.status == Status.MORE_INFORMATION
    event = AuditEvent.objects.filter(action=AuditAction.PERMISSION_DENIED).latest("id")
    assert event.actor == colin
    assert event.object_reference == req.reference
    assert not AuditEvent.objects.filter(action=AuditAction.MORE_INFORMATION_PROVIDED).exists()
