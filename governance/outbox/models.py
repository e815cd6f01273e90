"""The outbox: one row per email, written in the transaction of the change it tells people about,
so a notification is never lost between a saved change and a mail server that is down.

protocol 8.3.2: personal details never travel by ordinary email. A row holds the reference,
urgency and due date at most (the callers build the text), and the staff addresses it goes to.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone

from governance.people.models import Organisation


class EmailStatus(models.TextChoices):
    PENDING = "pending", "Waiting to be sent"
    SENT = "sent", "Sent"
    FAILED = "failed", "Not delivered"


class Email(models.Model):
    # In URLs instead of the row id (ids are never shown).
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    recipients = models.JSONField()  # staff email addresses
    # The organisation whose SPOC is shown the email if it is never delivered.
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The request or breach reference the email is about (never a person's name).
    reference = models.CharField(max_length=30, blank=True)
    status = models.CharField(
        max_length=10, choices=EmailStatus.choices, default=EmailStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    # The kind of error of the last failed attempt (the exception's class and the SMTP code),
    # never the message text, which may echo addresses.
    last_error = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    queued_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["pending", "sent", "failed"]), name="email_status_valid"
            ),
        ]
        indexes = [
            # The SPOC's "emails not delivered" list: my organisation's failed emails, newest first.
            models.Index(
                fields=["organisation", "-created_at"],
                condition=Q(status="failed"),
                name="email_undelivered",
            ),
            # tasks.send_stuck(): pending emails whose task was lost, oldest first.
            models.Index(fields=["queued_at"], condition=Q(status="pending"), name="email_pending"),
        ]

    def __str__(self) -> str:
        return f"Email {self.pk} ({self.status})"
