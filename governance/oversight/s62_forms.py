"""The s.62 log export's choices: input shape only (the rules live in governance.oversight.s62)."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.db.models import QuerySet

from governance.oversight.s62 import MAX_DAYS
from governance.people.models import Organisation
from ui.widgets import GovUKDateField

RANGE_TOO_LONG_MESSAGE = (
    f"To date must be within {MAX_DAYS} days of the from date, counting both: export a longer "
    "period as more than one file"
)
TO_BEFORE_FROM_MESSAGE = "To date must be the same as or after the from date"


class S62ExportForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label="Organisation",
        queryset=Organisation.objects.none(),
        to_field_name="short_code",
        empty_label="Select an organisation",
        error_messages={
            "required": "Select the organisation whose log to export",
            "invalid_choice": "Select an organisation from the list",
        },
    )
    date_from = GovUKDateField(
        label="From",
        label_for_errors="the from date",
        help_text="For example, 1 4 2026",
    )
    date_to = GovUKDateField(
        label="To",
        label_for_errors="the to date",
        help_text="For example, 31 3 2027",
    )

    def __init__(
        self, *args: Any, organisations: QuerySet[Organisation] | None, **kwargs: Any
    ) -> None:
        """`organisations` lists those the person may choose from; None: their own only, and
        the field is left out."""
        super().__init__(*args, **kwargs)
        if organisations is None:
            del self.fields["organisation"]
        else:
            self.fields["organisation"].queryset = organisations

    def clean_date_to(self) -> Any:
        value = self.cleaned_data.get("date_to")
        # The range runs to the end of the day: the day after must exist.
        if value and value >= datetime.date.max:
            raise forms.ValidationError("To date must be a real date")
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        date_from, date_to = data.get("date_from"), data.get("date_to")
        if date_from and date_to:
            if date_to < date_from:
                self.add_error("date_to", TO_BEFORE_FROM_MESSAGE)
            elif (date_to - date_from).days + 1 > MAX_DAYS:
                self.add_error("date_to", RANGE_TOO_LONG_MESSAGE)
        return data
