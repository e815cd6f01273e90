"""Writes to the breach register, each audited in the same transaction (UK GDPR Art 33(5))."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from governance.audit import trail as audit
from governance.audit.models import AuditAction
from governance.breaches.models import (
    Breach,
    BreachStatus,
    IcoDecision,
)
from governance.breaches.permissions import (
    REQUEST_REFERENCE_MESSAGE,
    can_report,
    can_update,
    request_may_be_linked,
)
from governance.breaches.rules import unmet_for_report, unmet_for_update
from governance.outbox.services import email_queue
from governance.people.access import AccessRefused
from governance.people.models import SpocRole, User
from governance.people.references import reference_next
from ui.problems import Problem, ProblemsError

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


UNKNOWN_FIELDS_MESSAGE = "A breach {form} does not have these fields: {fields}"


def _only(data: Mapping[str, Any], fields: tuple[str, ...], form: str) -> dict[str, Any]:
    """Refuse any key the form does not have (e.g. status, reported_by), rather than copy it."""
    unknown = sorted(set(data) - set(fields))
    if unknown:
        raise ValueError(UNKNOWN_FIELDS_MESSAGE.format(form=form, fields=", ".join(unknown)))
    return dict(data)


class BreachRecordIncomplete(ProblemsError, ValueError):
    """The change would leave the breach record short of what UK GDPR Art 33 asks."""


@transaction.atomic
def breach_report_create(*, reporter: User, data: dict[str, Any]) -> Breach:
    """Record a breach of the reporter's own organisation (UK GDPR Art 33(5))."""
    if not can_report(reporter):
        raise AccessRefused(detail="report breach")
    data = _only(data, REPORT_FIELDS, "report")
    linked = data.get("request")
    problems = unmet_for_report(
        occurred_on=data.get("occurred_on"), became_aware_at=data.get("became_aware_at")
    )
    if linked is not None and not request_may_be_linked(reporter, linked):
        problems.append(Problem("request_reference", REQUEST_REFERENCE_MESSAGE))
    if problems:
        raise BreachRecordIncomplete(problems)
    breach = Breach(
        reference=reference_next(prefix="BR", year=timezone.localdate().year, digits=4),
        organisation_id=reporter.organisation_id,
        reported_by=reporter,
        **{name: data[name] for name in REPORT_FIELDS},
    )
    breach.save()
    audit.record(action=AuditAction.BREACH_REPORTED, actor=reporter, obj=breach)
    # Written to the outbox with the report; a worker sends it and retries a mail server that
    # is down (ADR 0005).
    _notify_spocs(breach, reporter)
    return breach


@transaction.atomic
def breach_update(*, reference: str, editor: User, data: dict[str, Any]) -> Breach:
    """The SPOC records the ICO decision, the action taken, and closes or reopens the breach."""
    breach = (
        Breach.objects.select_for_update().select_related("organisation").get(reference=reference)
    )
    if not can_update(editor, breach):
        raise AccessRefused(obj=breach, detail="update breach")
    changes = _only(data, UPDATE_FIELDS, "update")
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
    email_queue(
        subject=subject,
        body=body,
        recipients=recipients,
        organisation_id=breach.organisation_id,
        reference=breach.reference,
    )
