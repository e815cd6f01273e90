"""`manage.py demo_data` (run by `make run`): demo people, a working inbox of made-up requests in
every state, a consent record and a breach, made through the real services; quiet about emails;
the logins as a table; safe to run twice; refused with DEBUG off."""

from __future__ import annotations

import io
import re

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django_q.conf import Conf
from django_q.models import OrmQ

from consent.models import ConsentRecord
from governance.audit.models import AuditAction, AuditEvent
from governance.breaches.models import Breach
from governance.outbox.models import Email, EmailStatus
from governance.people.factories import DEMO_PASSWORD
from governance.people.models import User
from requests_app.models import InformationRequest, RequestMessage, Status

pytestmark = pytest.mark.django_db

CONSOLE = "django.core.mail.backends.console.EmailBackend"


@pytest.fixture
def demo_mode(settings, reference_data):
    settings.DEBUG = settings.DEMO_MODE = True
    return settings


def run_demo() -> str:
    out = io.StringIO()
    call_command("demo_data", stdout=out)
    return out.getvalue()


def test_refuses_to_run_with_debug_off(settings, reference_data):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG off"):
        call_command("demo_data", stdout=io.StringIO())
    assert not User.objects.exists()
    assert not InformationRequest.objects.exists()
    assert not Breach.objects.exists()


def test_every_state_of_the_workflow_is_in_the_demo(demo_mode):
    run_demo()
    statuses = set(InformationRequest.objects.values_list("status", flat=True))
    assert statuses == set(Status.values)
    assert 10 <= InformationRequest.objects.count() <= 15


def test_the_inbox_has_an_overdue_and_an_urgent_request(demo_mode):
    run_demo()
    overdue = InformationRequest.objects.overdue()
    assert overdue.count() == 1
    assert overdue.get().receiving_organisation.short_code == "met"
    urgent = InformationRequest.objects.filter(is_urgent=True)
    assert urgent.filter(status=Status.SUBMITTED).exists()
    # Due dates come from the workflow (protocol 9.2): every request that reached the partner
    # has one, and only the overdue one was put in the past.
    reached = InformationRequest.objects.exclude(status=Status.DRAFT)
    assert not reached.filter(due_date__isnull=True).exists()


def test_moves_were_made_through_the_workflow_and_audited(demo_mode):
    run_demo()
    reached = InformationRequest.objects.exclude(status=Status.DRAFT)
    submitted_events = AuditEvent.objects.filter(action=AuditAction.REQUEST_SUBMITTED)
    assert submitted_events.count() == reached.count()
    assert AuditEvent.objects.filter(action=AuditAction.REQUEST_DECIDED).count() == 3
    assert AuditEvent.objects.filter(action=AuditAction.REQUEST_CLOSED).count() == 1
    assert AuditEvent.objects.filter(action=AuditAction.REQUEST_WITHDRAWN).count() == 1
    decided = InformationRequest.objects.filter(
        status__in=[Status.DISCLOSED, Status.DECLINED, Status.CLOSED]
    )
    assert all(hasattr(req, "decision_record") for req in decided)


def test_more_information_needed_carries_its_question_and_a_reply_restarted_the_clock(demo_mode):
    run_demo()
    waiting = InformationRequest.objects.get(status=Status.MORE_INFORMATION)
    assert waiting.clock_stopped_at is not None
    question = waiting.messages.get(kind=RequestMessage.Kind.QUESTION)
    assert "dates of the incidents" in question.text
    answered = RequestMessage.objects.get(kind=RequestMessage.Kind.REPLY).request
    assert answered.status == Status.UNDER_REVIEW
    assert answered.clock_stopped_at is None
    assert answered.clock_stops.get().restarted_at is not None


def test_a_consent_record_and_a_breach_are_recorded_and_audited(demo_mode):
    run_demo()
    record = ConsentRecord.objects.get()
    assert record.request.status == Status.UNDER_REVIEW
    assert AuditEvent.objects.filter(action=AuditAction.CONSENT_RECORDED).count() == 1
    breach = Breach.objects.get()
    assert breach.request is not None
    assert breach.request.status == Status.DISCLOSED
    assert AuditEvent.objects.filter(action=AuditAction.BREACH_REPORTED).count() == 1


def test_running_twice_changes_nothing(demo_mode):
    run_demo()
    counts = (
        User.objects.count(),
        InformationRequest.objects.count(),
        ConsentRecord.objects.count(),
        Breach.objects.count(),
        AuditEvent.objects.count(),
    )
    second = run_demo()
    assert counts == (
        User.objects.count(),
        InformationRequest.objects.count(),
        ConsentRecord.objects.count(),
        Breach.objects.count(),
        AuditEvent.objects.count(),
    )
    assert "Demo people ready (0 new)" in second
    assert "Demo cases ready" not in second
    assert "Username" in second  # the logins are printed every time


@pytest.mark.django_db(transaction=True)  # the notifications go when the command's work commits
def test_no_email_is_printed_and_none_is_left_waiting(demo_mode, capsys, monkeypatch):
    """As under `make run`: the console email backend, and tasks queued for a worker. The demo's
    notifications are delivered to the in-memory mailbox while the command runs; nothing reaches
    the console, now or when a worker starts."""
    demo_mode.EMAIL_BACKEND = CONSOLE
    monkeypatch.setattr(Conf, "SYNC", False)
    mail.outbox = []
    printed = run_demo()
    captured = capsys.readouterr()
    for text in (printed, captured.out, captured.err):
        assert "Subject:" not in text
        assert "Content-Type:" not in text
        assert "Enqueued" not in text
    assert mail.outbox, "the workflow's notifications were sent (to the in-memory mailbox)"
    assert Email.objects.exists()
    assert not Email.objects.exclude(status=EmailStatus.SENT).exists()
    assert not OrmQ.objects.exists()
    # Everything is put back for the emails of what people do next.
    assert django_settings.EMAIL_BACKEND == CONSOLE
    assert Conf.SYNC is False


def test_logins_are_printed_as_an_aligned_table(demo_mode):
    output = run_demo()
    lines = output.splitlines()
    header = next(i for i, line in enumerate(lines) if line.strip().startswith("Username"))
    table = []
    for line in lines[header:]:
        if not line.strip() or not re.match(r"\s+\S+@\S+\s|\s+Username", line):
            break
        table.append(line)
    assert len(table) == 1 + 1 + 5 * 2  # header, the administrator, five roles at two partners
    columns = [table[0].index(name) for name in ("Role", "Organisation", "Password")]
    for row in table[1:]:
        for start in columns:
            assert row[start - 2 : start] == "  ", row
            assert row[start] != " ", row
    rows = {row.split()[0]: row for row in table[1:]}
    assert "Portal administrator" in rows["admin@portal.example"]
    assert "Requesting officer" in rows["requester@council.example"]
    assert "London Borough of Haringey" in rows["requester@council.example"]
    assert "Disclosing officer" in rows["discloser@met.example"]
    assert "Metropolitan Police Service, Haringey Borough" in rows["spoc@met.example"]
    assert all(row.rstrip().endswith(DEMO_PASSWORD) for row in table[1:])
    # Every listed login works with the password shown.
    for username in rows:
        assert User.objects.get(email=username).check_password(DEMO_PASSWORD)
