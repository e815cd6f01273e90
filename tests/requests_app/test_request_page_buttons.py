"""The request page's buttons come from the workflow table (ADR 0001, house style 5): in every
state, each person is offered exactly the moves the table allows them."""

from __future__ import annotations

import re

import pytest
from django.urls import Resolver404, resolve, reverse

from requests_app import permissions, workflow
from requests_app.models import InformationRequest
from tests import workflow_helpers as wf

pytestmark = pytest.mark.django_db

PERSONAS = ["alice", "colin", "bob", "bea", "sally", "charlie"]
BUTTON_GROUP = re.compile(r'<div class="govuk-button-group">(.*?)</div>', re.S)
BUTTON = re.compile(r'<a class="govuk-button[^"]*" href="([^"]+)"[^>]*>([^<]+)</a>')
SIGNED_FORM = re.compile(
    r'<form method="post" action="([^"]+)" novalidate>.*?<button type="submit" '
    r'class="govuk-button[^"]*"[^>]*>([^<]+)</button>',
    re.S,
)


def _move(req: InformationRequest, action: str, actor, **data) -> InformationRequest:
    return workflow.transition(reference=req.reference, action=action, actor=actor, **data)


def _every_state(alice, bob, sally, met) -> dict[str, InformationRequest]:
    states = {
        "draft": wf.draft(alice, met),
        "submitted": wf.submitted(alice, met),
        "under_review": wf.under_review(alice, met, bob),
        "more_information": wf.sent_back(alice, met, bob),
        "disclosed": wf.disclosed(alice, met, bob),
    }
    states["assigned_by_the_spoc"] = _move(wf.submitted(alice, met), "assign", sally, officer=bob)
    states["declined"] = _move(
        wf.under_review(alice, met, bob),
        "decline",
        bob,
        part_b=wf.part_b(signature_name=bob.full_name, decline_reason="Not necessary."),
    )
    states["closed"] = _move(wf.disclosed(alice, met, bob), "close", alice)
    states["withdrawn"] = _move(wf.submitted(alice, met), "withdraw", alice)
    return {name: InformationRequest.objects.get(pk=req.pk) for name, req in states.items()}


def _from_the_table(user, req: InformationRequest) -> tuple[list, list]:
    """(buttons, signature forms) as (url, text), read from the rows themselves."""
    buttons: list[tuple[str, str]] = []
    signed: list[tuple[str, str]] = []
    for name, t in workflow.TRANSITIONS.items():
        if req.status not in t.source or not t.allowed(user, req):
            continue
        args = [req.reference, name] if t.page == workflow.CONFIRM_PAGE else [req.reference]
        entry = (reverse(t.page, args=args), t.button_label(req))
        offered = signed if t.signed else buttons
        if entry not in offered:
            offered.append(entry)
    if permissions.can_delete_draft(user, req):
        buttons.append((reverse("requests_app:delete_draft", args=[req.reference]), "Delete draft"))
    return buttons, signed


def _on_the_page(body: str) -> tuple[list, list]:
    group = BUTTON_GROUP.search(body)
    buttons = BUTTON.findall(group.group(1)) if group else []
    signed = [
        (url, text.strip())
        for url, text in SIGNED_FORM.findall(body)
        if url.startswith("/requests/") and "/pdf/" not in url
    ]
    return buttons, signed


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_buttons_on_the_page_are_the_tables(client, request, persona, alice, bob, sally, met):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    wrong = []
    for name, req in _every_state(alice, bob, sally, met).items():
        response = client.get(reverse("requests_app:detail", args=[req.reference]))
        if response.status_code != 200:
            continue  # refused: no page, no buttons (test_need_to_know_states)
        expected = _from_the_table(user, req)
        page = _on_the_page(response.content.decode())
        offered = [(action.url, action.label) for action in workflow.available_actions(user, req)]
        delete_draft = [button for button in expected[0] if button[1] == "Delete draft"]
        if page != expected or sorted(page[0] + page[1]) != sorted(offered + delete_draft):
            wrong.append((name, page, expected))
    assert wrong == []


def test_the_decision_page_is_one_button_for_disclose_and_decline(bob, alice, met):
    req = wf.under_review(alice, met, bob)
    decide = [a for a in workflow.available_actions(bob, req) if "disclose" in a.actions]
    assert len(decide) == 1
    assert decide[0].actions == ("disclose", "decline")
    assert decide[0].label == "Decide (Part B)"
    assert decide[0].url == reverse("requests_app:decide", args=[req.reference])


@pytest.mark.parametrize("action", list(workflow.TRANSITIONS))
def test_the_action_url_matches_only_moves_of_the_confirm_page(action):
    path = f"/requests/ISP-2026-000001/{action}/"
    try:
        url_name = resolve(path).view_name
    except Resolver404:
        url_name = None
    if workflow.TRANSITIONS[action].page == workflow.CONFIRM_PAGE:
        assert url_name == workflow.CONFIRM_PAGE
    else:
        assert url_name != workflow.CONFIRM_PAGE
