"""A breach of the protocol and the UK GDPR Art 33(5) record of it."""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Q

from governance.breaches import rules
from governance.breaches.choices import BreachRisk, BreachStatus, IcoDecision
from governance.people.models import Organisation, TimeStamped, User


class Breach(TimeStamped):
    """A breach of the protocol (protocol 7.1-7.3) and the UK GDPR Art 33(5) record of it: the
    facts, its effects and the remedial action, whether or not it was reported to the ICO.

    Written only by governance.breaches; it never holds the names of the people affected.
    """

    reference = models.CharField(max_length=20, unique=True, editable=False)
    # The organisation whose staff found or caused the breach; its SPOCs and board members own it.
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="breaches"
    )
    reported_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="breaches_reported"
    )
    # The request the breach concerns, if any: linked only when the reporter may see it.
    request = models.ForeignKey(
        "requests_app.InformationRequest",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="breaches",
    )
    occurred_on = models.DateField("date the breach happened")
    became_aware_at = models.DateTimeField("became aware")
    what_happened = models.TextField("what happened")
    data_categories = models.TextField("kinds of personal data involved")
    people_affected = models.PositiveIntegerField("approximate number of people affected")
    effects = models.TextField("likely consequences")
    remedial_action = models.TextField("action taken")
    risk = models.CharField(max_length=10, choices=BreachRisk.choices)
    ico_decision = models.CharField(
        "reported to the ICO",
        max_length=20,
        choices=IcoDecision.choices,
        default=IcoDecision.PENDING,
    )
    ico_reported_at = models.DateTimeField("reported to the ICO at", null=True, blank=True)
    not_reported_reason = models.TextField("reason for not reporting", blank=True)
    delay_reason = models.TextField("reason for the delay", blank=True)
    status = models.CharField(
        max_length=10, choices=BreachStatus.choices, default=BreachStatus.OPEN
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    lessons_learned = models.TextField(blank=True)

    class Meta:
        # The table keeps the name it had before the register became its own app.
        db_table = "governance_breach"
        ordering = ["-became_aware_at", "-id"]
        verbose_name_plural = "breaches"
        indexes = [
            # /breaches/: the organisation's register, open first, newest first.
            models.Index(
                fields=["organisation", "status", "-became_aware_at"], name="breach_register"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["open", "closed"]), name="breach_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(risk__in=["low", "medium", "high"]), name="breach_risk_valid"
            ),
            models.CheckConstraint(
                condition=Q(ico_decision__in=["pending", "reported", "not_reported"]),
                name="breach_ico_decision_valid",
            ),
            models.CheckConstraint(
                condition=Q(status="open", closed_at__isnull=True)
                | Q(status="closed", closed_at__isnull=False),
                name="breach_closed_has_closed_at",
                violation_error_message="A closed breach must have the date it was closed.",
            ),
            # UK GDPR Art 33(5): a breach is closed only once the ICO decision is recorded.
            models.CheckConstraint(
                condition=Q(status="open") | ~Q(ico_decision="pending"),
                name="breach_closed_has_ico_decision",
            ),
            models.CheckConstraint(
                condition=Q(ico_decision="reported", ico_reported_at__isnull=False)
                | (~Q(ico_decision="reported") & Q(ico_reported_at__isnull=True)),
                name="breach_reported_has_reported_at",
            ),
            # UK GDPR Art 33(5): the reason for not reporting is part of the record.
            models.CheckConstraint(
                condition=~Q(ico_decision="not_reported") | ~Q(not_reported_reason=""),
                name="breach_not_reported_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(ico_reported_at__isnull=True)
                | Q(ico_reported_at__gte=models.F("became_aware_at")),
                name="breach_reported_after_aware",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def audit_reference(self) -> str:
        return self.reference

    @property
    def audit_organisations(self) -> tuple[Organisation, None]:
        return (self.organisation, None)

    @property
    def ico_deadline(self) -> datetime.datetime:
        return rules.ico_deadline(self.became_aware_at)

    @property
    def ico_decision_overdue(self) -> bool:
        return rules.ico_decision_overdue(self)

    @property
    def reported_late(self) -> bool:
        return self.ico_reported_at is not None and rules.is_late(
            became_aware_at=self.became_aware_at, reported_at=self.ico_reported_at
        )
