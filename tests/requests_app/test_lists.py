"""The inbox and My requests: Open / Closed, My cases / Unassigned / Drafts tabs, days left,
the GOV.UK date filter, a search that only finds what its reader may see (and is audited
without the words typed), counts on the home page, and one current navigation item."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from governance.audit.models import AuditAction, AuditEvent
from requests_app import permissions, workflow
from requests_app.models import InformationRequest
from tests import workflow_helpers as wf

pytestmark = pytest.mark.django_db

INBOX = reverse("requests_app:inbox")
MINE = reverse("requests_app:mine")
SUBJECT = "Zed Quill"


def refs(response) -> list[str]:
    assert response.status_code == 200
    return [req.reference for req in response.context["page"]]


def tab_counts(response) -> dict[str, int]:
    return {tab.label: tab.count for tab in response.context["tabs"]}


def overdue(req: InformationRequest, days: int = 2) -> None:
    InformationRequest.objects.filter(pk=req.pk).update(
        due_date=timezone.localdate() - datetime.timedelta(days=days)
    )


@pytest.fixture
def queue(alice, bob, met):
    """The Met's queue: one unassigned, two of Bob's (one sent back), one disclosed."""
    unassigned = wf.submitted(alice, met, subject_name=SUBJECT)
    reviewing = wf.under_review(alice, met, bob, subject_name=SUBJECT)
    sent_back = wf.sent_back(alice, met, bob)
    disclosed = wf.disclosed(alice, met, bob)
    return {
        "unassigned": unassigned,
        "reviewing": reviewing,
        "sent_back": sent_back,
        "disclosed": disclosed,
    }


# Tabs ---------------------------------------------------------------------------------------


def test_inbox_splits_open_mine_unassigned_and_closed(client, bob, queue):
    client.force_login(bob)
    response = client.get(INBOX)
    assert tab_counts(response) == {"Open": 3, "My cases": 2, "Unassigned": 1, "Closed": 1}
    assert set(refs(response)) == {
        queue[name].reference for name in ("unassigned", "reviewing", "sent_back")
    }
    assert set(refs(client.get(INBOX, {"tab": "mine"}))) == {
        queue["reviewing"].reference,
        queue["sent_back"].reference,
    }
    assert refs(client.get(INBOX, {"tab": "unassigned"})) == [queue["unassigned"].reference]
    assert refs(client.get(INBOX, {"tab": "closed"})) == [queue["disclosed"].reference]
    # The address the inbox used before its tabs.
    assert set(refs(client.get(INBOX, {"assigned": "me"}))) == set(
        refs(client.get(INBOX, {"tab": "mine"}))
    )
    # An unknown tab is the first one, not an error.
    assert refs(client.get(INBOX, {"tab": "nonsense"})) == refs(response)


def test_the_current_tab_is_marked_and_tabs_keep_the_search(client, bob, queue):
    client.force_login(bob)
    body = client.get(INBOX, {"tab": "closed", "search": "Haringey"}).content.decode()
    assert re.search(r'href="\?tab=closed&amp;search=Haringey" aria-current="page"', body)
    assert 'href="?tab=open&amp;search=Haringey"' in body


def test_a_spoc_has_no_my_cases_tab(client, sally, queue):
    client.force_login(sally)
    response = client.get(INBOX, {"tab": "mine"})
    assert tab_counts(response) == {"Open": 3, "Unassigned": 1, "Closed": 1}
    assert response.context["tab"] == "open"


def test_my_requests_split_open_drafts_and_closed(client, alice, bob, met):
    draft = wf.draft(alice, met)
    submitted = wf.submitted(alice, met)
    sent_back = wf.sent_back(alice, met, bob)
    disclosed = wf.disclosed(alice, met, bob)
    withdrawn = workflow.transition(
        reference=wf.submitted(alice, met).reference, action="withdraw", actor=alice
    )
    client.force_login(alice)
    response = client.get(MINE)
    assert tab_counts(response) == {"Open": 2, "Drafts": 1, "Closed": 2}
    # The one awaiting the requester's reply comes first, and says so.
    assert refs(response) == [sent_back.reference, submitted.reference]
    assert "Awaiting your reply" in response.content.decode()
    drafts = client.get(MINE, {"tab": "drafts"})
    assert refs(drafts) == [draft.reference]
    assert reverse("requests_app:delete_draft", args=[draft.reference]) in drafts.text
    assert set(refs(client.get(MINE, {"tab": "closed"}))) == {
        disclosed.reference,
        withdrawn.reference,
    }
    awaiting = client.get(MINE, {"tab": "open", "status": "more_information"})
    assert refs(awaiting) == [sent_back.reference]


def test_lists_show_days_left_and_the_deadline_tags(client, alice, bob, met, queue):
    overdue(queue["reviewing"])
    client.force_login(bob)
    body = client.get(INBOX).content.decode()
    assert "2 working days overdue" in body or "1 working day overdue" in body
    assert 'govuk-tag app-tag--nowrap govuk-tag--red">Overdue' in body
    assert "Clock stopped</strong>" in body  # the request sent back for more information
    assert "working days left" in body
    # Overdue first.
    assert refs(client.get(INBOX))[0] == queue["reviewing"].reference
    client.force_login(alice)
    assert '">Overdue</strong>' in client.get(MINE).content.decode()


# The date filter ----------------------------------------------------------------------------


def test_due_date_filter_is_a_govuk_date_input(client, bob, queue):
    later = queue["unassigned"]
    InformationRequest.objects.filter(pk=later.pk).update(
        due_date=timezone.localdate() + datetime.timedelta(days=60)
    )
    cutoff = timezone.localdate() + datetime.timedelta(days=30)
    client.force_login(bob)
    response = client.get(
        INBOX,
        {
            "due_before_day": cutoff.day,
            "due_before_month": cutoff.month,
            "due_before_year": cutoff.year,
        },
    )
    assert later.reference not in refs(response)
    assert queue["reviewing"].reference in refs(response)
    body = response.content.decode()
    assert 'name="due_before_day"' in body
    assert 'type="date"' not in body


@pytest.mark.parametrize(
    ("parts", "message", "anchor"),
    [
        ({"due_before_day": "31"}, "Reply due date must include a month and year", "month"),
        (
            {"due_before_day": "31", "due_before_month": "2", "due_before_year": "2027"},
            "Reply due date must be a real date",
            "day",
        ),
        (
            {"due_before_day": "1", "due_before_month": "2", "due_before_year": "27"},
            "Year must include 4 numbers",
            "year",
        ),
    ],
)
def test_a_bad_date_is_an_error_on_the_form_and_the_list_still_shows(
    client, bob, queue, parts, message, anchor
):
    client.force_login(bob)
    response = client.get(INBOX, parts)
    assert response.status_code == 200
    body = response.content.decode()
    assert "There is a problem" in body
    assert f'<a href="#due_before_{anchor}">{message}' in body
    assert len(refs(response)) == 3


# Search -------------------------------------------------------------------------------------


def test_search_by_reference_partner_and_officer(client, alice, bob, charlie, met, queue):
    from_lfb = wf.submitted(charlie, met)
    client.force_login(bob)
    reference = queue["unassigned"].reference
    assert refs(client.get(INBOX, {"search": reference.lower()})) == [reference]
    assert refs(client.get(INBOX, {"search": reference[-6:]})) == [reference]
    assert refs(client.get(INBOX, {"search": "fire brigade"})) == [from_lfb.reference]
    assert refs(client.get(INBOX, {"search": "lfb"})) == [from_lfb.reference]
    assert set(refs(client.get(INBOX, {"search": "Charlie Clark"}))) == {from_lfb.reference}
    mine = set(refs(client.get(INBOX, {"search": "Bob Brown"})))
    assert mine == {queue["reviewing"].reference, queue["sent_back"].reference}
    client.force_login(alice)
    assert set(refs(client.get(MINE, {"search": "Metropolitan"}))) == {
        queue[name].reference for name in ("unassigned", "reviewing", "sent_back")
    }


def test_a_name_finds_only_requests_whose_personal_details_the_reader_may_see(
    client, bob, bea, sally, sid, charlie, queue
):
    client.force_login(bob)  # holds the grant on the request he reviews, not the unassigned
    assert refs(client.get(INBOX, {"search": SUBJECT})) == [queue["reviewing"].reference]
    for user in (bea, sally, sid, charlie):  # the summary only, or another organisation
        client.force_login(user)
        response = client.get(INBOX, {"search": SUBJECT})
        assert refs(response) == [], user
        assert tab_counts(response)["Open"] == 0
        # The name is on the page only where it was typed: in the search box.
        assert response.content.decode().count(SUBJECT) == 1
    # The SPOC who records a reason sees that request's details, and a name then finds it.
    wf.open_details_if_spoc(sally, queue["unassigned"])
    client.force_login(sally)
    assert refs(client.get(INBOX, {"search": "zed quill"})) == [queue["unassigned"].reference]
    client.force_login(sid)
    assert refs(client.get(INBOX, {"search": SUBJECT})) == []


def test_name_search_agrees_with_the_permission_rule_in_every_state(
    client, alice, bob, bea, sally, charlie, met
):
    """The list's rule (selectors) and the page's rule (permissions) are the same rule."""
    made = [
        wf.submitted(alice, met, subject_name=SUBJECT),
        wf.under_review(alice, met, bob, subject_name=SUBJECT),
        workflow.transition(
            reference=wf.under_review(alice, met, bob, subject_name=SUBJECT).reference,
            action="withdraw",
            actor=alice,
        ),
        wf.draft(alice, met, subject_name=SUBJECT),
    ]
    reassigned = wf.under_review(alice, met, bob, subject_name=SUBJECT)
    workflow.transition(reference=reassigned.reference, action="assign", actor=sally, officer=bea)
    made.append(reassigned)
    for user in (bob, bea, sally, charlie):
        client.force_login(user)
        found = set()
        for tab in ("open", "closed"):
            if permissions.roles.sees_inbox(user):
                found |= set(refs(client.get(INBOX, {"search": SUBJECT, "tab": tab})))
        expected = {
            req.reference
            for req in InformationRequest.objects.filter(pk__in=[r.pk for r in made])
            if permissions.can_view_personal_details(user, req)
        }
        assert found == expected, user


def test_my_requests_search_stays_within_my_own(client, alice, colin, met):
    mine = wf.submitted(alice, met, subject_name=SUBJECT)
    wf.submitted(colin, met, subject_name=SUBJECT)
    client.force_login(alice)
    assert refs(client.get(MINE, {"search": "zed"})) == [mine.reference]
    client.force_login(colin)
    assert len(refs(client.get(MINE, {"search": "zed"}))) == 1
    assert refs(client.get(MINE, {"search": mine.reference})) == []


def test_an_officer_who_moved_organisation_finds_nothing_of_the_old_one(client, alice, met, lfb):
    wf.submitted(alice, met, subject_name=SUBJECT)
    alice.organisation = lfb
    alice.save()
    client.force_login(alice)
    assert refs(client.get(MINE, {"search": SUBJECT})) == []
    assert refs(client.get(MINE)) == []


@pytest.mark.parametrize(("persona", "url"), [("brenda", INBOX), ("adam", INBOX), ("brenda", MINE)])
def test_people_without_the_list_get_no_search(client, request, queue, persona, url):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(url, {"search": SUBJECT})
    assert response.status_code == 403
    assert SUBJECT not in response.content.decode()
    assert not AuditEvent.objects.filter(action=AuditAction.SEARCH_MADE).exists()


def test_a_search_is_audited_without_the_name_typed(client, alice, bob, queue):
    client.force_login(bob)
    client.get(INBOX)  # no search: no event
    assert not AuditEvent.objects.filter(action=AuditAction.SEARCH_MADE).exists()
    client.get(INBOX, {"search": SUBJECT})
    event = AuditEvent.objects.filter(action=AuditAction.SEARCH_MADE).latest("id")
    assert event.actor == bob
    assert event.actor_organisation == bob.organisation
    assert event.detail == "inbox search by name, partner or officer, open tab: 1 result"
    assert "Zed" not in event.detail
    assert "Quill" not in event.detail
    reference = queue["unassigned"].reference
    client.get(INBOX, {"search": reference, "tab": "closed"})
    event = AuditEvent.objects.filter(action=AuditAction.SEARCH_MADE).latest("id")
    assert event.detail == f"inbox search by reference {reference}, closed tab: 0 results"
    client.force_login(alice)
    client.get(MINE, {"search": "Sam"})
    event = AuditEvent.objects.filter(action=AuditAction.SEARCH_MADE).latest("id")
    assert event.actor == alice
    assert event.detail.startswith("my requests search by name, partner or officer")
    assert "Sam" not in event.detail


# Query counts -------------------------------------------------------------------------------


def _queries(client, url: str, params: dict) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200
    assert response.context["page"].object_list  # rows were really listed
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "params",
    [{}, {"tab": "mine"}, {"tab": "closed"}, {"search": SUBJECT}, {"search": "Haringey"}],
    ids=["open", "mine", "closed", "name", "partner"],
)
def test_inbox_queries_do_not_grow_with_requests(client, alice, bob, met, params):
    def add() -> None:
        wf.under_review(alice, met, bob, subject_name=SUBJECT)
        wf.disclosed(alice, met, bob)

    add()
    client.force_login(bob)
    few = _queries(client, INBOX, params)
    for _ in range(6):
        add()
    assert _queries(client, INBOX, params) == few


@pytest.mark.parametrize("params", [{}, {"tab": "drafts"}, {"search": SUBJECT}])
def test_my_requests_queries_do_not_grow_with_requests(client, alice, bob, met, params):
    def add() -> None:
        wf.draft(alice, met, subject_name=SUBJECT)
        wf.sent_back(alice, met, bob)
        wf.submitted(alice, met, subject_name=SUBJECT)

    add()
    client.force_login(alice)
    few = _queries(client, MINE, params)
    for _ in range(6):
        add()
    assert _queries(client, MINE, params) == few


# Home page counts ---------------------------------------------------------------------------


def test_home_counts_link_to_their_lists(client, alice, bob, sally, brenda, met, queue):
    overdue(queue["reviewing"])
    wf.draft(alice, met)
    client.force_login(bob)
    body = client.get(reverse("home")).content.decode()
    assert '<a class="govuk-link" href="/inbox/?tab=mine">2 to decide, 1 overdue</a>' in body
    assert '<a class="govuk-link" href="/inbox/?tab=unassigned">1 unassigned</a>' in body
    client.force_login(sally)
    body = client.get(reverse("home")).content.decode()
    assert "?tab=mine" not in body  # a SPOC decides nothing
    assert '<a class="govuk-link" href="/inbox/?tab=open">3 open, 1 overdue</a>' in body
    client.force_login(alice)
    body = client.get(reverse("home")).content.decode()
    assert '<a class="govuk-link" href="/requests/?tab=drafts">1 draft</a>' in body
    assert (
        '<a class="govuk-link" href="/requests/?tab=open&amp;status=more_information">'
        "1 awaiting your reply</a>" in body
    )
    client.force_login(brenda)
    assert "Your work" not in client.get(reverse("home")).content.decode()


def test_home_counts_cost_a_query_per_list(client, alice, bob, met):
    wf.under_review(alice, met, bob)
    client.force_login(bob)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("home"))
    for _ in range(5):
        wf.under_review(alice, met, bob)
    with CaptureQueriesContext(connection) as more:
        client.get(reverse("home"))
    assert len(few) == len(more)


# Navigation ---------------------------------------------------------------------------------


def _current_items(body: str) -> list[tuple[str, str]]:
    nav = body.split('class="govuk-service-navigation__list"')[1].split("</ul>")[0]
    return re.findall(r'href="([^"]+)" aria-current="(page|true)"', nav)


def test_one_navigation_item_is_current(client, charlie, alice, bob, met):
    req = wf.submitted(alice, met)
    client.force_login(charlie)  # requests and discloses: Inbox, My requests, New request
    assert _current_items(client.get(reverse("requests_app:new")).text) == [
        ("/requests/new/", "page")
    ]
    assert _current_items(client.get(MINE).text) == [("/requests/", "page")]
    assert _current_items(client.get(INBOX, {"tab": "closed"}).text) == [("/inbox/", "page")]
    client.force_login(alice)
    detail = client.get(reverse("requests_app:detail", args=[req.reference])).text
    assert _current_items(detail) == [("/requests/", "true")]
    assert _current_items(client.get(reverse("home")).text) == []


@pytest.mark.parametrize(
    ("typed", "recorded"),
    [
        ("ISP-2026-000123", "reference ISP-2026-000123"),
        ("isp 2026", "reference ISP2026"),
        ("000123", "reference 000123"),
        ("2026-000123", "reference 2026-000123"),
        ("Zed Quill", "name, partner or officer"),
        ("07700 900123", "name, partner or officer"),  # a phone number is not a reference
        ("27031990", "name, partner or officer"),  # nor a date of birth
        ("1990-03-27", "name, partner or officer"),
    ],
)
def test_only_a_reference_is_recorded_as_typed(typed, recorded):
    from requests_app.inbox_forms import search_kind

    assert search_kind(typed) == recorded


# The blank search form's HTML is reused -------------------------------------------------------


def _search_form(body: str) -> str:
    return re.search(r'<form method="get"[^>]*role="search".*?</form>', body, re.S).group(0)


def test_a_blank_search_form_is_reused_and_a_filled_one_never_is(client, alice, bob, queue):
    client.force_login(bob)
    first = _search_form(client.get(INBOX, {"tab": "closed"}).content.decode())
    searched = _search_form(
        client.get(
            INBOX, {"tab": "closed", "search": SUBJECT, "status": "disclosed"}
        ).content.decode()
    )
    assert f'value="{SUBJECT}"' in searched
    assert '<details class="govuk-details" open>' in searched
    # The next blank page shows none of that search: the reused HTML is the blank form's.
    again = _search_form(client.get(INBOX, {"tab": "closed"}).content.decode())
    assert again == first
    assert SUBJECT not in again
    assert 'name="tab" value="closed"' in again
    # Each tab and each list keeps its own form: My requests can filter drafts, the inbox not.
    assert 'name="tab" value="open"' in _search_form(client.get(INBOX).content.decode())
    assert ">Draft</option>" not in again
    client.force_login(alice)
    mine = _search_form(client.get(MINE, {"tab": "closed"}).content.decode())
    assert ">Draft</option>" in mine


def test_an_invalid_filter_is_never_answered_from_the_reused_form(client, bob, queue):
    client.force_login(bob)
    client.get(INBOX)
    bad = client.get(
        INBOX, {"due_before_day": "45", "due_before_month": "1", "due_before_year": "2027"}
    )
    body = bad.content.decode()
    assert "govuk-error-summary" in body
    assert 'value="45"' in _search_form(body)


def test_the_closed_tab_is_counted_up_to_a_cap_away_from_it(client, alice, bob, met, monkeypatch):
    from requests_app import selectors

    monkeypatch.setattr(selectors, "CLOSED_COUNT_CAP", 2)
    for _ in range(3):
        wf.disclosed(alice, met, bob)
    client.force_login(bob)
    body = client.get(INBOX).content.decode()
    assert 'Closed <span class="app-count">(2+)</span>' in body
    closed = client.get(INBOX, {"tab": "closed"})
    assert 'Closed <span class="app-count">(3)</span>' in closed.content.decode()
    assert closed.context["page"].paginator.count == 3
