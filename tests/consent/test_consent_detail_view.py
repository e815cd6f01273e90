"""/requests/<ref>/consent/<uuid>/: one consent record."""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse

from governance.audit.models import AuditAction, AuditEvent
from tests import workflow_helpers as wf
from tests.consent.conftest import SIGNER_NAME, record_consent

pytestmark = pytest.mark.django_db


def detail_url(req, record) -> str:
    return reverse("consent:detail", args=[req.reference, record.public_id])


@pytest.mark.parametrize("persona", ["alice", "bob", "sally"])
def test_record_is_shown_and_the_view_audited(client, request, req, record, persona):
    user = request.getfixturevalue(persona)
    wf.open_details_if_spoc(user, req)
    client.force_login(user)
    response = client.get(detail_url(req, record))
    assert response.status_code == 200
    body = response.content.decode()
    for text in (SIGNER_NAME, record.purposes, "Council ASB case file 2026/0412", "Active"):
        assert text in body
    # The heading and the title never name the subject or the signer.
    title = body.split("<title>")[1].split("</title>")[0]
    heading = body.split('<h1 class="govuk-heading-l">')[1].split("</h1>")[0]
    for name in (SIGNER_NAME, req.subject_name):
        assert name not in title
        assert name not in heading
    event = AuditEvent.objects.filter(action=AuditAction.PERSONAL_DETAILS_VIEWED).latest("id")
    assert (event.actor, event.object_reference, event.object_type) == (
        user,
        req.reference,
        "consentrecord",
    )


def test_someone_else_signing_shows_the_requests_subject_and_the_capacity(client, alice, child_req):
    record = record_consent(
        child_req,
        alice,
        about_signer="no",
        signer_capacity="guardian",
        child_sufficient_understanding="no",
    )
    client.force_login(alice)
    body = client.get(detail_url(child_req, record)).content.decode()
    assert child_req.subject_name in body
    assert "Guardian" in body


@pytest.mark.parametrize(("persona", "offered"), [("alice", True), ("bob", True), ("sally", False)])
def test_record_withdrawal_is_offered_to_requester_and_assigned_discloser(
    client, request, req, record, persona, offered
):
    user = request.getfixturevalue(persona)
    wf.open_details_if_spoc(user, req)
    client.force_login(user)
    body = client.get(detail_url(req, record)).content.decode()
    assert ("Record withdrawal" in body) is offered


def test_a_record_of_another_request_is_not_found(client, alice, met, bob, req, record):
    other = wf.under_review(alice, met, bob)
    client.force_login(alice)
    response = client.get(reverse("consent:detail", args=[other.reference, record.public_id]))
    assert response.status_code == 404


def test_an_unknown_record_is_not_found(client, alice, req):
    client.force_login(alice)
    response = client.get(reverse("consent:detail", args=[req.reference, uuid.uuid4()]))
    assert response.status_code == 404


@pytest.mark.parametrize("persona", ["colin", "charlie", "brenda", "adam", "bea"])
def test_others_are_refused_and_the_refusal_is_audited(client, request, req, record, persona):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    response = client.get(detail_url(req, record))
    assert response.status_code == 403
    assert SIGNER_NAME not in response.content.decode()
    event = AuditEvent.objects.filter(action=AuditAction.PERMISSION_DENIED).latest("id")
    assert (event.actor, event.object_reference) == (user, req.reference)
    assert not AuditEvent.objects.filter(
        action=AuditAction.PERSONAL_DETAILS_VIEWED, actor=user
    ).exists()
