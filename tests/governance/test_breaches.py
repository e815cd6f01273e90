"""The breach register (protocol 7.1-7.4; UK GDPR Art 33): reporting, the 72 hours, the SPOC's
update, who may see what, and that every refusal is audited with nothing written."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from governance.audit.models import AuditAction, AuditEvent
from governance.breaches import permissions as breach_permissions
from governance.breaches import rules as breach_rules
from governance.breaches import services as breach_services
from governance.breaches.models import Breach, BreachRisk, BreachStatus, IcoDecision
from governance.people.access import REFUSAL_MESSAGE
from tests import workflow_helpers as wf

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
REGISTER = reverse("breaches:register")
NEW = reverse("breaches:new")
# Wednesday 4 March 2026, 10:00 in London (GMT): no change of the clocks within 72 hours.
AWARE = datetime.datetime(2026, 3, 4, 10, 0, tzinfo=LONDON)
FACTS = "A completed request form was emailed to the wrong shared mailbox at a partner."


def report_data(**overrides: object) -> dict[str, object]:
    """A complete breach report, as the form hands it to the service."""
    data: dict[str, object] = {
        "request": None,
        "occurred_on": AWARE.date(),
        "became_aware_at": AWARE,
        "what_happened": FACTS,
        "data_categories": "Name, address and offending history of one person.",
        "people_affected": 1,
        "effects": "Possible distress; the recipient is a partner bound by the protocol.",
        "remedial_action": "The recipient confirmed in writing that the email was deleted.",
        "risk": BreachRisk.MEDIUM,
    }
    data.update(overrides)
    return data


def date_fields(name: str, day: datetime.date) -> dict[str, str]:
    return {
        f"{name}_day": str(day.day),
        f"{name}_month": str(day.month),
        f"{name}_year": str(day.year),
    }


def report_post(**overrides: str) -> dict[str, str]:
    """The report form as an officer fills it in."""
    data = {
        **date_fields("occurred_on", AWARE.date()),
        **date_fields("became_aware_on", AWARE.date()),
        "became_aware_time": "10:00am",
        "request_reference": "",
        "what_happened": FACTS,
        "data_categories": "Name, address and offending history of one person.",
        "people_affected": "1",
        "effects": "Possible distress.",
        "remedial_action": "The recipient confirmed the email was deleted.",
        "risk": "medium",
    }
    data.update(overrides)
    return data


def update_post(breach: Breach, **overrides: str) -> dict[str, str]:
    """The update form as the SPOC finds it, with their changes."""
    data = {
        "risk": breach.risk,
        "effects": breach.effects,
        "remedial_action": breach.remedial_action,
        "ico_decision": breach.ico_decision,
        "not_reported_reason": "",
        "ico_reported_on_day": "",
        "ico_reported_on_month": "",
        "ico_reported_on_year": "",
        "ico_reported_time": "",
        "delay_reason": "",
        "status": breach.status,
        "lessons_learned": "",
    }
    data.update(overrides)
    return data


def reported_at(moment: datetime.datetime) -> dict[str, str]:
    local = moment.astimezone(LONDON)
    return {
        "ico_decision": IcoDecision.REPORTED,
        **date_fields("ico_reported_on", local.date()),
        "ico_reported_time": f"{local:%H:%M}",
    }


def detail_url(breach: Breach) -> str:
    return reverse("breaches:detail", args=[breach.reference])


def update_url(breach: Breach) -> str:
    return reverse("breaches:update", args=[breach.reference])


def confirm_post(client, url: str, data: dict[str, str]):
    """Fill in the update form and, when its answers are accepted, confirm them on the check
    answers page, as the SPOC does."""
    response = client.post(url, data)
    check = url.rstrip("/") + "/check/"
    if response.status_code == 302 and response["Location"] == check:
        return client.post(check)
    return response


def errors(response) -> dict[str, list[str]]:
    assert response.status_code == 200
    return response.context["form"].errors


def assert_refused(response, user, *, detail_ends: str) -> None:
    assert response.status_code == 403
    assert REFUSAL_MESSAGE in response.content.decode()
    event = AuditEvent.objects.latest("id")
    assert event.action == AuditAction.PERMISSION_DENIED
    assert event.actor == user
    assert event.detail.endswith(detail_ends)


@pytest.fixture
def clock():
    """The clock stopped one hour after the Met became aware of the breach."""
    with time_machine.travel(AWARE + datetime.timedelta(hours=1), tick=False) as traveller:
        yield traveller


@pytest.fixture
def met_breach(clock, bob) -> Breach:
    """A medium-risk breach found by Bob of the Met, not yet decided for the ICO."""
    return breach_services.breach_report_create(reporter=bob, data=report_data())


# The 72 hours (UK GDPR Art 33(1)) ------------------------------------------------------------


def test_ico_deadline_is_72_hours_after_becoming_aware():
    assert breach_rules.ico_deadline(AWARE) == datetime.datetime(2026, 3, 7, 10, 0, tzinfo=LONDON)


def test_ico_deadline_counts_elapsed_hours_across_the_change_of_the_clocks():
    # The clocks go back at 2am on Sunday 25 October 2026: 72 hours end an hour earlier on the
    # wall clock.
    aware = datetime.datetime(2026, 10, 23, 10, 0, tzinfo=LONDON)
    deadline = breach_rules.ico_deadline(aware).astimezone(LONDON)
    assert (deadline.date(), deadline.hour) == (datetime.date(2026, 10, 26), 9)


def test_a_report_at_exactly_72_hours_is_not_late():
    on_time = AWARE + datetime.timedelta(hours=72)
    assert not breach_rules.is_late(became_aware_at=AWARE, reported_at=on_time)
    assert breach_rules.is_late(
        became_aware_at=AWARE, reported_at=on_time + datetime.timedelta(seconds=1)
    )


def test_the_ico_decision_is_overdue_only_after_72_hours(clock, met_breach):
    clock.move_to(AWARE + datetime.timedelta(hours=72))
    assert not breach_rules.ico_decision_overdue(met_breach)
    clock.move_to(AWARE + datetime.timedelta(hours=72, seconds=1))
    assert breach_rules.ico_decision_overdue(met_breach)


def test_a_decided_breach_is_never_overdue(clock, met_breach):
    met_breach.ico_decision = IcoDecision.NOT_REPORTED
    clock.move_to(AWARE + datetime.timedelta(days=30))
    assert not breach_rules.ico_decision_overdue(met_breach)


def test_only_a_low_risk_breach_may_go_unreported():
    assert not breach_rules.ico_report_required(BreachRisk.LOW)
    assert breach_rules.ico_report_required(BreachRisk.MEDIUM)
    assert breach_rules.ico_report_required(BreachRisk.HIGH)


# Reporting a breach --------------------------------------------------------------------------


def test_officer_reports_a_breach_of_their_organisation(client, clock, alice, council):
    client.force_login(alice)
    response = client.post(NEW, report_post())
    breach = Breach.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("breaches:reported", args=[breach.reference])
    assert breach.reference == "BR-2026-0001"
    assert breach.organisation == council
    assert breach.reported_by == alice
    assert breach.became_aware_at == AWARE
    assert breach.status == BreachStatus.OPEN
    assert breach.ico_decision == IcoDecision.PENDING
    assert breach.people_affected == 1


def test_reporting_writes_breach_reported_with_reference_and_organisation(
    client, clock, alice, council
):
    client.force_login(alice)
    client.post(NEW, report_post())
    breach = Breach.objects.get()
    event = AuditEvent.objects.get(action=AuditAction.BREACH_REPORTED)
    assert event.actor == alice
    assert event.object_type == "breach"
    assert event.object_reference == breach.reference
    assert event.requesting_organisation == council
    assert event.receiving_organisation is None
    # The audit trail carries the reference, never what happened or whom it is about.
    assert event.detail == ""
    assert FACTS not in str([getattr(event, f.name) for f in AuditEvent._meta.fields])


def test_references_run_in_sequence_and_start_again_each_year(clock, alice):
    first = breach_services.breach_report_create(reporter=alice, data=report_data())
    second = breach_services.breach_report_create(reporter=alice, data=report_data())
    clock.move_to(datetime.datetime(2027, 1, 2, 9, 0, tzinfo=LONDON))
    next_year = breach_services.breach_report_create(reporter=alice, data=report_data())
    assert [first.reference, second.reference, next_year.reference] == [
        "BR-2026-0001",
        "BR-2026-0002",
        "BR-2027-0001",
    ]


def test_confirmation_shows_the_reference_and_the_ico_deadline(client, clock, alice):
    client.force_login(alice)
    response = client.post(NEW, report_post(), follow=True)
    body = response.content.decode()
    assert "govuk-panel--confirmation" in body
    assert "BR-2026-0001" in body
    assert "7 March 2026 at 10am" in body


def test_spocs_are_emailed_the_reference_only(
    client, clock, bob, sally, sid, cora, django_capture_on_commit_callbacks
):
    client.force_login(bob)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(NEW, report_post())
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert sorted(message.to) == [sally.email, sid.email]
    assert "BR-2026-0001" in message.subject
    assert FACTS not in message.body


def test_a_request_reference_must_exist(client, clock, alice, met):
    req = wf.draft(alice, met)
    client.force_login(alice)
    response = client.post(NEW, report_post(request_reference="ISP-2026-999999"))
    assert errors(response)["request_reference"] == [breach_permissions.REQUEST_REFERENCE_MESSAGE]
    response = client.post(NEW, report_post(request_reference=f" {req.reference.lower()} "))
    assert response.status_code == 302
    assert Breach.objects.get().request == req


def test_a_request_the_reporter_may_not_see_is_refused_like_an_unknown_one(
    client, clock, alice, charlie, met
):
    # 10.5.2: the form must not tell which references exist.
    req = wf.submitted(alice, met)
    client.force_login(charlie)
    response = client.post(NEW, report_post(request_reference=req.reference))
    assert errors(response)["request_reference"] == [breach_permissions.REQUEST_REFERENCE_MESSAGE]
    assert not Breach.objects.exists()


def test_the_service_refuses_a_request_the_reporter_may_not_see(clock, alice, charlie, met):
    req = wf.submitted(alice, met)
    with pytest.raises(breach_services.BreachRecordIncomplete):
        breach_services.breach_report_create(
            reporter=charlie, data=report_data() | {"request": req}
        )
    assert not Breach.objects.exists()


def test_the_breach_links_its_request_for_those_who_may_see_it(client, clock, alice, bob, met):
    req = wf.under_review(alice, met, bob)
    breach = breach_services.breach_report_create(
        reporter=bob, data=report_data() | {"request": req}
    )
    client.force_login(bob)
    body = client.get(reverse("breaches:detail", args=[breach.reference])).content.decode()
    assert reverse("requests_app:detail", args=[req.reference]) in body


def test_an_empty_report_lists_every_missing_answer(client, clock, alice):
    client.force_login(alice)
    response = client.post(NEW, {})
    assert {name: messages[0] for name, messages in errors(response).items()} == {
        "occurred_on": "Enter the date the breach happened",
        "became_aware_on": "Enter the date you became aware of the breach",
        "became_aware_time": "Enter the time you became aware of the breach",
        "what_happened": "Describe what happened",
        "data_categories": "Enter the kinds of personal data involved",
        "people_affected": "Enter approximately how many people are affected",
        "effects": "Enter the likely consequences for the people affected",
        "remedial_action": "Enter what has been done to contain the breach",
        "risk": "Select how likely the breach is to result in a risk",
    }
    body = response.content.decode()
    assert "<title>Error: " in body
    assert "govuk-error-summary" in body
    assert not Breach.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.BREACH_REPORTED).exists()


def test_nothing_typed_is_lost_when_the_report_has_errors(client, clock, alice):
    client.force_login(alice)
    response = client.post(
        NEW, report_post(people_affected="about ten", became_aware_time="10:00am")
    )
    assert errors(response)["people_affected"] == [
        "Number of people affected must be a whole number, like 3"
    ]
    body = response.content.decode()
    assert "about ten" in body
    assert 'value="10:00am"' in body
    assert FACTS in body
    assert 'value="medium" checked' in body


def test_becoming_aware_cannot_be_in_the_future(client, clock, alice):
    client.force_login(alice)
    tomorrow = AWARE.date() + datetime.timedelta(days=1)
    response = client.post(NEW, report_post(**date_fields("became_aware_on", tomorrow)))
    assert errors(response)["became_aware_on"] == [
        "Date you became aware of the breach must be today or in the past"
    ]
    # Today, but later than now (the clock stands at 11am).
    response = client.post(NEW, report_post(became_aware_time="11:01am"))
    assert errors(response)["became_aware_time"] == [
        "Time you became aware of the breach must be in the past"
    ]


def test_the_breach_cannot_happen_after_becoming_aware_of_it(client, clock, alice):
    client.force_login(alice)
    earlier = AWARE.date() - datetime.timedelta(days=1)
    response = client.post(NEW, report_post(**date_fields("became_aware_on", earlier)))
    assert errors(response)["occurred_on"] == [
        "Date the breach happened must be the same as or before the date you became aware of it"
    ]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("9:30am", datetime.time(9, 30)),
        ("9.30 PM", datetime.time(21, 30)),
        ("9am", datetime.time(9, 0)),
        ("12am", datetime.time(0, 0)),
        ("12:15pm", datetime.time(12, 15)),
        ("14:15", datetime.time(14, 15)),
        ("1415", datetime.time(14, 15)),
        ("midday", datetime.time(12, 0)),
        ("midnight", datetime.time(0, 0)),
        ("25:00", None),
        ("13pm", None),
        ("9", None),
        ("half nine", None),
    ],
)
def test_times_are_read_as_people_type_them(typed, expected):
    from governance.breaches.forms import parse_time

    assert parse_time(typed) == expected


def test_a_time_that_is_not_a_time_is_explained(client, clock, alice):
    client.force_login(alice)
    response = client.post(NEW, report_post(became_aware_time="25:00"))
    assert errors(response)["became_aware_time"] == [
        "Time you became aware of the breach must be a real time, like 9:30am or 14:15"
    ]


def test_the_report_tells_officers_not_to_name_the_people_involved(client, alice):
    client.force_login(alice)
    body = client.get(NEW).content.decode()
    assert "Do not include the names" in body


def test_administrator_cannot_report_a_breach(client, clock, adam):
    client.force_login(adam)
    for response in (client.get(NEW), client.post(NEW, report_post())):
        assert_refused(response, adam, detail_ends="report breach")
    assert not Breach.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.BREACH_REPORTED).exists()


# The register --------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["sally", "sid", "brenda"])
def test_spocs_and_board_members_see_their_organisations_register(
    client, request, persona, clock, met_breach, alice
):
    council_breach = breach_services.breach_report_create(reporter=alice, data=report_data())
    client.force_login(request.getfixturevalue(persona))
    response = client.get(REGISTER)
    assert response.status_code == 200
    assert list(response.context["page"]) == [met_breach]
    assert council_breach.reference not in response.content.decode()


@pytest.mark.parametrize("persona", ["alice", "bob", "adam"])
def test_people_who_are_not_a_spoc_or_board_member_are_refused_the_register(
    client, request, persona, met_breach
):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    assert_refused(client.get(REGISTER), user, detail_ends="breach register")


def test_register_shows_the_ico_deadline_then_overdue_in_text(client, clock, sally, met_breach):
    client.force_login(sally)
    body = client.get(REGISTER).content.decode()
    assert "Decide by 7 March 2026 at 10am" in body
    assert "Overdue" not in body
    clock.move_to(AWARE + datetime.timedelta(hours=72, minutes=1))
    client.force_login(sally)  # a new session: the old one has timed out
    body = client.get(REGISTER).content.decode()
    assert "<strong>Overdue</strong>: decision was due by 7 March 2026 at 10am" in body


def test_register_lists_open_breaches_first(client, clock, sally, bob, sid):
    older = breach_services.breach_report_create(reporter=bob, data=report_data())
    closed = breach_services.breach_report_create(
        reporter=bob, data=report_data(became_aware_at=AWARE + datetime.timedelta(minutes=30))
    )
    breach_services.breach_update(
        reference=closed.reference,
        editor=sid,
        data={
            "risk": BreachRisk.LOW,
            "ico_decision": IcoDecision.NOT_REPORTED,
            "not_reported_reason": "Sent to a partner bound by the protocol; deleted unread.",
            "status": BreachStatus.CLOSED,
            "lessons_learned": "Check the recipient before sending.",
        },
    )
    client.force_login(sally)
    assert [b.reference for b in client.get(REGISTER).context["page"]] == [
        older.reference,
        closed.reference,
    ]


def _register_queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(REGISTER)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_register_query_count_is_the_same_at_5_and_200_breaches(client, clock, sally, bob):
    for _ in range(5):
        breach_services.breach_report_create(reporter=bob, data=report_data())
    client.force_login(sally)
    at_5 = _register_queries(client)
    for _ in range(195):
        breach_services.breach_report_create(reporter=bob, data=report_data())
    at_200 = _register_queries(client)
    assert at_5 == at_200
    assert len(client.get(REGISTER).context["page"]) == 25


# A breach's page -----------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["bob", "sally", "sid", "brenda"])
def test_reporter_spocs_and_board_members_see_the_breach(client, request, persona, met_breach):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(detail_url(met_breach))
    assert response.status_code == 200
    assert FACTS in response.content.decode()


def test_only_the_spocs_are_offered_the_update(client, met_breach, sally, brenda):
    client.force_login(sally)
    assert update_url(met_breach) in client.get(detail_url(met_breach)).content.decode()
    client.force_login(brenda)
    assert update_url(met_breach) not in client.get(detail_url(met_breach)).content.decode()


@pytest.mark.parametrize("persona", ["cora", "bea", "alice", "adam"])
def test_others_are_refused_the_breach_and_told_nothing(client, request, persona, met_breach):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    response = client.get(detail_url(met_breach))
    assert_refused(response, user, detail_ends="view breach")
    assert FACTS not in response.content.decode()
    assert AuditEvent.objects.latest("id").object_reference == met_breach.reference


def test_an_unknown_reference_is_not_found(client, sally):
    client.force_login(sally)
    assert client.get(reverse("breaches:detail", args=["BR-2026-9999"])).status_code == 404
    assert client.get(reverse("breaches:update", args=["BR-2026-9999"])).status_code == 404


def test_only_the_reporter_sees_the_confirmation(client, met_breach, bob, sally):
    url = reverse("breaches:reported", args=[met_breach.reference])
    client.force_login(bob)
    assert client.get(url).status_code == 200
    client.force_login(sally)
    assert_refused(client.get(url), sally, detail_ends="breach confirmation")


@pytest.mark.parametrize(
    "name", ["breaches:register", "breaches:new", "breaches:detail", "breaches:update"]
)
def test_anonymous_people_are_sent_to_sign_in(client, met_breach, name):
    args = [met_breach.reference] if name in ("breaches:detail", "breaches:update") else []
    response = client.get(reverse(name, args=args))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# The SPOC's update ---------------------------------------------------------------------------


def test_spoc_records_the_ico_report_within_72_hours(client, clock, sally, met_breach):
    clock.move_to(AWARE + datetime.timedelta(hours=30))
    client.force_login(sally)
    response = confirm_post(
        client,
        update_url(met_breach),
        update_post(met_breach, **reported_at(AWARE + datetime.timedelta(hours=26))),
    )
    assert response.status_code == 302
    met_breach.refresh_from_db()
    assert met_breach.ico_decision == IcoDecision.REPORTED
    assert met_breach.ico_reported_at == AWARE + datetime.timedelta(hours=26)
    assert not met_breach.reported_late


def test_updating_writes_breach_updated_naming_the_fields_changed(
    client, clock, sally, met, met_breach
):
    client.force_login(sally)
    confirm_post(
        client,
        update_url(met_breach),
        update_post(met_breach, remedial_action="Recipient's mailbox checked by their IT team."),
    )
    event = AuditEvent.objects.get(action=AuditAction.BREACH_UPDATED)
    assert event.actor == sally
    assert event.object_reference == met_breach.reference
    assert event.requesting_organisation == met
    assert event.detail == "updated: remedial_action"


def test_backup_spoc_may_update(client, clock, sid, met_breach):
    client.force_login(sid)
    response = confirm_post(client, update_url(met_breach), update_post(met_breach, risk="high"))
    assert response.status_code == 302
    met_breach.refresh_from_db()
    assert met_breach.risk == BreachRisk.HIGH


def test_a_report_at_exactly_72_hours_needs_no_reason_for_delay(client, clock, sally, met_breach):
    clock.move_to(AWARE + datetime.timedelta(hours=80))
    client.force_login(sally)
    response = confirm_post(
        client,
        update_url(met_breach),
        update_post(met_breach, **reported_at(AWARE + datetime.timedelta(hours=72))),
    )
    assert response.status_code == 302


def test_a_report_after_72_hours_needs_the_reason_for_the_delay(client, clock, sally, met_breach):
    clock.move_to(AWARE + datetime.timedelta(hours=80))
    client.force_login(sally)
    late = update_post(met_breach, **reported_at(AWARE + datetime.timedelta(hours=72, minutes=1)))
    response = confirm_post(client, update_url(met_breach), late)
    assert errors(response)["delay_reason"] == [
        "Enter the reason the breach was reported to the ICO more than 72 hours after becoming "
        "aware of it"
    ]
    met_breach.refresh_from_db()
    assert met_breach.ico_decision == IcoDecision.PENDING
    assert not AuditEvent.objects.filter(action=AuditAction.BREACH_UPDATED).exists()

    late["delay_reason"] = "The facts were not established until the Monday."
    assert confirm_post(client, update_url(met_breach), late).status_code == 302
    met_breach.refresh_from_db()
    assert met_breach.reported_late
    assert met_breach.delay_reason == late["delay_reason"]


def test_a_report_needs_its_date_and_time(client, clock, sally, met_breach):
    client.force_login(sally)
    response = confirm_post(
        client, update_url(met_breach), update_post(met_breach, ico_decision=IcoDecision.REPORTED)
    )
    assert errors(response) == {
        "ico_reported_on": ["Enter the date the breach was reported to the ICO"],
        "ico_reported_time": ["Enter the time the breach was reported to the ICO"],
    }


def test_a_report_cannot_come_before_becoming_aware(client, clock, sally, met_breach):
    client.force_login(sally)
    response = confirm_post(
        client,
        update_url(met_breach),
        update_post(met_breach, **reported_at(AWARE - datetime.timedelta(hours=1))),
    )
    assert errors(response)["ico_reported_on"] == [
        "Date and time reported to the ICO must be after you became aware of the breach "
        "(4 March 2026 at 10am)"
    ]


def test_not_reporting_needs_a_reason(client, clock, sally, met_breach):
    client.force_login(sally)
    response = confirm_post(
        client,
        update_url(met_breach),
        update_post(met_breach, risk="low", ico_decision=IcoDecision.NOT_REPORTED),
    )
    assert errors(response)["not_reported_reason"] == [
        "Enter the reason the breach was not reported to the ICO"
    ]
    assert 'value="not_reported" checked' in response.content.decode()


def test_a_breach_likely_to_risk_peoples_rights_must_be_reported(client, clock, sally, met_breach):
    client.force_login(sally)
    response = confirm_post(
        client,
        update_url(met_breach),
        update_post(
            met_breach,
            risk="medium",
            ico_decision=IcoDecision.NOT_REPORTED,
            not_reported_reason="We would rather not.",
        ),
    )
    assert errors(response)["ico_decision"] == [
        "A medium or high risk breach must be reported to the ICO. Select low risk if the breach "
        "is unlikely to result in a risk to people's rights and freedoms"
    ]
    assert "We would rather not." in response.content.decode()


def test_closing_needs_the_ico_decision_and_the_lessons_learned(client, clock, sally, met_breach):
    client.force_login(sally)
    response = confirm_post(
        client, update_url(met_breach), update_post(met_breach, status=BreachStatus.CLOSED)
    )
    assert errors(response) == {
        "ico_decision": ["Select whether the breach was reported to the ICO before closing it"],
        "lessons_learned": ["Enter the lessons learned before closing the breach"],
    }
    met_breach.refresh_from_db()
    assert met_breach.status == BreachStatus.OPEN


def test_spoc_closes_a_breach(client, clock, sally, met_breach):
    client.force_login(sally)
    response = confirm_post(
        client,
        update_url(met_breach),
        update_post(
            met_breach,
            risk="low",
            ico_decision=IcoDecision.NOT_REPORTED,
            not_reported_reason="Sent to a partner bound by the protocol and deleted unread.",
            status=BreachStatus.CLOSED,
            lessons_learned="Check the recipient's address before sending.",
        ),
    )
    assert response.status_code == 302
    met_breach.refresh_from_db()
    assert met_breach.status == BreachStatus.CLOSED
    assert met_breach.closed_at == timezone.now()
    event = AuditEvent.objects.get(action=AuditAction.BREACH_UPDATED)
    assert event.detail.startswith("closed: ")
    assert "Sent to a partner" not in event.detail


@pytest.mark.parametrize("persona", ["brenda", "cora", "bob", "adam"])
def test_people_who_are_not_its_spoc_cannot_update_a_breach(
    client, request, persona, clock, met_breach
):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    assert_refused(client.get(update_url(met_breach)), user, detail_ends="update breach")
    response = confirm_post(
        client,
        update_url(met_breach),
        update_post(met_breach, risk="high", remedial_action="Changed by someone else."),
    )
    assert_refused(response, user, detail_ends="update breach")
    met_breach.refresh_from_db()
    assert met_breach.risk == BreachRisk.MEDIUM
    assert met_breach.remedial_action == report_data()["remedial_action"]
    assert not AuditEvent.objects.filter(action=AuditAction.BREACH_UPDATED).exists()


def test_the_service_refuses_an_incomplete_record(clock, sally, met_breach):
    with pytest.raises(breach_services.BreachRecordIncomplete):
        breach_services.breach_update(
            reference=met_breach.reference,
            editor=sally,
            data={"ico_decision": IcoDecision.NOT_REPORTED, "risk": BreachRisk.LOW},
        )
    met_breach.refresh_from_db()
    assert met_breach.ico_decision == IcoDecision.PENDING


def test_the_database_refuses_a_closed_breach_without_its_closing_date(met_breach):
    with pytest.raises(IntegrityError), transaction.atomic():
        Breach.objects.filter(pk=met_breach.pk).update(
            status=BreachStatus.CLOSED, ico_decision=IcoDecision.NOT_REPORTED
        )


def test_a_report_to_the_ico_cannot_be_taken_back(client, clock, sally, met_breach):
    """UK GDPR Art 33(5): once reported, the record keeps the report."""
    clock.move_to(AWARE + datetime.timedelta(hours=30))
    client.force_login(sally)
    url = reverse("breaches:update", args=[met_breach.reference])
    report = reported_at(AWARE + datetime.timedelta(hours=20))
    assert confirm_post(client, url, update_post(met_breach, **report)).status_code == 302
    met_breach.refresh_from_db()
    assert met_breach.ico_decision == "reported"
    response = confirm_post(client, url, update_post(met_breach, ico_decision="pending"))
    assert "that report stays on the record" in response.content.decode()
    met_breach.refresh_from_db()
    assert met_breach.ico_decision == "reported"
    assert met_breach.ico_reported_at is not None


def test_the_breach_page_shows_its_history(client, clock, bob):
    breach = breach_services.breach_report_create(reporter=bob, data=report_data())
    client.force_login(bob)
    body = client.get(reverse("breaches:detail", args=[breach.reference])).text
    assert 'id="history"' in body
    assert "Breach reported" in body
