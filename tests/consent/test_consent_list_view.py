"""/requests/<ref>/consent/: a request's consent records, for those who may see its details."""

from __future__ import annotations

import pytest
from django.urls import reverse

from consent import services
from governance.audit.models import AuditAction, AuditEvent
from requests_app import workflow
from tests import workflow_helpers as wf
from tests.consent.conftest import SIGNER_NAME, record_consent

pytestmark = pytest.mark.django_db

# Session and user (2), the second factor's device (1), the request with its prefetches (3),
# guardian's check (2), the records (1), the audit event (2), the header's organisation (1), the
# session's save (3).
LIST_QUERIES = 16


def list_url(req) -> str:
    return reverse("consent:list", args=[req.reference])


@pytest.mark.parametrize("persona", ["alice", "bob", "sally"])
def test_those_who_see_personal_details_see_the_consent_records(
    client, request, req, record, persona
):
    user = request.getfixturevalue(persona)
    wf.open_details_if_spoc(user, req)
    client.force_login(user)
    response = client.get(list_url(req))
    assert response.status_code == 200
    body = response.content.decode()
    assert SIGNER_NAME in body
    assert reverse("consent:detail", args=[req.reference, record.public_id]) in body
    event = AuditEvent.objects.filter(action=AuditAction.PERSONAL_DETAILS_VIEWED).latest("id")
    assert (event.actor, event.object_reference, event.detail) == (
        user,
        req.reference,
        "consent records",
    )


def test_only_the_requester_sees_record_consent(client, alice, bob, req):
    client.force_login(alice)
    assert "Record consent" in client.get(list_url(req)).content.decode()
    client.force_login(bob)
    assert "Record consent" not in client.get(list_url(req)).content.decode()


def test_record_consent_is_not_offered_on_a_withdrawn_request(client, alice, req):
    workflow.transition(reference=req.reference, action="withdraw", actor=alice)
    client.force_login(alice)
    body = client.get(list_url(req)).content.decode()
    assert "Record consent" not in body
    assert "No consent has been recorded for this request." in body


def test_withdrawn_records_stay_listed_as_withdrawn(client, alice, req, record):
    services.consent_withdraw(
        reference=req.reference,
        public_id=record.public_id,
        actor=alice,
        withdrawn_on=record.signed_on,
        method="phone",
    )
    record_consent(req, alice)
    client.force_login(alice)
    body = client.get(list_url(req)).content.decode()
    assert body.count(">Withdrawn</strong>") == 1
    assert body.count(">Active</strong>") == 1


@pytest.mark.parametrize("persona", ["colin", "charlie", "brenda", "adam", "bea"])
def test_others_are_refused_and_the_refusal_is_audited(client, request, req, record, persona):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    response = client.get(list_url(req))
    assert response.status_code == 403
    body = response.content.decode()
    assert SIGNER_NAME not in body
    assert req.subject_name not in body
    event = AuditEvent.objects.filter(action=AuditAction.PERMISSION_DENIED).latest("id")
    assert (event.actor, event.object_reference) == (user, req.reference)
    assert not AuditEvent.objects.filter(
        action=AuditAction.PERSONAL_DETAILS_VIEWED, actor=user
    ).exists()


def test_anonymous_is_sent_to_sign_in(client, req):
    response = client.get(list_url(req))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("rows", [5, 20])
def test_list_costs_the_same_queries_at_any_length(
    client, alice, req, rows, django_assert_num_queries
):
    for _ in range(rows):
        record_consent(req, alice)
    client.force_login(alice)
    client.get(list_url(req))
    with django_assert_num_queries(LIST_QUERIES):
        assert client.get(list_url(req)).status_code == 200
