"""The SPOC's audit page and its CSV export (protocol 7.3, 7.4; DPA 2018 s.62)."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from governance.audit import trail as audit
from governance.audit.models import AuditAction, AuditEvent
from governance.oversight import selectors
from governance.oversight.forms import AuditFilterForm, preset_query, query_without
from governance.oversight.selectors import Highlight
from governance.people import roles
from governance.people.access import AccessRefused
from governance.people.models import User

CSV_HEADER = (
    "Date and time",
    "Who",
    "Organisation",
    "Action",
    "Reference",
    "Requesting organisation",
    "Receiving organisation",
    "Detail",
)
# A spreadsheet runs a cell that starts with one of these as a formula.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _page_number(request: HttpRequest) -> int:
    raw = request.GET.get("page", "1")
    # Bounded before int(), which refuses more than 4,300 digits; MAX_PAGE caps it anyway.
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 9 else 1


@require_GET
@never_cache
@login_required
def audit_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not roles.is_spoc(user):
        raise AccessRefused(detail="audit")
    form = AuditFilterForm(request.GET or None, people=selectors.audit_people_for_spoc(user=user))
    valid = not form.is_bound or form.is_valid()
    if valid and request.GET.get("format") == "csv":
        return _csv_export(user, form)
    highlights = selectors.audit_highlights_for_spoc(user=user)
    page = (
        selectors.audit_event_page_for_spoc(
            user=user, filters=form.filters(), number=_page_number(request)
        )
        if valid
        else None
    )
    filters = form.filters() if valid else None
    return render(
        request,
        "governance/audit_list.html",
        {
            "form": form,
            "page": page,
            "rows": _rows(user, page.events) if page else [],
            # A column that a filter holds to one value is left out.
            "show_who": not (filters and filters.person is not None),
            "show_reference": not (filters and filters.reference),
            "highlights": highlights,
            "presets": _presets(highlights),
            "selected_filters": form.selected_filters(request.GET),
            "query": query_without(request.GET),
        },
    )


# Reads whose event names no page of its own: the request page itself.
_READS = frozenset({AuditAction.REQUEST_VIEWED, AuditAction.PERSONAL_DETAILS_VIEWED})


@dataclass(frozen=True)
class AuditRow:
    event: AuditEvent
    # What was viewed, printed, searched or refused, in the event's own non-personal words.
    what: str
    # The actor's organisation, only where it is not the reader's own.
    other_organisation: str
    href: str


def _what(event: AuditEvent) -> str:
    if event.detail:
        return event.detail[:1].upper() + event.detail[1:]
    if event.action in _READS and event.object_type == "informationrequest":
        return "Request page"
    return ""


def _href(user: User, event: AuditEvent, openable: set[str]) -> str:
    reference = event.object_reference
    if not reference:
        return ""
    if event.object_type in ("informationrequest", "consentrecord") and reference in openable:
        return reverse("requests_app:detail", args=[reference])
    # governance.breaches.permissions.can_view: a SPOC sees the breaches of their own
    # organisation, which the event carries as its requesting organisation.
    if event.object_type == "breach" and event.requesting_organisation_id == user.organisation_id:
        return reverse("breaches:detail", args=[reference])
    return ""


def _rows(user: User, events: list[AuditEvent]) -> list[AuditRow]:
    openable = selectors.audit_openable_references(user=user, events=events)
    return [
        AuditRow(
            event=event,
            what=_what(event),
            other_organisation=event.actor_organisation.name
            if event.actor_organisation and event.actor_organisation_id != user.organisation_id
            else "",
            href=_href(user, event, openable),
        )
        for event in events
    ]


def _presets(highlights: selectors.AuditHighlights) -> list[tuple[Highlight, int, str]]:
    return [
        (Highlight.REFUSED, highlights.refused, preset_query(Highlight.REFUSED, highlights.since)),
        (Highlight.OVERDUE, highlights.overdue, preset_query(Highlight.OVERDUE, None)),
        (
            Highlight.WITHOUT_CONSENT,
            highlights.without_consent,
            preset_query(Highlight.WITHOUT_CONSENT, highlights.since),
        ),
        (
            Highlight.OUT_OF_HOURS,
            highlights.out_of_hours,
            preset_query(Highlight.OUT_OF_HOURS, highlights.since),
        ),
    ]


def _csv_export(user: User, form: AuditFilterForm) -> StreamingHttpResponse:
    # The export is itself audited, before any row leaves (DPA 2018 s.62: disclosure is logged).
    audit.record(
        action=AuditAction.EXPORT_MADE,
        actor=user,
        detail=f"audit trail CSV: {form.describe()}"[:300],
    )
    events = selectors.audit_event_iter_for_spoc(user=user, filters=form.filters())
    response = StreamingHttpResponse(_csv_lines(events), content_type="text/csv; charset=utf-8")
    filename = f"audit-{user.organisation.short_code}-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_cell(value: object) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(_FORMULA_STARTS) else text


def _csv_lines(events: Iterable[AuditEvent]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(CSV_HEADER)
    for event in events:
        yield writer.writerow(
            [
                _csv_cell(value)
                for value in (
                    timezone.localtime(event.occurred_at).isoformat(timespec="seconds"),
                    event.actor_name,
                    event.actor_organisation.name if event.actor_organisation else "",
                    event.get_action_display(),
                    event.object_reference,
                    event.requesting_organisation.name if event.requesting_organisation else "",
                    event.receiving_organisation.name if event.receiving_organisation else "",
                    event.detail,
                )
            ]
        )
