"""The History on a request shows its own events, paged; refusals belong to the SPOC's audit."""

from __future__ import annotations

import pytest
from django.urls import reverse

from governance.audit.models import AuditAction, AuditEvent
from requests_app import selectors, workflow
from tests import workflow_helpers as wf

pytestmark = pytest.mark.django_db


def test_refused_attempts_do_not_flood_the_history(client, alice, bob, charlie, sally, met):
    req = wf.under_review(alice, met, bob)
    client.force_login(charlie)
    for _ in range(30):
        assert client.get(reverse("requests_app:detail", args=[req.reference])).status_code == 403
    assert AuditEvent.objects.filter(action=AuditAction.PERMISSION_DENIED).count() == 30
    client.force_login(sally)
    body = client.get(reverse("requests_app:detail", args=[req.reference])).text
    assert "Request submitted" in body
    assert "Permission denied" not in body
    assert charlie.full_name not in body


def test_history_is_paged(client, alice, bob, met):
    req = wf.under_review(alice, met, bob)
    for number in range(12):
        workflow.transition(
            reference=req.reference,
            action="request_more_information",
            actor=bob,
            note=f"Question {number}",
        )
        wf.resend(req, alice, information_description=f"Dates: answer {number}.")
    history = selectors.request_history(req=req)
    # created, submitted, assigned, then the loop: asked, Part A changed, sent again
    assert history.paginator.count == 3 + 36
    assert len(history.object_list) == selectors.HISTORY_PAGE_SIZE
    client.force_login(alice)
    url = reverse("requests_app:detail", args=[req.reference])
    first = client.get(url).text
    assert "History page 1 of 2" in first
    last = client.get(url, {"history": 2}).text
    assert "History page 2 of 2" in last
    assert "Request created" in last
    assert "Request created" not in first
