"""The agreed timescale in working days (protocol 9.2), across weekends and bank holidays, and
the due date a request gets on receipt, stopped clock and restart."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from governance.audit.models import AuditAction, AuditEvent
from requests_app import deadlines
from requests_app.models import ClockStop, InformationRequest
from tests import workflow_helpers as wf

D = datetime.date
LONDON = timezone.get_fixed_timezone(0)


def test_christmas_and_boxing_day_are_not_working_days():
    # 2026: Christmas is a Friday; Boxing Day a Saturday, so its bank holiday is Monday 28th.
    assert not deadlines.is_working_day(D(2026, 12, 25))
    assert not deadlines.is_working_day(D(2026, 12, 28))
    assert deadlines.is_working_day(D(2026, 12, 29))


def test_working_days_skip_weekends_and_bank_holidays():
    # Thursday 24 December 2026 + 1 working day: not Friday 25th (Christmas), not the weekend,
    # not Monday 28th (Boxing Day's substitute) but Tuesday 29th.
    assert deadlines.add_working_days(D(2026, 12, 24), 1) == D(2026, 12, 29)
    assert deadlines.add_working_days(D(2026, 12, 24), 2) == D(2026, 12, 30)
    # An ordinary week: Monday + 5 working days is the next Monday.
    assert deadlines.add_working_days(D(2026, 11, 2), 5) == D(2026, 11, 9)
    assert deadlines.working_days_between(D(2026, 12, 24), D(2026, 12, 30)) == 2
    assert deadlines.working_days_between(D(2026, 12, 30), D(2026, 12, 24)) == -2


def test_due_date_is_the_timescale_or_required_by_if_earlier(settings):
    settings.ISP_TIMESCALE_STANDARD_WORKING_DAYS = 10
    settings.ISP_TIMESCALE_URGENT_WORKING_DAYS = 2
    received = D(2026, 12, 21)  # Monday
    # 10 working days from Monday 21 December, skipping 25th, 28th and New Year's Day.
    assert deadlines.due_date_on_receipt(
        received=received, urgent=False, required_by=D(2027, 3, 1)
    ) == D(2027, 1, 7)
    assert deadlines.due_date_on_receipt(
        received=received, urgent=True, required_by=D(2027, 3, 1)
    ) == D(2026, 12, 23)
    assert deadlines.due_date_on_receipt(
        received=received, urgent=False, required_by=D(2026, 12, 22)
    ) == D(2026, 12, 22)


@pytest.mark.parametrize(
    ("today", "tag", "text"),
    [
        (D(2026, 12, 1), "", "6 working days left"),
        (D(2026, 12, 7), "Due soon", "2 working days left"),
        (D(2026, 12, 9), "Due soon", "Due today"),
        (D(2026, 12, 10), "Overdue", "1 working day overdue"),
    ],
)
def test_deadline_tags(settings, today, tag, text):
    settings.ISP_DUE_SOON_WORKING_DAYS = 2
    found = deadlines.deadline(
        due=D(2026, 12, 9), clock_running=True, clock_stopped=False, today=today
    )
    assert (found.tag, found.days_left_text) == (tag, text)


def test_a_stopped_clock_shows_no_days_and_a_closed_request_no_deadline():
    stopped = deadlines.deadline(
        due=D(2026, 12, 9), clock_running=False, clock_stopped=True, today=D(2026, 12, 20)
    )
    assert (stopped.tag, stopped.days_left_text) == ("Clock stopped", "Clock stopped")
    closed = deadlines.deadline(
        due=D(2026, 12, 9), clock_running=False, clock_stopped=False, today=D(2026, 12, 20)
    )
    assert closed.tag == ""
    assert closed.days_left is None


@pytest.mark.django_db
def test_receipt_sets_the_due_date_and_the_clock_stops_and_restarts(settings, alice, bob, met):
    settings.ISP_TIMESCALE_STANDARD_WORKING_DAYS = 10
    monday = datetime.datetime(2026, 12, 14, 10, 0, tzinfo=datetime.UTC)
    with time_machine.travel(monday, tick=False):
        req = wf.under_review(alice, met, bob, required_by=D(2027, 6, 1))
    req.refresh_from_db()
    # 10 working days from Monday 14 December: 25th and 28th are bank holidays.
    assert req.due_date == D(2026, 12, 30)
    with time_machine.travel(monday + datetime.timedelta(days=1), tick=False):
        wf_transition_more_information(req, bob)
    req.refresh_from_db()
    assert req.clock_stopped_at is not None
    assert req.deadline(D(2027, 1, 20)).tag == "Clock stopped"
    assert not InformationRequest.objects.overdue(D(2027, 1, 20)).filter(pk=req.pk).exists()
    # The reply comes on Tuesday 22 December: 5 working days stood (16th-22nd).
    with time_machine.travel(monday + datetime.timedelta(days=8), tick=False):
        wf.resend(req, alice)
    req.refresh_from_db()
    stop = ClockStop.objects.get(request=req)
    assert stop.working_days_added == 5
    assert stop.restarted_at is not None
    assert req.clock_stopped_at is None
    assert req.due_date == deadlines.add_working_days(D(2026, 12, 30), 5) == D(2027, 1, 7)
    # Each stop and restart is in the audit trail.
    stopped = AuditEvent.objects.get(action=AuditAction.MORE_INFORMATION_REQUESTED)
    assert stopped.detail.endswith("clock stopped")
    restarted = AuditEvent.objects.get(action=AuditAction.MORE_INFORMATION_PROVIDED)
    assert "clock restarted, 5 working day(s) added; reply due by 2027-01-07" in restarted.detail


def wf_transition_more_information(req, discloser):
    from requests_app import workflow

    workflow.transition(
        reference=req.reference,
        action="request_more_information",
        actor=discloser,
        note="Which dates?",
    )
