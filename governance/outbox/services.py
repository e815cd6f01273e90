"""Queueing and delivering the portal's emails through the task engine (django-q2; ADR 0005)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django_q.tasks import async_task

from governance.outbox.models import Email, EmailStatus

SEND_TASK = "governance.outbox.tasks.send_email"


def email_queue(
    *,
    subject: str,
    body: str,
    recipients: Iterable[str],
    organisation_id: int | None = None,
    reference: str = "",
) -> Email | None:
    """Write the email in the caller's transaction and hand it to a worker once that commits.
    An email with nobody to send to is not written."""
    to = sorted({address for address in recipients if address})
    if not to:
        return None
    email = Email.objects.create(
        subject=subject,
        body=body,
        recipients=to,
        organisation_id=organisation_id,
        reference=reference,
    )
    # robust: a queue that cannot be reached must not undo the change; emails_requeue_stuck()
    # sends the email later.
    transaction.on_commit(lambda: _enqueue(email.pk), robust=True)
    return email


def _enqueue(email_id: int) -> None:
    async_task(SEND_TASK, email_id, task_name=f"email-{email_id}-{timezone.now():%H%M%S%f}")


class DeliveryFailed(Exception):
    """The mail server refused or could not be reached; the task engine tries again."""


def email_deliver(email_id: int) -> str:
    """Send one queued email, once. Raises DeliveryFailed so the task engine retries it; after
    the last attempt the email is marked not delivered and the SPOC sees it."""
    with transaction.atomic():
        email = Email.objects.select_for_update().get(pk=email_id)
        if email.status == EmailStatus.SENT:
            return "already sent"
        email.attempts += 1
        try:
            send_mail(email.subject, email.body, settings.DEFAULT_FROM_EMAIL, email.recipients)
        except Exception as error:  # any failure of the mail backend is retried
            email.last_error = _error_kind(error)
            if email.attempts >= settings.TASK_MAX_ATTEMPTS:
                email.status = EmailStatus.FAILED
            email.save(update_fields=["attempts", "last_error", "status"])
            failed = True
        else:
            email.status = EmailStatus.SENT
            email.sent_at = timezone.now()
            email.save(update_fields=["attempts", "status", "sent_at"])
            failed = False
    if failed:
        # Outside the transaction, so the attempt and its error stay recorded.
        raise DeliveryFailed(f"email {email_id}: attempt {email.attempts} failed")
    return "sent"


def _error_kind(error: Exception) -> str:
    code = getattr(error, "smtp_code", None)
    kind = type(error).__name__
    return f"{kind} {code}" if code else kind


def email_send_again(*, email: Email) -> None:
    """A SPOC asks for an undelivered email to be tried again."""
    Email.objects.filter(pk=email.pk, status=EmailStatus.FAILED).update(
        status=EmailStatus.PENDING, attempts=0, queued_at=timezone.now()
    )
    transaction.on_commit(lambda: _enqueue(email.pk))


def emails_requeue_stuck(*, older_than: datetime.timedelta) -> int:
    """Pending emails whose task never ran (a worker lost it, or the process stopped between
    commit and queueing) are queued again. Sending is once only (email_deliver locks the row)."""
    cutoff = timezone.now() - older_than
    ids = list(
        Email.objects.filter(status=EmailStatus.PENDING, queued_at__lt=cutoff).values_list(
            "pk", flat=True
        )[:1000]
    )
    Email.objects.filter(pk__in=ids).update(queued_at=timezone.now())
    for email_id in ids:
        transaction.on_commit(lambda email_id=email_id: _enqueue(email_id))
    return len(ids)


def undelivered_count(*, organisation_id: int) -> int:
    """How many of an organisation's emails failed every attempt (its SPOC's home page)."""
    return Email.objects.filter(organisation_id=organisation_id, status=EmailStatus.FAILED).count()
