"""A draft that will not be sent is deleted by its requester (protocol 8.3), never withdrawn."""

from __future__ import annotations

import pytest
from django.urls import reverse

from consent.models import ConsentRecord
from governance.audit.models import AuditAction, AuditEvent
from requests_app import workflow
from requests_app.models import InformationRequest, InformationRequestUserObjectPermission
from tests import workflow_helpers as wf
from tests.consent.conftest import record_consent

pytestmark = pytest.mark.django_db


def delete_url(req) -> str:
    return reverse("requests_app:delete_draft", args=[req.reference])


def test_requester_deletes_a_draft_and_its_consent_forms(client, alice, met):
    req = wf.draft(alice, met)
    record_consent(req, alice)
    client.force_login(alice)
    assert (
        "Delete draft" in client.get(reverse("requests_app:task_list", args=[req.reference])).text
    )
    assert client.get(delete_url(req)).status_code == 200
    response = client.post(delete_url(req))
    assert response.status_code == 302
    assert not InformationRequest.objects.filter(reference=req.reference).exists()
    assert not ConsentRecord.objects.exists()
    assert not InformationRequestUserObjectPermission.objects.exists()
    event = AuditEvent.objects.get(action=AuditAction.REQUEST_DRAFT_DELETED)
    assert (event.actor, event.object_reference) == (alice, req.reference)
    assert event.receiving_organisation is None  # the partner never had any part in it
    assert client.get(reverse("requests_app:detail", args=[req.reference])).status_code == 404


@pytest.mark.parametrize("persona", ["colin", "bob", "sally", "charlie", "adam"])
def test_nobody_else_can_delete_a_draft(client, request, persona, alice, met):
    req = wf.draft(alice, met)
    user = request.getfixturevalue(persona)
    client.force_login(user)
    assert client.post(delete_url(req)).status_code == 403
    assert InformationRequest.objects.filter(reference=req.reference).exists()
    event = AuditEvent.objects.filter(action=AuditAction.PERMISSION_DENIED).latest("id")
    assert (event.actor, event.object_reference) == (user, req.reference)


def test_a_sent_request_is_withdrawn_not_deleted(client, alice, met):
    req = wf.submitted(alice, met)
    client.force_login(alice)
    response = client.post(delete_url(req))
    assert response.status_code == 409
    assert workflow.DRAFT_DELETE_REFUSED in response.text
    assert InformationRequest.objects.filter(reference=req.reference).exists()
    with pytest.raises(workflow.TransitionNotAllowed):
        workflow.draft_delete(reference=req.reference, actor=alice)


def test_a_draft_named_in_a_breach_is_kept(client, alice, met):
    from governance.breaches import services as breach_services
    from tests.governance.test_breaches import report_data

    req = wf.draft(alice, met)
    breach_services.breach_report_create(reporter=alice, data=report_data(request=req))
    client.force_login(alice)
    response = client.post(delete_url(req))
    assert response.status_code == 409
    assert workflow.DRAFT_IN_BREACH_REFUSED in response.text
    assert InformationRequest.objects.filter(reference=req.reference).exists()
