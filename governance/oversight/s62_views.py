"""The export of an organisation's DPA 2018 s.62 log for the Information Commissioner's Office."""

from __future__ import annotations

import csv
import datetime
from collections.abc import Iterable, Iterator

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from governance.audit import trail as audit
from governance.audit.models import AuditAction
from governance.oversight import s62
from governance.oversight.s62_forms import S62ExportForm
from governance.people import roles
from governance.people.access import AccessRefused
from governance.people.models import Organisation, User

CSV_HEADER = (
    "Time (UTC)",
    "Person",
    "Person's organisation",
    "Action",
    "Portal event",
    "Record type",
    "Record reference",
    "Justification",
    "Recipient organisation",
    "Recipient person",
)
# A spreadsheet runs a cell that starts with one of these as a formula.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@require_GET
@never_cache
@login_required
def s62_export(request: HttpRequest) -> HttpResponse:
    user = request.user
    admin = roles.is_portal_admin(user)
    if not (admin or roles.is_spoc(user)):
        raise AccessRefused(detail="data protection log")
    # A SPOC's export is of their own organisation: naming another is a refusal, not a choice.
    named = request.GET.get("organisation")
    if not admin and named is not None and named != user.organisation.short_code:
        raise AccessRefused(detail="data protection log of another organisation")
    form = S62ExportForm(
        request.GET or None,
        organisations=Organisation.objects.order_by("name") if admin else None,
    )
    if form.is_bound and form.is_valid():
        organisation = form.cleaned_data.get("organisation") or user.organisation
        if not s62.can_export(user, organisation):
            raise AccessRefused(detail="data protection log of another organisation")
        return _csv_response(
            user, organisation, form.cleaned_data["date_from"], form.cleaned_data["date_to"]
        )
    return render(
        request,
        "oversight/s62_export.html",
        {
            "form": form,
            "organisation": None if admin else user.organisation,
            "back_to_audit": roles.is_spoc(user),
            "max_days": s62.MAX_DAYS,
        },
        status=400 if form.is_bound else 200,
    )


def _csv_response(
    user: User, organisation: Organisation, start: datetime.date, end: datetime.date
) -> StreamingHttpResponse:
    # The export is itself audited, before any row leaves; the organisation is on the event so
    # its SPOC sees an administrator's export of its log.
    audit.record(
        action=AuditAction.S62_LOG_EXPORTED,
        actor=user,
        receiving_organisation=organisation,
        detail=f"DPA 2018 s.62 log of {organisation.short_code}: "
        f"{start:%Y-%m-%d} to {end:%Y-%m-%d}",
    )
    rows = s62.s62_log_iter(organisation=organisation, start=start, end=end)
    response = StreamingHttpResponse(_csv_lines(rows), content_type="text/csv; charset=utf-8")
    filename = f"s62-log-{organisation.short_code}-{start:%Y-%m-%d}-to-{end:%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class _Echo:
    def write(self, value: str) -> str:
        return value


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(_FORMULA_STARTS) else text


def utc_iso(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _csv_lines(rows: Iterable[s62.LogRow]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(CSV_HEADER)
    for row in rows:
        yield writer.writerow(
            [
                _cell(value)
                for value in (
                    utc_iso(row.occurred_at),
                    row.person,
                    row.person_organisation,
                    row.category.label,
                    row.event,
                    row.record_type,
                    row.record_reference,
                    row.justification,
                    row.recipient_organisation,
                    row.recipient_person,
                )
            ]
        )
