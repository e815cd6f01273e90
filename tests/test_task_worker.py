"""The task engine for real: a worker process (`manage.py qcluster`, django-q2) against the
PostgreSQL test database sends the emails the workflow writes to the outbox, runs the chasing
task the scheduler hands it, and retries an email the mail backend failed to send."""

from __future__ import annotations

import datetime
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django_q.conf import Conf
from django_q.models import Schedule
from django_q.scheduler import scheduler

from governance.outbox.models import Email
from isp_portal.schedules import ensure_schedules
from requests_app.models import InformationRequest
from tests import workflow_helpers as wf

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="the worker shares the PostgreSQL test database",
    ),
]

ROOT = Path(__file__).resolve().parent.parent


def wait_for(condition, timeout: float = 60.0, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {what}")


@pytest.fixture
def queue_to_workers(monkeypatch):
    # Tests run tasks inline by default; these hand them to the worker process instead.
    monkeypatch.setattr(Conf, "SYNC", False)


@pytest.fixture
def mail_dir(tmp_path) -> Path:
    return tmp_path / "mail"


@pytest.fixture
def worker(mail_dir, tmp_path):
    # The test database, and the same role switch (`?assume_role=`): the worker runs with the
    # portal's privileges, as the suite does.
    test_db = connection.settings_dict["NAME"]
    url = urllib.parse.urlsplit(os.environ["DATABASE_URL"])._replace(path=f"/{test_db}").geturl()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SECRET_KEY": settings.SECRET_KEY,  # the queue's packages are signed with it
        "TASKS_SYNC": "0",
        "TASK_WORKERS": "1",
        # Long enough for a cold worker's first task (importing the bank holiday calendars).
        "TASK_TIMEOUT_SECONDS": "15",
        "TASK_RETRY_SECONDS": "16",
        "TASK_POLL_SECONDS": "0.2",
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
        "PORTAL_BASE_URL": "https://isp.example.gov.uk",
    }
    log = open(tmp_path / "worker.log", "w")  # noqa: SIM115
    process = subprocess.Popen(
        [sys.executable, "manage.py", "qcluster"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    yield process
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
    log.close()


def sent_texts(mail_dir: Path) -> str:
    if not mail_dir.is_dir():
        return ""
    return "\n".join(path.read_text() for path in sorted(mail_dir.iterdir()))


def test_the_worker_sends_what_the_workflow_wrote(
    queue_to_workers, worker, mail_dir, alice, bob, met
):
    req = wf.submitted(alice, met)
    email = Email.objects.get(reference=req.reference)
    assert email.status == "pending"  # written with the change, not sent in the request
    wait_for(lambda: Email.objects.get(pk=email.pk).status == "sent", what="the worker to send it")
    text = sent_texts(mail_dir)
    assert f"New information request {req.reference}" in text
    assert bob.email in text
    assert req.subject_name not in text


def test_the_scheduler_hands_the_chase_to_the_worker_and_it_reminds_once(
    queue_to_workers, worker, mail_dir, alice, bob, met
):
    req = wf.under_review(alice, met, bob)
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    InformationRequest.objects.filter(pk=req.pk).update(due_date=tomorrow)
    ensure_schedules()
    Schedule.objects.filter(name="chase-requests").update(
        next_run=datetime.datetime.now(tz=datetime.UTC) - datetime.timedelta(minutes=1)
    )
    scheduler()  # the cluster's scheduler step: queues the due periodic task
    wait_for(
        lambda: InformationRequest.objects.get(pk=req.pk).reminded_for == tomorrow,
        what="the chase task",
    )
    reminder = wait_for(
        lambda: Email.objects.filter(subject__contains="Reminder", status="sent").first(),
        what="the reminder to be sent",
    )
    assert reminder.recipients == [bob.email]
    # A second run of the chase sends nothing more for the same due date.
    Schedule.objects.filter(name="chase-requests").update(
        next_run=datetime.datetime.now(tz=datetime.UTC) - datetime.timedelta(minutes=1)
    )
    scheduler()
    wait_for(
        lambda: (
            Schedule.objects.get(name="chase-requests").next_run
            > datetime.datetime.now(tz=datetime.UTC)
        ),
        what="the schedule to move on",
    )
    time.sleep(3)
    assert Email.objects.filter(subject__contains="Reminder").count() == 1
    assert sent_texts(mail_dir).count("Reminder:") == 1


def test_a_failed_email_is_retried_by_the_worker(
    queue_to_workers, worker, mail_dir, alice, bob, met
):
    # The "mail server" is down: the file backend's directory is a plain file.
    mail_dir.write_text("not a directory")
    req = wf.submitted(alice, met)
    email = Email.objects.get(reference=req.reference)
    failed = wait_for(
        lambda: Email.objects.filter(pk=email.pk, attempts__gte=1).first(),
        what="the first attempt",
    )
    assert failed.status == "pending"
    assert failed.last_error == "ImproperlyConfigured"
    # The server comes back: the worker's retry delivers it.
    mail_dir.unlink()
    mail_dir.mkdir()
    sent = wait_for(
        lambda: Email.objects.filter(pk=email.pk, status="sent").first(),
        what="the retry to deliver it",
    )
    assert sent.attempts >= 2
    assert f"New information request {req.reference}" in sent_texts(mail_dir)
    shutil.rmtree(mail_dir)
