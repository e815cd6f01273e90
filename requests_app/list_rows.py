"""A list's rows as plain, ready-formatted values: the inbox and "My requests" show 25 requests
a page, and the template engine's per-row includes and lookups were most of their cost. What a
row says (deadline, tags, dates) is decided here once; the templates only place it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone

from requests_app.models import InformationRequest
from ui.templatetags.govuk import govuk_date

CLOCK_STOPPED = "Clock stopped"


@dataclass(frozen=True, slots=True)
class RequestRow:
    reference: str
    url: str
    is_urgent: bool
    partner: str  # the other organisation: who it is from (inbox) or to (my requests)
    required_by: str
    required_by_sort: str
    due: str
    due_sort: str
    days_left: str
    tag: str
    tag_class: str
    assigned: str
    status: str
    status_class: str
    awaiting_reply: bool
    updated: str
    updated_sort: str


def _iso(value: object) -> str:
    return value.isoformat() if value is not None else ""


def request_rows(requests: Iterable[InformationRequest], *, inbox: bool) -> list[RequestRow]:
    """One row per request, in the order given. The inbox names the requesting organisation
    and the assigned officer (select_related by the selector); "My requests" the receiving one."""
    today = timezone.localdate()
    rows = []
    for req in requests:
        deadline = req.deadline(today)
        due = deadline.due or req.due_date
        partner = req.requesting_organisation if inbox else req.receiving_organisation
        assigned = req.assigned_officer if inbox else None
        rows.append(
            RequestRow(
                reference=req.reference,
                url=reverse("requests_app:detail", args=[req.reference]),
                is_urgent=req.is_urgent,
                partner=partner.name if partner else "",
                required_by=govuk_date(req.required_by),
                required_by_sort=_iso(req.required_by),
                due=govuk_date(due),
                due_sort=_iso(req.due_date),
                days_left="" if deadline.tag == CLOCK_STOPPED else deadline.days_left_text,
                tag=deadline.tag,
                tag_class=deadline.tag_class,
                assigned=assigned.full_name if assigned else "Not assigned",
                status=req.get_status_display(),
                status_class=req.status_tag_class,
                awaiting_reply=req.awaiting_more_information,
                updated=govuk_date(req.updated_at),
                updated_sort=_iso(req.updated_at),
            )
        )
    return rows
