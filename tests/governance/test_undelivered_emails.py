"""Emails the portal could not deliver: shown to the SPOC of the organisation they concern, and
sent again on request (protocol 7.4; ADR 0005). Nobody else sees or resends them."""

import pytest
from django.core import mail
from django.urls import reverse

from governance.audit.models import AuditAction, AuditEvent
from governance.outbox import services as outbox
from governance.outbox.models import Email, EmailStatus

pytestmark = pytest.mark.django_db

URL = reverse("oversight:undelivered")


@pytest.fixture
def failed_met_email(met):
    return Email.objects.create(
        subject="New information request ISP-2026-000001",
        body="Reference: ISP-2026-000001",
        recipients=["bob@met.example"],
        organisation=met,
        reference="ISP-2026-000001",
        status=EmailStatus.FAILED,
        attempts=5,
        last_error="SMTPServerDisconnected",
    )


@pytest.fixture
def failed_council_email(council):
    return Email.objects.create(
        subject="A decision has been made on request ISP-2026-000002",
        body="Reference: ISP-2026-000002",
        recipients=["alice@council.example"],
        organisation=council,
        reference="ISP-2026-000002",
        status=EmailStatus.FAILED,
        attempts=5,
    )


def test_the_spoc_sees_only_their_organisations_undelivered_emails(
    client, sally, failed_met_email, failed_council_email
):
    client.force_login(sally)
    response = client.get(URL)
    assert response.status_code == 200
    assert failed_met_email.subject in response.text
    assert failed_council_email.subject not in response.text
    assert "1 email not delivered" in response.text


@pytest.mark.parametrize("persona", ["bob", "alice", "brenda", "adam"])
def test_people_who_are_not_spocs_are_refused(client, request, persona, failed_met_email):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(URL).status_code == 403
    send_again = reverse("oversight:undelivered_send_again", args=[failed_met_email.public_id])
    assert client.post(send_again).status_code == 403
    assert Email.objects.get(pk=failed_met_email.pk).status == EmailStatus.FAILED


def test_another_organisations_spoc_cannot_send_it_again(client, cora, failed_met_email):
    client.force_login(cora)
    send_again = reverse("oversight:undelivered_send_again", args=[failed_met_email.public_id])
    assert client.post(send_again).status_code == 404
    assert Email.objects.get(pk=failed_met_email.pk).status == EmailStatus.FAILED


def test_sending_again_delivers_it_and_is_audited(
    client, sally, failed_met_email, django_capture_on_commit_callbacks
):
    client.force_login(sally)
    send_again = reverse("oversight:undelivered_send_again", args=[failed_met_email.public_id])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(send_again)
    assert response.status_code == 302
    email = Email.objects.get(pk=failed_met_email.pk)
    assert email.status == EmailStatus.SENT
    assert [m.subject for m in mail.outbox] == [failed_met_email.subject]
    event = AuditEvent.objects.get(action=AuditAction.EMAIL_SENT_AGAIN)
    assert event.actor == sally
    assert "ISP-2026-000001" in event.detail


def test_the_last_failed_attempt_marks_the_email_not_delivered(settings, met):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = 9  # the discard port: nothing listens
    settings.TASK_MAX_ATTEMPTS = 2
    email = Email.objects.create(
        subject="s", body="b", recipients=["bob@met.example"], organisation=met
    )
    for attempt in (1, 2):
        with pytest.raises(outbox.DeliveryFailed):
            outbox.email_deliver(email.pk)
        email.refresh_from_db()
        assert email.attempts == attempt
    assert email.status == EmailStatus.FAILED
    assert email.last_error.startswith(("ConnectionRefusedError", "OSError", "TimeoutError"))
    # Once delivered, never again.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    Email.objects.filter(pk=email.pk).update(status=EmailStatus.SENT)
    assert outbox.email_deliver(email.pk) == "already sent"
    assert mail.outbox == []


def test_the_spocs_home_page_warns_of_undelivered_emails(client, sally, bob, failed_met_email):
    client.force_login(sally)
    response = client.get(reverse("home"))
    assert "1 email could not be delivered" in response.text
    assert reverse("oversight:undelivered") in response.text
    client.force_login(bob)
    assert "could not be delivered" not in client.get(reverse("home")).text
