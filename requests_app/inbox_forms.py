"""The filters of the inbox: input shape only (the list is selectors.request_list_for_inbox)."""

from __future__ import annotations

import re
from typing import Any

from django import forms

from requests_app.models import Status
from requests_app.selectors import InboxFilters

REFERENCE_MAX_LENGTH = 30
# What a reference, or part of one, is made of (ISP-2026-000123): anything else matches nothing.
_REFERENCE_TEXT = re.compile(r"[A-Za-z0-9 -]*")
ASSIGNED_TO_ME = "me"


class _IsoDateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class _AssignedToMeInput(forms.CheckboxInput):
    """Ticked, it sends ``assigned=me``: the address links to the inbox already use."""

    def format_value(self, value: Any) -> str:
        return ASSIGNED_TO_ME

    def value_from_datadict(self, data: Any, files: Any, name: str) -> bool:
        return data.get(name) == ASSIGNED_TO_ME


class InboxFilterForm(forms.Form):
    reference = forms.CharField(
        label="Reference",
        max_length=REFERENCE_MAX_LENGTH,
        required=False,
        widget=forms.TextInput(attrs={"spellcheck": "false"}),
        error_messages={
            "max_length": f"Reference must be {REFERENCE_MAX_LENGTH} characters or fewer",
            "null_characters_not_allowed": "Reference must only include letters, numbers "
            "and hyphens",
        },
    )
    status = forms.ChoiceField(
        label="Status",
        choices=[("", "Any status"), *((v, lbl) for v, lbl in Status.choices if v != Status.DRAFT)],
        required=False,
        error_messages={"invalid_choice": "Select a status from the list"},
    )
    due_before = forms.DateField(
        label="Required by, on or before",
        help_text="For example, 2027-01-31",
        input_formats=["%Y-%m-%d"],
        required=False,
        widget=_IsoDateInput(),
        error_messages={"invalid": "Enter the due date as a real date, for example 2027-01-31"},
    )
    assigned = forms.BooleanField(
        label="Assigned to me",
        required=False,
        widget=_AssignedToMeInput(attrs={"class": "govuk-checkboxes--small"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Plain ids ("reference", "status"): the error summary and links point at them.
        kwargs.setdefault("auto_id", "%s")
        super().__init__(*args, **kwargs)

    def clean_reference(self) -> str:
        value = self.cleaned_data.get("reference", "")
        if not _REFERENCE_TEXT.fullmatch(value):
            raise forms.ValidationError("Reference must only include letters, numbers and hyphens")
        return value

    def filters(self) -> InboxFilters:
        """The filters that are valid: one in error is left out, and the page shows its error."""
        if not self.is_bound:
            return InboxFilters()
        self.is_valid()
        data = self.cleaned_data
        return InboxFilters(
            status=data.get("status", ""),
            due_before=data.get("due_before"),
            reference=data.get("reference", ""),
            assigned_to_me=bool(data.get("assigned")),
        )
