"""The receiving SPOC oversees from the summary and opens personal details only for a recorded
reason, for a limited time (protocol 7.4 and 10.5.2; DPA 2018 s.62; ADR 0002)."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from governance.audit.models import AuditAction, AuditEvent
from requests_app import permissions, services
from requests_app.models import PersonalDetailsAccess
from tests import workflow_helpers as wf

pytestmark = pytest.mark.django_db


def open_url(req) -> str:
    return reverse("requests_app:open_details", args=[req.reference])


def detail_url(req) -> str:
    return reverse("requests_app:detail", args=[req.reference])


def test_spoc_sees_the_summary_until_giving_a_reason(client, alice, bob, sally, met):
    req = wf.under_review(alice, met, bob)
    client.force_login(sally)
    body = client.get(detail_url(req)).text
    assert req.subject_name not in body
    assert open_url(req) in body
    assert client.get(reverse("requests_app:pdf", args=[req.reference])).status_code == 403
    response = client.post(open_url(req), {"reason": "Checking it before reassigning to Bea."})
    assert response.status_code == 302
    assert req.subject_name in client.get(detail_url(req)).text
    access = PersonalDetailsAccess.objects.get()
    assert (access.user, access.reason) == (sally, "Checking it before reassigning to Bea.")
    event = AuditEvent.objects.get(action=AuditAction.PERSONAL_DETAILS_JUSTIFIED)
    assert (event.actor, event.object_reference) == (sally, req.reference)
    assert "Bea" not in event.detail  # the reason may name people: it stays off the trail


def test_a_reason_is_required_and_nothing_is_written_without_one(client, alice, bob, sally, met):
    req = wf.under_review(alice, met, bob)
    client.force_login(sally)
    response = client.post(open_url(req), {"reason": "   "})
    assert response.status_code == 200
    assert services.DETAILS_REASON_REQUIRED in response.text
    assert not PersonalDetailsAccess.objects.exists()
    with pytest.raises(ValueError, match="Enter why"):
        services.personal_details_access_open(reference=req.reference, user=sally, reason=" ")


def test_the_access_ends_after_an_hour(alice, bob, sally, met):
    req = wf.under_review(alice, met, bob)
    wf.open_details_if_spoc(sally, req)
    assert permissions.can_view_personal_details(sally, req)
    later = timezone.now() + services.SPOC_DETAILS_ACCESS + datetime.timedelta(seconds=1)
    with time_machine.travel(later):
        assert not permissions.can_view_personal_details(sally, req)


@pytest.mark.parametrize("persona", ["alice", "bob", "bea", "charlie", "cora", "brenda", "adam"])
def test_only_the_receiving_spoc_may_give_a_reason(client, request, persona, alice, bob, met):
    req = wf.under_review(alice, met, bob)
    user = request.getfixturevalue(persona)
    client.force_login(user)
    response = client.post(open_url(req), {"reason": "I would like to see it."})
    assert response.status_code == 403
    assert not PersonalDetailsAccess.objects.exists()
    event = AuditEvent.objects.filter(action=AuditAction.PERMISSION_DENIED).latest("id")
    assert event.actor == user


def test_a_draft_is_not_opened_to_the_receiving_spoc(client, alice, sally, met):
    req = wf.draft(alice, met)
    client.force_login(sally)
    assert client.post(open_url(req), {"reason": "Curious."}).status_code == 403


def test_other_legislation_free_text_stays_with_the_personal_details(
    client, alice, bea, sally, met
):
    req = wf.submitted(alice, met, legislation_other="Children Act 1989 s.47, case of J. Doe")
    for user in (bea, sally):
        client.force_login(user)
        inbox = client.get(reverse("requests_app:inbox")).text
        summary = client.get(detail_url(req)).text
        assert "J. Doe" not in inbox
        assert "J. Doe" not in summary
        assert "Other legislation" in summary
    wf.open_details_if_spoc(sally, req)
    assert "J. Doe" in client.get(detail_url(req)).text


def test_services_refuse_fields_that_are_not_part_a(alice, met):
    req = wf.draft(alice, met)
    with pytest.raises(ValueError, match="status"):
        services.request_update(reference=req.reference, editor=alice, data={"status": "disclosed"})
    with pytest.raises(ValueError, match="requester"):
        services.request_create(requester=alice, data={"requester": alice})
    req.refresh_from_db()
    assert req.status == "draft"


def test_a_one_word_reason_is_refused(client, alice, bob, sally, met):
    req = wf.under_review(alice, met, bob)
    client.force_login(sally)
    response = client.post(open_url(req), {"reason": "x"})
    assert services.DETAILS_REASON_TOO_SHORT in response.text
    assert not PersonalDetailsAccess.objects.exists()


def test_the_receiving_spocs_see_each_others_reasons(client, alice, bob, sally, sid, met):
    req = wf.under_review(alice, met, bob)
    wf.open_details_if_spoc(sally, req)
    client.force_login(sid)
    body = client.get(detail_url(req)).text
    assert "Checking the request before reassigning." in body
    assert sally.full_name in body
    client.force_login(bob)
    assert "Checking the request before reassigning." not in client.get(detail_url(req)).text
