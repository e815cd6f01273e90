"""protocol 10.5.2: need-to-know holds in every state, including states nobody planned for.

The receiving side sees a request only once it was sent (InformationRequest.reached_partner),
whatever its state now; a draft that will not be sent is deleted by its requester.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from requests_app import permissions, workflow
from requests_app.models import InformationRequest, Status
from tests import workflow_helpers as wf

pytestmark = pytest.mark.django_db

PERSONAS = ["alice", "colin", "bob", "bea", "sally", "sid", "charlie", "brenda", "adam"]


def _move(req: InformationRequest, action: str, actor, **data) -> InformationRequest:
    return workflow.transition(reference=req.reference, action=action, actor=actor, **data)


def _every_state(alice, bob, met) -> dict[str, InformationRequest]:
    """A request in every state the workflow reaches, plus drafts forced into every state (as a
    bug, a shell or an old version might leave them): none of those ever reached the partner."""
    states: dict[str, InformationRequest] = {"draft": wf.draft(alice, met)}
    states["submitted"] = wf.submitted(alice, met)
    states["under_review"] = wf.under_review(alice, met, bob)
    more = wf.under_review(alice, met, bob)
    states["more_information"] = _move(more, "request_more_information", bob, note="Dates?")
    states["disclosed"] = wf.disclosed(alice, met, bob)
    declined = wf.under_review(alice, met, bob)
    states["declined"] = _move(
        declined,
        "decline",
        bob,
        part_b=wf.part_b(signature_name=bob.full_name, decline_reason="Not necessary."),
    )
    states["closed"] = _move(wf.disclosed(alice, met, bob), "close", alice)
    states["withdrawn_after_sending"] = _move(wf.submitted(alice, met), "withdraw", alice)
    states["withdrawn_while_reviewed"] = _move(wf.under_review(alice, met, bob), "withdraw", alice)
    for status in Status:
        forced = wf.draft(alice, met)
        InformationRequest.objects.filter(pk=forced.pk).update(status=status)
        states[f"unsent_draft_forced_to_{status}"] = forced
    return {name: InformationRequest.objects.get(pk=req.pk) for name, req in states.items()}


def _expected(persona: str, req: InformationRequest) -> tuple[bool, bool]:
    """(sees the summary, sees the personal details) by the rules of 10.5.2 and 7.4."""
    sent = req.received_at is not None
    assigned = sent and req.assigned_officer_id is not None
    return {
        "alice": (True, True),  # the requester
        "bob": (sent, assigned),  # the disclosing officer who took it
        "bea": (sent, False),  # another disclosing officer of the receiving side
        "sally": (sent, False),  # the receiving SPOC, without a recorded reason
        "sid": (sent, False),  # the receiving back-up SPOC
    }.get(persona, (False, False))


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_state_for_every_role(client, request, persona, alice, bob, met):
    user = request.getfixturevalue(persona)
    states = _every_state(alice, bob, met)
    client.force_login(user)
    inbox = set()
    if permissions.roles.sees_inbox(user):
        for tab in ("open", "closed"):  # every request sent is open or closed
            page = client.get(reverse("requests_app:inbox"), {"tab": tab}).context["page"]
            # The paginator holds the tab's ids in order (the page reads only its rows).
            every_id = list(page.paginator.object_list)
            inbox |= set(
                InformationRequest.objects.filter(pk__in=every_id).values_list(
                    "reference", flat=True
                )
            )
    wrong = []
    for name, req in states.items():
        summary, details = _expected(persona, req)
        seen = (
            permissions.can_view_summary(user, req)
            or permissions.can_view_personal_details(user, req),
            permissions.can_view_personal_details(user, req),
        )
        if seen != (summary, details):
            wrong.append((name, "permissions", seen))
        response = client.get(reverse("requests_app:detail", args=[req.reference]))
        if response.status_code == 302 and permissions.can_edit(user, req):
            # A draft's requester works on it through its Part A task list: the check answers
            # page is where its details show.
            response = client.get(reverse("requests_app:check_answers", args=[req.reference]))
        if response.status_code != (200 if summary else 403):
            wrong.append((name, "page", response.status_code))
        if (req.subject_name in response.content.decode()) != details:
            wrong.append((name, "subject name on the page", not details))
        if permissions.roles.sees_inbox(user) and (req.reference in inbox) != (
            summary and persona != "alice"
        ):
            wrong.append((name, "inbox", req.reference in inbox))
    assert wrong == []


def test_a_draft_cannot_be_withdrawn(alice, met):
    req = wf.draft(alice, met)
    with pytest.raises(workflow.TransitionNotAllowed):
        _move(req, "withdraw", alice)
    req.refresh_from_db()
    assert req.status == Status.DRAFT


def test_receiving_organisation_events_start_when_it_is_sent(alice, met):
    req = wf.draft(alice, met)
    assert req.audit_organisations == (req.requesting_organisation, None)
    req = wf.submitted(alice, met)
    assert req.audit_organisations == (req.requesting_organisation, met)


def test_an_officer_who_stops_requesting_loses_sight_of_their_requests(client, alice, met):
    # 10.5.2: need-to-know ends with the role, for the requester too.
    req = wf.submitted(alice, met)
    alice.is_requesting_officer = False
    alice.is_board_member = True
    alice.save()
    client.force_login(alice)
    assert client.get(reverse("requests_app:detail", args=[req.reference])).status_code == 403
    assert client.get(reverse("requests_app:pdf", args=[req.reference])).status_code == 403
    assert not permissions.can_view_personal_details(alice, req)
