"""Chasing with the clock moved (protocol 9.2 timescale, 7.4 SPOC oversight): reminders before
the due date, escalation when overdue and for untaken urgent requests, each sent once per due
date; a moved due date allows one more; the SPOC digest; no personal data in any of them."""

import datetime

import pytest
import time_machine
from django.core import mail

from governance.outbox.models import Email
from requests_app import chasing, workflow
from requests_app.models import InformationRequest
from tests import workflow_helpers as wf

pytestmark = pytest.mark.django_db

D = datetime.date
# Monday 14 December 2026, 09:00 in London (UTC in winter).
MONDAY = datetime.datetime(2026, 12, 14, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _timescale(settings):
    settings.ISP_TIMESCALE_STANDARD_WORKING_DAYS = 10
    settings.ISP_TIMESCALE_URGENT_WORKING_DAYS = 2
    settings.ISP_DUE_SOON_WORKING_DAYS = 2
    settings.ISP_URGENT_ESCALATION_HOURS = 4


def run_chase(at, capture):
    mail.outbox.clear()
    with time_machine.travel(at, tick=False), capture(execute=True):
        return chasing.chase()


def personal_data_absent(req):
    for message in mail.outbox:
        text = message.subject + message.body
        for personal in (req.subject_name, req.subject_address, req.information_description):
            assert personal not in text


def test_reminder_before_the_due_date_once(alice, bob, met, django_capture_on_commit_callbacks):
    with time_machine.travel(MONDAY, tick=False):
        req = wf.under_review(alice, met, bob, required_by=D(2027, 6, 1))
    req.refresh_from_db()
    assert req.due_date == D(2026, 12, 30)
    # Monday 21st: 6 working days left, nothing yet.
    assert run_chase(MONDAY + datetime.timedelta(days=7), django_capture_on_commit_callbacks)
    assert mail.outbox == []
    # Thursday 24 December: 2 working days left (29th, 30th): the reminder.
    result = run_chase(MONDAY + datetime.timedelta(days=10), django_capture_on_commit_callbacks)
    assert (result.reminded, result.escalated_overdue) == (1, 0)
    assert [m.to for m in mail.outbox] == [[bob.email]]
    assert req.reference in mail.outbox[0].body
    assert "30 December 2026" in mail.outbox[0].body
    personal_data_absent(req)
    # The next round, and the one after: no second reminder for the same due date.
    result = run_chase(
        MONDAY + datetime.timedelta(days=10, hours=1), django_capture_on_commit_callbacks
    )
    assert result.reminded == 0
    assert mail.outbox == []


def test_overdue_escalates_to_the_spoc_and_backup_once_and_again_after_an_extension(
    alice, bob, sally, sid, met, django_capture_on_commit_callbacks
):
    with time_machine.travel(MONDAY, tick=False):
        req = wf.under_review(alice, met, bob, required_by=D(2027, 6, 1))
    # Thursday 31 December: past the due date of the 30th.
    result = run_chase(
        datetime.datetime(2026, 12, 31, 9, tzinfo=datetime.UTC), django_capture_on_commit_callbacks
    )
    assert result.escalated_overdue == 1
    escalations = [m for m in mail.outbox if "Overdue" in m.subject]
    assert len(escalations) == 1
    assert sorted(escalations[0].to) == sorted([sally.email, sid.email])
    personal_data_absent(req)
    result = run_chase(
        datetime.datetime(2027, 1, 4, 9, tzinfo=datetime.UTC), django_capture_on_commit_callbacks
    )
    assert result.escalated_overdue == 0
    # A new due date (an agreed extension moves it) allows one more reminder and escalation.
    InformationRequest.objects.filter(pk=req.pk).update(due_date=D(2027, 1, 5))
    result = run_chase(
        datetime.datetime(2027, 1, 4, 10, tzinfo=datetime.UTC), django_capture_on_commit_callbacks
    )
    assert result.reminded == 1
    result = run_chase(
        datetime.datetime(2027, 1, 6, 10, tzinfo=datetime.UTC), django_capture_on_commit_callbacks
    )
    assert result.escalated_overdue == 1


def test_no_chasing_while_the_clock_is_stopped_or_after_a_decision(
    alice, bob, met, django_capture_on_commit_callbacks
):
    with time_machine.travel(MONDAY, tick=False):
        waiting = wf.sent_back(alice, met, bob)
        decided = wf.under_review(alice, met, bob, required_by=D(2027, 6, 1))
        workflow.transition(
            reference=decided.reference,
            action="disclose",
            actor=bob,
            part_b=wf.part_b(signature_name=bob.full_name),
        )
    InformationRequest.objects.filter(pk__in=[waiting.pk, decided.pk]).update(
        due_date=D(2026, 12, 15)
    )
    result = run_chase(
        datetime.datetime(2027, 1, 4, 9, tzinfo=datetime.UTC), django_capture_on_commit_callbacks
    )
    assert result == chasing.ChaseResult(0, 0, 0, 0)
    assert mail.outbox == []


def test_an_urgent_request_nobody_takes_is_escalated_within_hours(
    alice, sally, sid, met, django_capture_on_commit_callbacks
):
    with time_machine.travel(MONDAY, tick=False):
        req = wf.submitted(alice, met, is_urgent=True, urgency_reason="Risk to a child tonight")
    result = run_chase(MONDAY + datetime.timedelta(hours=3), django_capture_on_commit_callbacks)
    assert result.escalated_urgent == 0
    result = run_chase(
        MONDAY + datetime.timedelta(hours=4, minutes=5), django_capture_on_commit_callbacks
    )
    assert result.escalated_urgent == 1
    urgent = [m for m in mail.outbox if m.subject.startswith("URGENT")]
    assert len(urgent) == 1
    assert sorted(urgent[0].to) == sorted([sally.email, sid.email])
    assert "Risk to a child" not in urgent[0].body
    assert req.reference in urgent[0].body
    result = run_chase(MONDAY + datetime.timedelta(hours=6), django_capture_on_commit_callbacks)
    assert result.escalated_urgent == 0


def test_spoc_digest_on_working_mornings_in_figures(
    alice, bob, sally, sid, met, django_capture_on_commit_callbacks
):
    with time_machine.travel(MONDAY, tick=False):
        req = wf.submitted(alice, met)
        wf.under_review(alice, met, bob)
    mail.outbox.clear()
    with (
        time_machine.travel(datetime.datetime(2026, 12, 15, 7, tzinfo=datetime.UTC), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert chasing.spoc_digest() == 1
    assert len(mail.outbox) == 1
    assert sorted(mail.outbox[0].to) == sorted([sally.email, sid.email])
    assert "- 1 not yet taken" in mail.outbox[0].body
    assert req.reference not in mail.outbox[0].body
    # Christmas Day is not a working day: no digest.
    with (
        time_machine.travel(datetime.datetime(2026, 12, 25, 7, tzinfo=datetime.UTC), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert chasing.spoc_digest() == 0


def test_every_chasing_email_is_in_the_outbox_and_sent(
    alice, bob, met, django_capture_on_commit_callbacks
):
    with time_machine.travel(MONDAY, tick=False):
        wf.under_review(alice, met, bob, required_by=D(2026, 12, 16))
    run_chase(MONDAY + datetime.timedelta(days=1), django_capture_on_commit_callbacks)
    reminder = Email.objects.get(subject__contains="Reminder")
    assert reminder.status == "sent"
    assert reminder.attempts == 1


def test_migrate_writes_the_periodic_tasks_to_the_engines_schedule():
    from django_q.models import Schedule

    from isp_portal.schedules import SCHEDULES

    found = dict(Schedule.objects.values_list("name", "cron"))
    assert found == {periodic.name: periodic.cron for periodic in SCHEDULES}
