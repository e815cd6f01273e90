"""The export of an organisation's DPA 2018 s.62 log for the ICO (governance.oversight.s62)."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from governance.audit import trail as audit
from governance.audit.models import AuditAction, AuditEvent
from governance.oversight import s62
from governance.oversight.s62_forms import RANGE_TOO_LONG_MESSAGE, TO_BEFORE_FROM_MESSAGE
from governance.oversight.s62_views import CSV_HEADER
from requests_app import services, workflow
from tests import workflow_helpers as wf

pytestmark = pytest.mark.django_db

URL = reverse("oversight:s62_export")
SPOC_REASON = "Checking the disclosure before the partnership meeting."


def date_params(name: str, day: datetime.date) -> dict[str, int]:
    return {f"{name}_day": day.day, f"{name}_month": day.month, f"{name}_year": day.year}


def today_range(**extra: str) -> dict[str, object]:
    today = timezone.localdate()
    return {**date_params("date_from", today), **date_params("date_to", today), **extra}


def csv_rows(response) -> list[dict[str, str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode()
    rows = list(csv.reader(io.StringIO(text)))
    assert tuple(rows[0]) == CSV_HEADER
    return [dict(zip(CSV_HEADER, row, strict=True)) for row in rows[1:]]


@pytest.fixture
def history(alice, bob, sally, met):
    """Alice's request to the Met: sent, read by Bob, opened by Sally with a reason and read,
    disclosed to Alice; and a draft Alice deleted."""
    req = wf.under_review(alice, met, bob)
    audit.record(action=AuditAction.PERSONAL_DETAILS_VIEWED, actor=bob, obj=req)
    services.personal_details_access_open(reference=req.reference, user=sally, reason=SPOC_REASON)
    audit.record(action=AuditAction.PERSONAL_DETAILS_VIEWED, actor=sally, obj=req)
    workflow.transition(
        reference=req.reference,
        action="disclose",
        actor=bob,
        part_b=wf.part_b(signature_name=bob.full_name),
    )
    # The event workflow.draft_delete writes (tests/requests_app/test_draft_delete.py).
    draft = wf.draft(alice, met)
    audit.record(action=AuditAction.REQUEST_DRAFT_DELETED, actor=alice, obj=draft)
    return req


# Who may export ----------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["alice", "bob", "brenda"])
def test_officers_and_board_members_are_refused(client, request, persona, history):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    response = client.get(URL, today_range())
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action=AuditAction.S62_LOG_EXPORTED).exists()
    refused = AuditEvent.objects.filter(action=AuditAction.PERMISSION_DENIED).latest("id")
    assert refused.actor == user


def test_another_organisations_spoc_cannot_export_its_log(client, cora, history):
    client.force_login(cora)  # the Council's SPOC
    response = client.get(URL, today_range(organisation="met"))
    assert response.status_code == 403
    assert SPOC_REASON not in response.content.decode()
    assert not AuditEvent.objects.filter(action=AuditAction.S62_LOG_EXPORTED).exists()
    refused = AuditEvent.objects.filter(action=AuditAction.PERMISSION_DENIED).latest("id")
    assert refused.actor == cora


def test_spoc_exports_their_own_organisation_only(client, cora, council, met, history):
    client.force_login(cora)
    response = client.get(URL)
    assert response.status_code == 200
    assert "organisation" not in response.context["form"].fields
    rows = csv_rows(client.get(URL, today_range()))
    event = AuditEvent.objects.get(action=AuditAction.S62_LOG_EXPORTED)
    assert event.receiving_organisation == cora.organisation
    # The Council's log: its requester's actions and what the Met did to its request, without
    # the Met SPOC's reason, which only the Met's SPOCs read (7.4).
    assert {row["Person's organisation"] for row in rows} == {council.name, met.name}
    assert SPOC_REASON not in {row["Justification"] for row in rows}
    assert ("Collection", "Request created") in {
        (row["Action"], row["Portal event"]) for row in rows
    }
    assert ("Erasure", "Draft request deleted") in {
        (row["Action"], row["Portal event"]) for row in rows
    }


def test_administrator_exports_any_organisations_log(client, adam, met, history):
    client.force_login(adam)
    page = client.get(URL)
    assert page.status_code == 200
    assert "organisation" in page.context["form"].fields
    rows = csv_rows(client.get(URL, today_range(organisation=met.short_code)))
    assert rows
    event = AuditEvent.objects.get(action=AuditAction.S62_LOG_EXPORTED)
    assert event.actor == adam
    assert event.receiving_organisation == met


def test_administrator_must_choose_an_organisation(client, adam, history):
    client.force_login(adam)
    response = client.get(URL, today_range())
    assert response.status_code == 400
    assert "Select the organisation whose log to export" in response.content.decode()
    assert not AuditEvent.objects.filter(action=AuditAction.S62_LOG_EXPORTED).exists()


def test_audit_page_links_to_the_export(client, sally):
    client.force_login(sally)
    response = client.get(reverse("oversight:audit"))
    assert URL in response.content.decode()


# What the log holds ------------------------------------------------------------------------


def test_csv_has_one_row_per_s62_event_with_its_category(client, sally, alice, bob, history):
    client.force_login(sally)
    rows = csv_rows(client.get(URL, today_range()))
    actions = [(row["Person"], row["Action"], row["Portal event"]) for row in rows]
    assert (alice.full_name, "Disclosure", "Request submitted") in actions
    assert (bob.full_name, "Consultation", "Personal details viewed") in actions
    assert (bob.full_name, "Disclosure", "Request decided") in actions
    # Events that process no subject's data are not in the s.62 log.
    assert not {"Request assigned", "Reason given to view personal details"} & {
        row["Portal event"] for row in rows
    }


def test_csv_rows_are_oldest_first_in_utc(client, sally, history):
    client.force_login(sally)
    rows = csv_rows(client.get(URL, today_range()))
    times = [row["Time (UTC)"] for row in rows]
    assert times == sorted(times)
    for value in times:
        parsed = datetime.datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ")
        assert abs(parsed.replace(tzinfo=datetime.UTC) - timezone.now()) < datetime.timedelta(
            minutes=5
        )


def test_spoc_consultation_carries_the_reason_given(client, sally, history):
    client.force_login(sally)
    rows = csv_rows(client.get(URL, today_range()))
    sally_reads = [
        row for row in rows if row["Person"] == sally.full_name and row["Action"] == "Consultation"
    ]
    assert [row["Justification"] for row in sally_reads] == [SPOC_REASON]
    assert sally_reads[0]["Record reference"] == history.reference
    # The reason stays on the access record: it is joined, not copied into the trail.
    assert not AuditEvent.objects.filter(detail__contains=SPOC_REASON).exists()


def test_disclosure_names_the_recipient_organisation_and_person(
    client, sally, alice, council, history
):
    client.force_login(sally)
    rows = csv_rows(client.get(URL, today_range()))
    (decided,) = [row for row in rows if row["Portal event"] == "Request decided"]
    assert decided["Recipient organisation"] == council.name
    assert decided["Recipient person"] == alice.full_name
    assert decided["Justification"] == wf.part_b()["decision_reasons"]
    (sent,) = [row for row in rows if row["Portal event"] == "Request submitted"]
    assert sent["Recipient organisation"] == history.receiving_organisation.name


def test_disclosure_event_records_its_recipient(alice, council, history):
    event = AuditEvent.objects.get(action=AuditAction.REQUEST_DECIDED)
    assert council.name in event.detail
    assert alice.full_name in event.detail
    assert f"user {alice.pk}" in event.detail


def test_a_declined_request_is_not_a_disclosure(client, sally, alice, bob, met):
    req = wf.under_review(alice, met, bob)
    workflow.transition(
        reference=req.reference,
        action="decline",
        actor=bob,
        part_b=wf.part_b(
            signature_name=bob.full_name, decline_reason="Not necessary for the purpose."
        ),
    )
    client.force_login(sally)
    rows = csv_rows(client.get(URL, today_range()))
    assert "Request decided" not in {row["Portal event"] for row in rows}


def test_csv_holds_no_subject_data(client, sally, history):
    client.force_login(sally)
    response = client.get(URL, today_range())
    text = b"".join(response.streaming_content).decode()
    assert history.subject_name not in text
    assert history.subject_address not in text


def test_events_outside_the_range_are_left_out(client, sally, history):
    client.force_login(sally)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    params = {**date_params("date_from", tomorrow), **date_params("date_to", tomorrow)}
    assert csv_rows(client.get(URL, params)) == []


def test_a_cell_that_would_run_as_a_formula_is_quoted(client, sally, alice, met, bob):
    req = wf.under_review(alice, met, bob)
    services.personal_details_access_open(
        reference=req.reference, user=sally, reason='=HYPERLINK("x") checking the queue'
    )
    audit.record(action=AuditAction.PERSONAL_DETAILS_VIEWED, actor=sally, obj=req)
    client.force_login(sally)
    rows = csv_rows(client.get(URL, today_range()))
    justified = [row["Justification"] for row in rows if row["Justification"]]
    assert justified == ['\'=HYPERLINK("x") checking the queue']


# The dates ---------------------------------------------------------------------------------


def test_dates_are_required(client, sally):
    client.force_login(sally)
    response = client.get(URL, {"date_from_day": ""})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Enter the from date" in body
    assert "Enter the to date" in body
    assert "govuk-error-summary" in body
    assert not AuditEvent.objects.filter(action=AuditAction.S62_LOG_EXPORTED).exists()


def test_to_date_before_from_date_is_refused(client, sally):
    client.force_login(sally)
    today = timezone.localdate()
    params = {
        **date_params("date_from", today),
        **date_params("date_to", today - datetime.timedelta(days=1)),
    }
    response = client.get(URL, params)
    assert response.status_code == 400
    assert response.context["form"].errors["date_to"] == [TO_BEFORE_FROM_MESSAGE]
    assert not AuditEvent.objects.filter(action=AuditAction.S62_LOG_EXPORTED).exists()


def test_a_range_longer_than_a_year_is_refused(client, sally):
    client.force_login(sally)
    start = datetime.date(2026, 1, 1)
    params = {
        **date_params("date_from", start),
        **date_params("date_to", start + datetime.timedelta(days=s62.MAX_DAYS)),
    }
    response = client.get(URL, params)
    assert response.status_code == 400
    assert response.context["form"].errors["date_to"] == [RANGE_TOO_LONG_MESSAGE]


def test_a_range_of_exactly_the_maximum_is_accepted(client, sally):
    client.force_login(sally)
    start = datetime.date(2026, 1, 1)
    params = {
        **date_params("date_from", start),
        **date_params("date_to", start + datetime.timedelta(days=s62.MAX_DAYS - 1)),
    }
    assert csv_rows(client.get(URL, params)) == []


def test_a_date_that_does_not_exist_is_a_field_error(client, sally):
    client.force_login(sally)
    params = {
        "date_from_day": "31",
        "date_from_month": "2",
        "date_from_year": "2026",
        **date_params("date_to", datetime.date(2026, 3, 1)),
    }
    response = client.get(URL, params)
    assert response.status_code == 400
    assert "From date must be a real date" in response.content.decode()


# Queries -----------------------------------------------------------------------------------


def _many_reads(n: int, req, reader) -> None:
    for _ in range(n):
        audit.record(action=AuditAction.PERSONAL_DETAILS_VIEWED, actor=reader, obj=req)


def _export_queries(client, params) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as ctx:
        rows = csv_rows(client.get(URL, params))
    return len(ctx.captured_queries), len(rows)


def test_export_queries_do_not_grow_with_the_rows(client, sally, alice, bob, met):
    req = wf.under_review(alice, met, bob)
    client.force_login(sally)
    _many_reads(5, req, bob)
    few_queries, few_rows = _export_queries(client, today_range())
    _many_reads(200, req, bob)
    many_queries, many_rows = _export_queries(client, today_range())
    assert many_rows == few_rows + 200
    assert many_queries == few_queries


def test_each_slice_of_rows_costs_one_query(sally, alice, bob, met):
    req = wf.under_review(alice, met, bob)
    _many_reads(23, req, bob)
    today = timezone.localdate()
    whole = list(s62.s62_log_iter(organisation=met, start=today, end=today, batch_size=1000))
    assert len(whole) > 23
    with CaptureQueriesContext(connection) as ctx:
        rows = list(s62.s62_log_iter(organisation=met, start=today, end=today, batch_size=5))
    # One per slice, and one for the organisations' names.
    assert len(ctx.captured_queries) == len(whole) // 5 + 1 + 1
    # Keyset slices neither skip nor repeat a row.
    assert rows == whole
