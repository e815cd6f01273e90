"""/audit/: the SPOC's review of the events involving their organisation (protocol 7.3, 7.4)."""

from __future__ import annotations

import csv
import datetime
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from governance.audit import trail as audit
from governance.audit.models import AuditAction, AuditEvent
from governance.people.access import REFUSAL_MESSAGE
from requests_app.models import InformationRequest
from tests import workflow_helpers as wf

pytestmark = pytest.mark.django_db

URL = reverse("oversight:audit")
LONDON = ZoneInfo("Europe/London")


def shown(response) -> list[AuditEvent]:
    assert response.status_code == 200
    return response.context["page"].events


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(text)))


def date_params(name: str, day: datetime.date) -> dict[str, int]:
    return {f"{name}_day": day.day, f"{name}_month": day.month, f"{name}_year": day.year}


@pytest.fixture
def trail(alice, bob, charlie, met):
    """Three organisations' internal events and one request from the Council to the Met."""
    audit.record(action=AuditAction.SIGNED_IN, actor=alice)  # Council, internal
    audit.record(action=AuditAction.SIGNED_IN, actor=bob)  # Met, internal
    audit.record(action=AuditAction.SIGNED_IN, actor=charlie)  # London Fire Brigade, internal
    audit.record(action=AuditAction.SIGN_IN_FAILED)  # nobody's
    return wf.under_review(alice, met, bob)


# Who may see it -----------------------------------------------------------------------------


def test_spoc_sees_their_people_and_requests_to_their_organisation(client, sally, trail, bob):
    client.force_login(sally)
    events = shown(client.get(URL))
    assert {(e.action, e.actor_name) for e in events} == {
        (AuditAction.SIGNED_IN, bob.full_name),
        # The draft's creation is the Council's internal event: the Met sees it from submission.
        (AuditAction.REQUEST_SUBMITTED, "Alice Able"),
        (AuditAction.REQUEST_ASSIGNED, bob.full_name),
    }


def test_spoc_never_sees_another_organisations_internal_events(client, sally, trail, alice):
    client.force_login(sally)
    events = shown(client.get(URL))
    assert all(
        e.actor_organisation_id == sally.organisation_id or e.object_reference for e in events
    )
    assert not [e for e in events if e.action == AuditAction.SIGNED_IN and e.actor == alice]
    assert "Charlie Clark" not in client.get(URL).content.decode()


def test_requesting_organisations_spoc_sees_the_request_but_not_the_mets_sign_ins(
    client, cora, trail, alice, bob
):
    client.force_login(cora)
    events = shown(client.get(URL))
    assert {(e.action, e.actor_name) for e in events} == {
        (AuditAction.SIGNED_IN, alice.full_name),
        (AuditAction.REQUEST_CREATED, alice.full_name),
        (AuditAction.REQUEST_SUBMITTED, alice.full_name),
        (AuditAction.REQUEST_ASSIGNED, bob.full_name),
    }


def test_backup_spoc_sees_the_audit_trail(client, sid, trail):
    client.force_login(sid)
    assert len(shown(client.get(URL))) == 3


def test_an_event_involving_the_organisation_twice_is_listed_once(client, sally, bob, met):
    audit.record(action=AuditAction.SIGNED_IN, actor=bob, receiving_organisation=met)
    client.force_login(sally)
    assert len(shown(client.get(URL))) == 1


@pytest.mark.parametrize("persona", ["alice", "bob", "brenda", "adam", "charlie"])
@pytest.mark.parametrize("params", [{}, {"format": "csv"}])
def test_people_who_are_not_a_spoc_are_refused(client, request, persona, params, trail):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    response = client.get(URL, params)
    assert response.status_code == 403
    assert REFUSAL_MESSAGE in response.content.decode()
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT_MADE).exists()
    refusal = AuditEvent.objects.order_by("-id").first()
    assert refusal.action == AuditAction.PERMISSION_DENIED
    assert refusal.actor == user
    assert refusal.detail == "GET /audit/ audit"


@pytest.mark.parametrize("params", [{}, {"format": "csv"}])
def test_anonymous_people_are_sent_to_sign_in(client, params, trail):
    response = client.get(URL, params)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT_MADE).exists()


# Filters ------------------------------------------------------------------------------------


def test_filter_by_person(client, sally, trail, bob):
    client.force_login(sally)
    events = shown(client.get(URL, {"person": bob.email}))
    assert events
    assert {e.actor for e in events} == {bob}


def test_person_filter_offers_only_the_organisations_people(client, sally, sid, bob, alice):
    client.force_login(sally)
    choices = [str(label) for _, label in client.get(URL).context["form"].fields["person"].choices]
    assert set(choices) == {"Anyone", bob.full_name, sally.full_name, sid.full_name}


def test_person_of_another_organisation_is_an_error_not_a_leak(client, sally, trail, alice):
    client.force_login(sally)
    response = client.get(URL, {"person": alice.email})
    assert response.status_code == 200
    assert response.context["page"] is None
    assert "Select a person from the list" in response.content.decode()


def test_filter_by_action(client, sally, trail):
    client.force_login(sally)
    events = shown(client.get(URL, {"action": AuditAction.REQUEST_ASSIGNED}))
    assert [e.action for e in events] == [AuditAction.REQUEST_ASSIGNED]


def test_filter_by_request_reference_ignores_case_and_spaces(client, sally, trail, alice, met):
    other = wf.submitted(alice, met)
    client.force_login(sally)
    events = shown(client.get(URL, {"reference": f" {trail.reference.lower()} "}))
    assert {e.object_reference for e in events} == {trail.reference}
    assert other.reference not in {e.object_reference for e in events}


def test_filter_by_date_range_in_local_days(client, sally, bob):
    # 23:30 on 31 July in London is 22:30 UTC: still 31 July for the SPOC.
    for moment in ("2026-07-30 12:00", "2026-07-31 23:30", "2026-08-01 00:30"):
        local = datetime.datetime.fromisoformat(moment).replace(tzinfo=LONDON)
        with time_machine.travel(local, tick=False):
            audit.record(action=AuditAction.SIGNED_IN, actor=bob)
    client.force_login(sally)
    day = datetime.date(2026, 7, 31)
    events = shown(
        client.get(URL, {**date_params("date_from", day), **date_params("date_to", day)})
    )
    assert [e.occurred_at.astimezone(LONDON).strftime("%d %H:%M") for e in events] == ["31 23:30"]


def test_a_date_that_is_not_real_shows_a_govuk_error(client, sally, trail):
    client.force_login(sally)
    response = client.get(
        URL, {"date_from_day": "31", "date_from_month": "2", "date_from_year": "2026"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Audit trail" in body
    assert "govuk-error-summary" in body
    assert 'href="#id_date_from_day"' in body
    assert "From date must be a real date" in body
    assert response.context["page"] is None


def test_an_incomplete_date_names_the_missing_part(client, sally):
    client.force_login(sally)
    response = client.get(URL, {"date_to_day": "3", "date_to_year": "2026"})
    assert "To date must include a month" in response.content.decode()


def test_to_date_before_from_date_is_an_error(client, sally):
    client.force_login(sally)
    response = client.get(
        URL,
        {
            **date_params("date_from", datetime.date(2026, 5, 2)),
            **date_params("date_to", datetime.date(2026, 5, 1)),
        },
    )
    assert "To date must be the same as or after the from date" in response.content.decode()


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"action": "rewrite_history"}, "Select an action from the list"),
        ({"highlight": "everything"}, "Select what to show from the list"),
        ({"reference": "X" * 41}, "Request reference must be 40 characters or fewer"),
        (
            {"date_from_day": "1", "date_from_month": "1", "date_from_year": "26"},
            "Year must include 4 numbers",
        ),
    ],
)
def test_bad_filters_are_errors_never_a_server_error(client, sally, params, message):
    client.force_login(sally)
    response = client.get(URL, params)
    assert response.status_code == 200
    assert message in response.content.decode()


def test_bad_filters_do_not_export(client, sally):
    client.force_login(sally)
    response = client.get(URL, {"format": "csv", "action": "rewrite_history"})
    assert response["Content-Type"].startswith("text/html")
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT_MADE).exists()


def test_selected_filters_are_tags_that_remove_themselves(client, sally, bob, trail):
    client.force_login(sally)
    response = client.get(
        URL,
        {
            "action": AuditAction.SIGNED_IN,
            "person": bob.email,
            **date_params("date_from", datetime.date(2026, 1, 2)),
        },
    )
    tags = {c.heading: c.tags[0] for c in response.context["selected_filters"]}
    assert tags["Action"].text == "Signed in"
    assert tags["Person"].text == bob.full_name
    assert tags["From"].text == "2 January 2026"
    assert "date_from" not in tags["From"].href
    assert "action=signed_in" in tags["From"].href


# Highlights ---------------------------------------------------------------------------------


def test_refused_accesses_are_counted_and_listed(client, sally, charlie, alice, met, trail):
    client.force_login(charlie)
    client.get(reverse("requests_app:detail", args=[trail.reference]))  # refused
    client.force_login(sally)
    response = client.get(URL)
    assert response.context["highlights"].refused == 1
    preset = dict((h.value, q) for h, _, q in response.context["presets"])["refused"]
    events = shown(client.get(f"{URL}?{preset}"))
    assert [(e.action, e.actor_name) for e in events] == [
        (AuditAction.PERMISSION_DENIED, charlie.full_name)
    ]


def test_out_of_hours_access_to_personal_details_is_counted_and_listed(
    client, settings, sally, bob, trail
):
    settings.AUDIT_WORKING_HOURS = (7, 19)
    today = timezone.localdate()
    for hour, minute in ((6, 59), (7, 0), (18, 59), (19, 0), (23, 30)):
        local = datetime.datetime.combine(today, datetime.time(hour, minute), tzinfo=LONDON)
        with time_machine.travel(local - datetime.timedelta(days=1), tick=False):
            audit.record(action=AuditAction.PERSONAL_DETAILS_VIEWED, actor=bob, obj=trail)
    client.force_login(sally)
    response = client.get(URL)
    assert response.context["highlights"].out_of_hours == 3
    preset = dict((h.value, q) for h, _, q in response.context["presets"])["out_of_hours"]
    events = shown(client.get(f"{URL}?{preset}"))
    assert sorted(e.occurred_at.astimezone(LONDON).strftime("%H:%M") for e in events) == [
        "06:59",
        "19:00",
        "23:30",
    ]


def test_decisions_without_consent_are_counted_and_listed(client, sally, alice, bob, met):
    req = wf.disclosed(alice, met, bob)
    assert req.decision_record.with_consent is False
    client.force_login(sally)
    response = client.get(URL)
    assert response.context["highlights"].without_consent == 1
    preset = dict((h.value, q) for h, _, q in response.context["presets"])["without_consent"]
    events = shown(client.get(f"{URL}?{preset}"))
    assert [(e.action, e.object_reference) for e in events] == [
        (AuditAction.REQUEST_DECIDED, req.reference)
    ]


def test_overdue_requests_are_counted_and_their_events_listed(client, cora, alice, bob, met):
    late = wf.submitted(alice, met)
    on_time = wf.submitted(alice, met)
    # The date required has passed: set directly, as the form refuses a date in the past.
    InformationRequest.objects.filter(pk=late.pk).update(
        required_by=timezone.localdate() - datetime.timedelta(days=2),
        due_date=timezone.localdate() - datetime.timedelta(days=2),
    )
    client.force_login(cora)
    response = client.get(URL)
    assert response.context["highlights"].overdue == 1
    preset = dict((h.value, q) for h, _, q in response.context["presets"])["overdue"]
    events = shown(client.get(f"{URL}?{preset}"))
    assert {e.object_reference for e in events} == {late.reference}
    assert on_time.reference != late.reference


def test_highlights_exclude_other_organisations(client, cora, charlie, bob):
    audit.record(action=AuditAction.PERMISSION_DENIED, actor=charlie, detail="GET /audit/ audit")
    audit.record(action=AuditAction.PERMISSION_DENIED, actor=bob, detail="GET /audit/ audit")
    client.force_login(cora)
    assert client.get(URL).context["highlights"].refused == 0


# Paging and cost ----------------------------------------------------------------------------


def test_twenty_five_events_a_page_newest_first_with_their_count(client, sally, bob):
    for number in range(35):
        audit.record(action=AuditAction.SIGNED_IN, actor=bob, detail=f"n{number}")
    client.force_login(sally)
    first = client.get(URL)
    page = first.context["page"]
    assert len(page.events) == 25
    assert (page.has_previous, page.has_next) == (False, True)
    assert page.events[0].detail == "n34"
    assert page.count == 35
    body = first.content.decode()
    assert "page=2" in body
    assert "35 events involving" in body
    assert "Showing 1 to 25" in body
    second = client.get(URL, {"page": 2}).context["page"]
    assert [e.detail for e in second.events] == [f"n{n}" for n in range(9, -1, -1)]
    assert (second.has_previous, second.has_next) == (True, False)
    assert second.count == 35
    assert client.get(URL, {"page": "last"}).context["page"].number == 1
    # A page past the last lists nothing and does not guess a count.
    beyond = client.get(URL, {"page": 9}).context["page"]
    assert (beyond.events, beyond.count) == ([], None)


def _queries_for_page(client, params: dict[str, object]) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, params)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "params",
    [{}, {"action": "personal_details_viewed"}, {"highlight": "out_of_hours"}],
    ids=["no filter", "action", "highlight"],
)
def test_page_queries_do_not_grow_with_events(client, sally, bob, alice, met, params):
    req = wf.submitted(alice, met)

    def add(count: int) -> None:
        for _ in range(count):
            audit.record(action=AuditAction.PERSONAL_DETAILS_VIEWED, actor=bob, obj=req)

    client.force_login(sally)
    add(5)
    with_five = _queries_for_page(client, {**params, "person": bob.email})
    add(195)
    with_two_hundred = _queries_for_page(client, {**params, "person": bob.email})
    assert with_five == with_two_hundred
    assert with_five > 5  # the count is real: session, people, highlights, the list


# CSV export ---------------------------------------------------------------------------------


def test_csv_export_holds_the_filtered_view(client, sally, trail, alice, bob, council, met):
    client.force_login(sally)
    rows = csv_rows(client.get(URL, {"format": "csv", "reference": trail.reference}))
    assert rows[0] == [
        "Date and time",
        "Who",
        "Organisation",
        "Action",
        "Reference",
        "Requesting organisation",
        "Receiving organisation",
        "Detail",
    ]
    orgs = (council.name, met.name)
    assert [(r[1], r[3], r[4], r[5], r[6]) for r in rows[1:]] == [
        (bob.full_name, "Request assigned", trail.reference, *orgs),
        (alice.full_name, "Request submitted", trail.reference, *orgs),
    ]


def test_csv_export_reads_every_event_in_batches(client, sally, bob):
    for number in range(2_105):
        audit.record(action=AuditAction.SIGNED_IN, actor=bob, detail=f"n{number}")
    client.force_login(sally)
    rows = csv_rows(client.get(URL, {"format": "csv"}))
    details = [r[7] for r in rows[1:] if r[3] == "Signed in"]
    assert details == [f"n{n}" for n in range(2_104, -1, -1)]


def test_csv_export_never_holds_subject_data(client, sally, alice, bob, met):
    wf.disclosed(alice, met, bob)
    client.force_login(sally)
    text = "\n".join(",".join(r) for r in csv_rows(client.get(URL, {"format": "csv"})))
    assert "Sam Example" not in text
    assert "Example Road" not in text


def test_csv_cells_cannot_run_as_spreadsheet_formulas(client, sally, met):
    from governance.people.factories import UserFactory

    mallory = UserFactory(full_name='=HYPERLINK("http://x")', organisation=met)
    audit.record(action=AuditAction.SIGNED_IN, actor=mallory)
    client.force_login(sally)
    rows = csv_rows(client.get(URL, {"format": "csv", "action": "signed_in"}))
    assert rows[1][1] == '\'=HYPERLINK("http://x")'


def test_spoc_sees_account_changes_to_their_own_people(client, adam, ava, sally, bea, met):
    from governance.accounts import services as accounts
    from governance.audit.models import AuditAction

    values = accounts.AccountValues.of(bea)
    change = accounts.account_change_propose(
        proposer=adam,
        public_id=bea.public_id,
        values=accounts.AccountValues(**{**values.__dict__, "is_requesting_officer": True}),
    )
    accounts.account_change_confirm(public_id=change.public_id, decider=ava)
    client.force_login(sally)
    page = client.get(reverse("oversight:audit"), {"action": AuditAction.ACCOUNT_CHANGE_CONFIRMED})
    assert "Account change confirmed" in page.content.decode()
    assert len(page.context["page"].events) == 1


def test_the_last_possible_date_is_an_error_not_a_crash(client, sally):
    client.force_login(sally)
    response = client.get(URL, {"date_to_day": "31", "date_to_month": "12", "date_to_year": "9999"})
    assert response.status_code == 200
    assert "To date must be a real date" in response.content.decode()
