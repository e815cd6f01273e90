"""The breach register: who may report, see and manage a breach, the rules of UK GDPR Art 33, the
register's queries, and the writes (each audited in the same transaction).

protocol 7.1-7.3: each partner's CSP board members deal with breaches of the protocol promptly
within their organisation; protocol 7.4: its SPOC and back-up SPOC review compliance. UK GDPR
Art 33: a personal data breach is reported to the ICO without undue delay and, where feasible,
within 72 hours of becoming aware of it; Art 33(5): every breach is recorded, reported or not.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.urls import reverse
from django.utils import timezone

from governance import audit, roles
from governance.access import AccessRefused
from governance.models import (
    AuditAction,
    Breach,
    BreachReferenceCounter,
    BreachRisk,
    BreachStatus,
    IcoDecision,
    SpocRole,
    User,
)
from governance.roles import AnyUser
from requests_app import permissions as request_permissions
from requests_app.models import InformationRequest

# UK GDPR Art 33(1): "where feasible, not later than 72 hours after having become aware of it".
ICO_REPORTING_WINDOW = datetime.timedelta(hours=72)


# Rules ---------------------------------------------------------------------------------------


def ico_deadline(became_aware_at: datetime.datetime) -> datetime.datetime:
    """UK GDPR Art 33(1): the ICO is told within 72 hours of becoming aware of the breach.

    72 hours of elapsed time, whatever the clocks do in between: counted in UTC, because adding
    hours to a local time adds them to the wall clock."""
    return became_aware_at.astimezone(datetime.UTC) + ICO_REPORTING_WINDOW


def is_late(*, became_aware_at: datetime.datetime, reported_at: datetime.datetime) -> bool:
    """UK GDPR Art 33(1): a report made after the 72 hours must give the reasons for the delay."""
    return reported_at > ico_deadline(became_aware_at)


def ico_decision_overdue(breach: Breach, now: datetime.datetime | None = None) -> bool:
    """UK GDPR Art 33(1): the 72 hours have passed and nobody has decided whether to report."""
    now = now or timezone.now()
    return breach.ico_decision == IcoDecision.PENDING and now > ico_deadline(breach.became_aware_at)


def ico_report_required(risk: str) -> bool:
    """UK GDPR Art 33(1): only a breach unlikely to result in a risk to people's rights and
    freedoms may go unreported to the ICO."""
    return risk != BreachRisk.LOW


def unmet_for_update(*, breach: Breach, data: Mapping[str, Any]) -> dict[str, str]:
    """What the record still lacks after the proposed change, as {field: message}.

    `data` holds the changed fields; the rest are read from the breach as it stands."""

    def value(name: str) -> Any:
        return data[name] if name in data else getattr(breach, name)

    unmet: dict[str, str] = {}
    decision = value("ico_decision")
    if breach.ico_decision == IcoDecision.REPORTED and decision != IcoDecision.REPORTED:
        # UK GDPR Art 33(5): a report made to the ICO stays on the record.
        unmet["ico_decision"] = (
            "The breach has been reported to the ICO: that report stays on the record"
        )
    if decision == IcoDecision.NOT_REPORTED:
        if ico_report_required(value("risk")):
            unmet["ico_decision"] = (
                "A medium or high risk breach must be reported to the ICO. Select low risk if "
                "the breach is unlikely to result in a risk to people's rights and freedoms"
            )
        elif not value("not_reported_reason").strip():
            # UK GDPR Art 33(5): the record of an unreported breach says why.
            unmet["not_reported_reason"] = "Enter the reason the breach was not reported to the ICO"
    reported_at = value("ico_reported_at")
    if (
        decision == IcoDecision.REPORTED
        and reported_at is not None
        and is_late(became_aware_at=breach.became_aware_at, reported_at=reported_at)
        and not value("delay_reason").strip()
    ):
        # UK GDPR Art 33(1): a report after 72 hours is accompanied by the reasons for the delay.
        unmet["delay_reason"] = (
            "Enter the reason the breach was reported to the ICO more than 72 hours after "
            "becoming aware of it"
        )
    if value("status") == BreachStatus.CLOSED:
        for name, message in unmet_for_closing(
            ico_decision=decision,
            remedial_action=value("remedial_action"),
            lessons_learned=value("lessons_learned"),
        ).items():
            unmet.setdefault(name, message)
    return unmet


def unmet_for_closing(
    *, ico_decision: str, remedial_action: str, lessons_learned: str
) -> dict[str, str]:
    """What must be on the record before a breach is closed, as {field: message}.

    UK GDPR Art 33(5): the record holds the remedial action taken and the ICO decision (with the
    reason when not reported); protocol 7.3: the board deals with the breach, which includes
    learning from it."""
    unmet = {}
    if ico_decision == IcoDecision.PENDING:
        unmet["ico_decision"] = (
            "Select whether the breach was reported to the ICO before closing it"
        )
    if not remedial_action.strip():
        unmet["remedial_action"] = "Enter the action taken before closing the breach"
    if not lessons_learned.strip():
        unmet["lessons_learned"] = "Enter the lessons learned before closing the breach"
    return unmet


# Who may do what -----------------------------------------------------------------------------

# The same words whether the reference does not exist or the reporter may not see it: the form
# must not tell which references exist (10.5.2).
REQUEST_REFERENCE_MESSAGE = (
    "Enter the reference of a request you can see on the portal, like ISP-2026-000123, or "
    "leave it blank"
)


def request_may_be_linked(reporter: AnyUser, req: InformationRequest) -> bool:
    """A breach links only a request its reporter may see (10.5.2)."""
    return request_permissions.can_view_summary(reporter, req)


def can_report(user: AnyUser) -> bool:
    # protocol 7.1-7.3: any officer of a partner who finds or causes a breach reports it within
    # their own organisation.
    return roles.is_officer(user)


def can_view_register(user: AnyUser) -> bool:
    # protocol 7.3-7.4: the SPOCs review compliance and the board members deal with breaches.
    return roles.is_spoc(user) or roles.is_board_member(user)


def can_view(user: AnyUser, breach: Breach) -> bool:
    if not roles.is_officer(user):
        return False
    if user.pk == breach.reported_by_id and user.organisation_id == breach.organisation_id:
        return True  # the reporter, while still in the organisation (10.5.2)
    return can_view_register(user) and user.organisation_id == breach.organisation_id


def can_update(user: AnyUser, breach: Breach) -> bool:
    # protocol 7.4: the SPOC or back-up SPOC records the ICO decision and the action taken;
    # board members oversee it without editing the record.
    return roles.is_spoc(user) and user.organisation_id == breach.organisation_id


# Queries -------------------------------------------------------------------------------------


def breach_list_for_register(*, user: User) -> QuerySet[Breach]:
    """/breaches/: the breaches of the viewer's organisation, open first, newest first."""
    open_first = Case(
        When(status=BreachStatus.OPEN, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return (
        Breach.objects.filter(organisation_id=user.organisation_id)
        .annotate(open_rank=open_first)
        .order_by("open_rank", "-became_aware_at", "-id")
    )


def breach_detail(*, reference: str) -> Breach:
    return Breach.objects.select_related("organisation", "reported_by", "request").get(
        reference=reference
    )


# Writes --------------------------------------------------------------------------------------

REPORT_FIELDS = (
    "request",
    "occurred_on",
    "became_aware_at",
    "what_happened",
    "data_categories",
    "people_affected",
    "effects",
    "remedial_action",
    "risk",
)
UPDATE_FIELDS = (
    "remedial_action",
    "effects",
    "risk",
    "ico_decision",
    "ico_reported_at",
    "not_reported_reason",
    "delay_reason",
    "status",
    "lessons_learned",
)


class BreachRecordIncomplete(ValueError):
    """The change would leave the breach record short of what UK GDPR Art 33 asks."""

    def __init__(self, unmet: dict[str, str]) -> None:
        super().__init__("; ".join(unmet.values()))
        self.unmet = unmet


def breach_reference_next(*, year: int) -> str:
    """Hand out the next breach reference for the year (BR-2026-0001), under a row lock."""
    counter, _ = BreachReferenceCounter.objects.select_for_update().get_or_create(year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return f"BR-{year}-{counter.last_number:04d}"


@transaction.atomic
def breach_report_create(*, reporter: User, data: dict[str, Any]) -> Breach:
    """Record a breach of the reporter's own organisation (UK GDPR Art 33(5))."""
    if not can_report(reporter):
        raise AccessRefused(detail="report breach")
    linked = data.get("request")
    if linked is not None and not request_may_be_linked(reporter, linked):
        raise BreachRecordIncomplete({"request_reference": REQUEST_REFERENCE_MESSAGE})
    breach = Breach(
        reference=breach_reference_next(year=timezone.localdate().year),
        organisation_id=reporter.organisation_id,
        reported_by=reporter,
        **{name: data[name] for name in REPORT_FIELDS},
    )
    breach.save()
    audit.record(action=AuditAction.BREACH_REPORTED, actor=reporter, obj=breach)
    # robust: a mail server that is down must not turn a saved report into an error page.
    transaction.on_commit(lambda: _notify_spocs(breach, reporter), robust=True)
    return breach


@transaction.atomic
def breach_update(*, reference: str, editor: User, data: dict[str, Any]) -> Breach:
    """The SPOC records the ICO decision, the action taken, and closes or reopens the breach."""
    breach = (
        Breach.objects.select_for_update().select_related("organisation").get(reference=reference)
    )
    if not can_update(editor, breach):
        raise AccessRefused(obj=breach, detail="update breach")
    changes = {name: data[name] for name in UPDATE_FIELDS if name in data}
    if changes.get("ico_decision", breach.ico_decision) != IcoDecision.REPORTED:
        changes.update(ico_reported_at=None, delay_reason="")
    if changes.get("ico_decision", breach.ico_decision) != IcoDecision.NOT_REPORTED:
        changes["not_reported_reason"] = ""
    new_status = changes.get("status", breach.status)
    closing = new_status == BreachStatus.CLOSED and breach.status == BreachStatus.OPEN
    reopening = new_status == BreachStatus.OPEN and breach.status == BreachStatus.CLOSED
    if unmet := unmet_for_update(breach=breach, data=changes):
        raise BreachRecordIncomplete(unmet)
    if closing:
        changes["closed_at"] = timezone.now()
    elif reopening:
        changes["closed_at"] = None
    changed = [name for name, value in changes.items() if getattr(breach, name) != value]
    for name, value in changes.items():
        setattr(breach, name, value)
    breach.save()
    # Field names and the outcome only: never the text typed (it may describe people).
    outcome = "closed" if closing else "reopened" if reopening else "updated"
    detail = f"{outcome}: {', '.join(changed) or 'no changes'}"
    audit.record(action=AuditAction.BREACH_UPDATED, actor=editor, obj=breach, detail=detail)
    return breach


NOTIFICATION_SUBJECT = "A breach of the protocol has been reported: {ref}"


def _notify_spocs(breach: Breach, reporter: User) -> None:
    """Tell the organisation's SPOCs at once: the 72 hours run from becoming aware.

    protocol 8.3.2: the email carries only the reference and a link, never what happened."""
    recipients = list(
        User.objects.filter(
            organisation_id=breach.organisation_id,
            spoc_role__in=[SpocRole.SPOC, SpocRole.BACKUP],
            is_active=True,
        )
        .exclude(pk=reporter.pk)
        .values_list("email", flat=True)
    )
    if not recipients:
        return
    link = settings.PORTAL_BASE_URL.rstrip("/") + reverse(
        "breaches:detail", kwargs={"reference": breach.reference}
    )
    subject = NOTIFICATION_SUBJECT.format(ref=breach.reference)
    body = (
        f"{subject}.\n\n"
        "Decide whether it must be reported to the ICO: the 72 hours run from when the "
        "organisation became aware of it.\n\n"
        f"Sign in to the ISP Portal to see it: {link}\n\n"
        "This message contains no personal information. Do not reply with personal information."
    )
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
