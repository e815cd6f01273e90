"""Chasing and escalation (protocol 9.2: "a reply to the request must be made within an agreed
timescale"; 7.4: the SPOC oversees their organisation's requests). Run by the task engine's
scheduler (isp_portal/schedules.py): chase() every quarter of an hour, spoc_digest() each working
morning.

Each reminder and escalation is sent once per due date: the request keeps the due date it was
sent for (reminded_for, escalated_for), and an agreed extension or a restarted clock moves the
due date and so allows one more. Emails are grouped, one per officer or organisation, and list
only references, urgency and due dates (protocol 8.3.2).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from governance.outbox.services import email_queue
from governance.people.models import SpocRole, User
from requests_app import deadlines
from requests_app.models import CLOCK_RUNNING_STATUSES, InformationRequest, Status

# Rows locked and marked per batch: bounds a transaction's size at national volumes.
BATCH = 2000


@dataclass(frozen=True)
class ChaseResult:
    reminded: int
    escalated_overdue: int
    escalated_urgent: int
    emails: int


@dataclass(frozen=True)
class _Due:
    pk: int
    reference: str
    due_date: datetime.date | None
    is_urgent: bool
    to_id: int | None  # the officer or organisation the email goes to


def _line(item: _Due) -> str:
    due = date_format(item.due_date, "j F Y") if item.due_date else "no due date"
    return f"- {item.reference}{' (URGENT)' if item.is_urgent else ''}: reply due by {due}"


def _body(opening: str, items: list[_Due], link_name: str) -> str:
    link = settings.PORTAL_BASE_URL.rstrip("/") + reverse(link_name)
    lines = "\n".join(_line(item) for item in sorted(items, key=lambda i: i.reference))
    return (
        f"{opening}\n\n{lines}\n\nSign in to the ISP Portal to see them: {link}\n\n"
        "This message contains no personal information. Do not reply with personal information."
    )


def _clock_running() -> Q:
    return Q(status__in=CLOCK_RUNNING_STATUSES, clock_stopped_at__isnull=True)


def _claim(queryset, to_field: str, mark: dict, order: str) -> list[_Due]:  # type: ignore[no-untyped-def]
    """Lock a batch of matching requests (skipping any another worker holds), mark them sent
    and return them. The caller's transaction makes the mark and the email one. Ordered by the
    column its partial index holds, so the batch is read from the index, not the whole table."""
    rows = list(
        queryset.select_for_update(skip_locked=True, of=("self",))
        .order_by(order, "pk")
        .values_list("pk", "reference", "due_date", "is_urgent", to_field)[:BATCH]
    )
    InformationRequest.objects.filter(pk__in=[row[0] for row in rows]).update(**mark)
    return [_Due(*row) for row in rows]


def _spocs_by_organisation(organisation_ids: set[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = defaultdict(list)
    people = (
        User.objects.filter(organisation_id__in=organisation_ids, is_active=True)
        .exclude(spoc_role=SpocRole.NONE)
        .values_list("organisation_id", "email")
    )
    for organisation_id, email in people:
        found[organisation_id].append(email)
    return found


def _officer_emails(officer_ids: set[int]) -> dict[int, str]:
    return dict(User.objects.filter(pk__in=officer_ids, is_active=True).values_list("pk", "email"))


def _group(items: list[_Due]) -> dict[int, list[_Due]]:
    grouped: dict[int, list[_Due]] = defaultdict(list)
    for item in items:
        if item.to_id is not None:
            grouped[item.to_id].append(item)
    return grouped


def _remind_assigned_officers(today: datetime.date) -> tuple[int, int]:
    """Before the due date: the assigned disclosing officer, once per due date."""
    soon = deadlines.add_working_days(today, settings.ISP_DUE_SOON_WORKING_DAYS)
    due_soon = (
        InformationRequest.objects.filter(_clock_running(), due_date__gte=today, due_date__lte=soon)
        .filter(assigned_officer__isnull=False)
        .exclude(reminded_for=F("due_date"))
    )
    items = _claim(due_soon, "assigned_officer_id", {"reminded_for": F("due_date")}, "due_date")
    grouped = _group(items)
    emails = _officer_emails(set(grouped))
    sent = 0
    for officer_id, officer_items in grouped.items():
        urgent = any(i.is_urgent for i in officer_items)
        sent += bool(
            email_queue(
                subject=f"{'URGENT: ' if urgent else ''}Reminder: "
                f"{len(officer_items)} request(s) due soon",
                body=_body(
                    "These requests assigned to you are due soon (protocol 9.2):",
                    officer_items,
                    "requests_app:inbox",
                ),
                recipients=[emails.get(officer_id, "")],
                reference=officer_items[0].reference if len(officer_items) == 1 else "",
            )
        )
    return len(items), sent


def _escalate_overdue(today: datetime.date) -> tuple[int, int]:
    """Past the due date: the receiving SPOC and back-up, once per due date."""
    overdue = InformationRequest.objects.filter(_clock_running(), due_date__lt=today).exclude(
        escalated_for=F("due_date")
    )
    items = _claim(
        overdue, "receiving_organisation_id", {"escalated_for": F("due_date")}, "due_date"
    )
    return len(items), _tell_spocs(
        _group(items),
        subject="{urgent}Overdue: {n} request(s) past their due date",
        opening="These requests to your organisation are past their due date (protocol 9.2). "
        "Please make sure each is answered or an extension is agreed:",
    )


def _escalate_urgent_untaken(now: datetime.datetime) -> tuple[int, int]:
    """An urgent request nobody has taken within ISP_URGENT_ESCALATION_HOURS: the SPOCs, once."""
    cutoff = now - datetime.timedelta(hours=settings.ISP_URGENT_ESCALATION_HOURS)
    waiting = InformationRequest.objects.filter(
        status=Status.SUBMITTED,
        is_urgent=True,
        received_at__lte=cutoff,
        urgent_escalated_at__isnull=True,
    )
    items = _claim(
        waiting, "receiving_organisation_id", {"urgent_escalated_at": now}, "received_at"
    )
    return len(items), _tell_spocs(
        _group(items),
        subject="{urgent}Urgent: {n} request(s) not yet taken",
        opening=f"These urgent requests to your organisation have not been taken by a disclosing "
        f"officer within {settings.ISP_URGENT_ESCALATION_HOURS} hours:",
    )


def _tell_spocs(grouped: dict[int, list[_Due]], *, subject: str, opening: str) -> int:
    spocs = _spocs_by_organisation(set(grouped))
    sent = 0
    for organisation_id, items in grouped.items():
        urgent = "URGENT: " if any(i.is_urgent for i in items) else ""
        sent += bool(
            email_queue(
                subject=subject.format(urgent=urgent, n=len(items)),
                body=_body(opening, items, "requests_app:inbox"),
                recipients=spocs.get(organisation_id, []),
                organisation_id=organisation_id,
                reference=items[0].reference if len(items) == 1 else "",
            )
        )
    return sent


def chase(*, now: datetime.datetime | None = None) -> ChaseResult:
    """One round of chasing: reminders, overdue escalations, urgent escalations. Safe to run on
    several workers at once and to repeat: each request is claimed under a row lock and marked
    in the same transaction as its email."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    totals = [0, 0, 0, 0]
    for position, step in enumerate(
        (
            lambda: _remind_assigned_officers(today),
            lambda: _escalate_overdue(today),
            lambda: _escalate_urgent_untaken(now),
        )
    ):
        while True:
            with transaction.atomic():
                claimed, emails = step()
            totals[position] += claimed
            totals[3] += emails
            if claimed < BATCH:
                break
    return ChaseResult(*totals)


@dataclass(frozen=True)
class OrganisationDay:
    unassigned: int
    due_soon: int
    overdue: int
    awaiting_information: int

    @property
    def anything(self) -> bool:
        return any((self.unassigned, self.due_soon, self.overdue, self.awaiting_information))


def spoc_digest(*, now: datetime.datetime | None = None) -> int:
    """Each working morning, the SPOC and back-up of each organisation get their organisation's
    queue in figures (7.4). Returns the number of emails queued."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    if not deadlines.is_working_day(today):
        return 0
    soon = deadlines.add_working_days(today, settings.ISP_DUE_SOON_WORKING_DAYS)
    running = _clock_running()
    figures = (
        InformationRequest.objects.filter(
            status__in=(*CLOCK_RUNNING_STATUSES, Status.MORE_INFORMATION)
        )
        .values("receiving_organisation_id")
        .annotate(
            unassigned=Count("pk", filter=Q(status=Status.SUBMITTED)),
            due_soon=Count("pk", filter=running & Q(due_date__gte=today, due_date__lte=soon)),
            overdue=Count("pk", filter=running & Q(due_date__lt=today)),
            awaiting=Count("pk", filter=Q(status=Status.MORE_INFORMATION)),
        )
        .order_by()
    )
    days = {
        row["receiving_organisation_id"]: OrganisationDay(
            row["unassigned"], row["due_soon"], row["overdue"], row["awaiting"]
        )
        for row in figures
    }
    spocs = _spocs_by_organisation({pk for pk, day in days.items() if day.anything})
    link = settings.PORTAL_BASE_URL.rstrip("/") + reverse("requests_app:inbox")
    sent = 0
    for organisation_id, day in days.items():
        if not day.anything:
            continue
        body = (
            f"Your organisation's information requests on {date_format(today, 'j F Y')}:\n\n"
            f"- {day.unassigned} not yet taken\n"
            f"- {day.due_soon} due within {settings.ISP_DUE_SOON_WORKING_DAYS} working days\n"
            f"- {day.overdue} overdue\n"
            f"- {day.awaiting_information} waiting for more information from the requester\n\n"
            f"Sign in to the ISP Portal to see them: {link}\n\n"
            "This message contains no personal information."
        )
        sent += bool(
            email_queue(
                subject=f"ISP Portal daily summary: {day.overdue} overdue, "
                f"{day.unassigned} not yet taken",
                body=body,
                recipients=spocs.get(organisation_id, []),
                organisation_id=organisation_id,
            )
        )
    return sent
