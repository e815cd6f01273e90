"""The filters of the SPOC's audit page: input shape only (the rules live in selectors)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.db.models import QuerySet
from django.http import QueryDict

from governance.audit.models import AuditAction
from governance.oversight.selectors import AuditFilters, Highlight
from governance.people.models import User
from ui.templatetags.govuk import govuk_date
from ui.widgets import DATE_PARTS, GovUKDateField

REFERENCE_MAX_LENGTH = 40


@dataclass(frozen=True)
class FilterTag:
    text: str
    href: str


@dataclass(frozen=True)
class FilterCategory:
    heading: str
    tags: list[FilterTag]


class AuditFilterForm(forms.Form):
    highlight = forms.ChoiceField(
        label="Show",
        choices=[("", "All events"), *Highlight.choices],
        required=False,
        error_messages={"invalid_choice": "Select what to show from the list"},
    )
    date_from = GovUKDateField(
        label="From",
        label_for_errors="the from date",
        help_text="For example, 1 4 2026",
        required=False,
    )
    date_to = GovUKDateField(
        label="To",
        label_for_errors="the to date",
        help_text="For example, 30 4 2026",
        required=False,
    )
    person = forms.ModelChoiceField(
        label="Person",
        queryset=User.objects.none(),
        to_field_name="email",
        empty_label="Anyone",
        required=False,
        error_messages={"invalid_choice": "Select a person from the list"},
    )
    action = forms.ChoiceField(
        label="Action",
        choices=[("", "Any action"), *AuditAction.choices],
        required=False,
        error_messages={"invalid_choice": "Select an action from the list"},
    )
    reference = forms.CharField(
        label="Request reference",
        help_text="For example, ISP-2026-000123",
        max_length=REFERENCE_MAX_LENGTH,
        required=False,
        widget=forms.TextInput(attrs={"spellcheck": "false"}),
        error_messages={
            "max_length": f"Request reference must be {REFERENCE_MAX_LENGTH} characters or fewer"
        },
    )

    def __init__(self, *args: Any, people: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people

    def clean_date_to(self) -> Any:
        value = self.cleaned_data.get("date_to")
        # The filter runs to the end of the day: the day after must exist.
        if value and value >= datetime.date.max:
            raise forms.ValidationError("To date must be a real date")
        return value

    def clean_reference(self) -> str:
        return "".join(self.cleaned_data.get("reference", "").split()).upper()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        date_from, date_to = data.get("date_from"), data.get("date_to")
        if date_from and date_to and date_to < date_from:
            self.add_error("date_to", "To date must be the same as or after the from date")
        return data

    def filters(self) -> AuditFilters:
        """The filters to apply: none for an unbound form; only call after is_valid()."""
        if not self.is_bound:
            return AuditFilters()
        data = self.cleaned_data
        return AuditFilters(
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            person=data.get("person"),
            action=data.get("action", ""),
            reference=data.get("reference", ""),
            highlight=data.get("highlight", ""),
        )

    def describe(self) -> str:
        """The filters in words for the export's audit event: no subject data, people by id."""
        filters = self.filters()
        parts = [
            f"{name} {value}"
            for name, value in (
                ("show", filters.highlight),
                ("from", filters.date_from),
                ("to", filters.date_to),
                ("person", f"user {filters.person.pk}" if filters.person else ""),
                ("action", filters.action),
                ("reference", filters.reference),
            )
            if value
        ]
        return ", ".join(parts) or "no filters"

    def selected_filters(self, query: QueryDict) -> list[FilterCategory]:
        """The MOJ filter tags: one per filter applied, each linking to the page without it."""
        if not self.is_bound or not self.is_valid():
            return []
        filters = self.filters()
        labels: list[tuple[str, str, str]] = []
        if filters.highlight:
            labels.append(("highlight", "Show", Highlight(filters.highlight).label))
        if filters.date_from:
            labels.append(("date_from", "From", govuk_date(filters.date_from)))
        if filters.date_to:
            labels.append(("date_to", "To", govuk_date(filters.date_to)))
        if filters.person is not None:
            labels.append(("person", "Person", filters.person.full_name))
        if filters.action:
            labels.append(("action", "Action", AuditAction(filters.action).label))
        if filters.reference:
            labels.append(("reference", "Request reference", filters.reference))
        return [
            FilterCategory(heading, [FilterTag(text, "?" + query_without(query, name))])
            for name, heading, text in labels
        ]


def query_without(query: QueryDict, *names: str) -> str:
    """The query string without the named filters (a date filter's three boxes together) and
    without the page number, which no longer applies once the filters change."""
    drop = {"page", "format"}
    for name in names:
        drop.add(name)
        drop.update(f"{name}_{part}" for part in DATE_PARTS)
    return urlencode(
        [(key, value) for key, values in query.lists() if key not in drop for value in values]
    )


def preset_query(highlight: Highlight, since: datetime.date | None) -> str:
    """The query string of a highlight's preset: the highlight, from `since` when given."""
    params: list[tuple[str, str | int]] = [("highlight", highlight.value)]
    if since is not None:
        params += [
            ("date_from_day", since.day),
            ("date_from_month", since.month),
            ("date_from_year", since.year),
        ]
    return urlencode(params)
