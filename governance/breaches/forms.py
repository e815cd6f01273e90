"""Input shape of a breach report and of the SPOC's update. The UK GDPR Art 33 rules themselves are
called from governance.breaches."""

from __future__ import annotations

import datetime
import re
from typing import Any

from django import forms
from django.utils import timezone

from governance.breaches import permissions, rules, services
from governance.breaches.models import Breach, BreachRisk, BreachStatus, IcoDecision
from requests_app.models import InformationRequest
from ui.problems import add_to_form
from ui.templatetags.govuk import govuk_datetime, govuk_time
from ui.widgets import GovUKDateField

TIME_HINT = "For example, 9:30am or 14:15"
REQUEST_REFERENCE = re.compile(r"^ISP-\d{4}-\d{6}$")
_TIME_12 = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?(am|pm|a\.m\.|p\.m\.)$")
_TIME_24 = re.compile(r"^(\d{1,2})[:.](\d{2})$|^(\d{2})(\d{2})$")

RISK_CHOICES = [
    (BreachRisk.LOW.value, "Low – unlikely to result in a risk to people's rights and freedoms"),
    (
        BreachRisk.MEDIUM.value,
        "Medium – likely to result in a risk to people's rights and freedoms",
    ),
    (
        BreachRisk.HIGH.value,
        "High – likely to result in a high risk to people's rights and freedoms",
    ),
]
RISK_HINT = (
    "A medium or high risk breach must be reported to the ICO within 72 hours of becoming aware "
    "of it. If the risk is high, the people affected must also be told without undue delay."
)


def parse_time(text: str) -> datetime.time | None:
    """A time of day as people type it: 9:30am, 9.30 pm, 9am, 14:15, 1415, midday, midnight."""
    value = text.strip().lower().replace(" ", "")
    if value in {"midday", "noon", "12noon"}:
        return datetime.time(12, 0)
    if value == "midnight":
        return datetime.time(0, 0)
    if match := _TIME_12.match(value):
        hour, minute = int(match[1]), int(match[2] or 0)
        if not 1 <= hour <= 12 or minute > 59:
            return None
        return datetime.time(hour % 12 + (12 if match[3].startswith("p") else 0), minute)
    if match := _TIME_24.match(value):
        hour, minute = (int(part) for part in (match[1] or match[3], match[2] or match[4]))
        if hour > 23 or minute > 59:
            return None
        return datetime.time(hour, minute)
    return None


class GovUKTimeField(forms.CharField):
    """A time typed into one text box, cleaned to a ``datetime.time``."""

    def __init__(self, *, label_for_errors: str, **kwargs: Any) -> None:
        self.label_for_errors = label_for_errors
        kwargs.setdefault("help_text", TIME_HINT)
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault(
            "widget",
            forms.TextInput(attrs={"class": "govuk-input--width-5", "autocomplete": "off"}),
        )
        super().__init__(**kwargs)
        self.error_messages["required"] = f"Enter {label_for_errors}"

    def clean(self, value: Any) -> datetime.time | None:  # type: ignore[override]
        text = super().clean(value)
        if not text:
            return None
        parsed = parse_time(text)
        if parsed is None:
            subject = self.label_for_errors.removeprefix("the ")
            raise forms.ValidationError(
                f"{subject[:1].upper()}{subject[1:]} must be a real time, like 9:30am or 14:15"
            )
        return parsed


def _at(day: datetime.date, time: datetime.time) -> datetime.datetime:
    """The moment a person in the portal's time zone means by a date and a time."""
    return timezone.make_aware(datetime.datetime.combine(day, time))


def _textarea(label: str, required_message: str, max_length: int, **kwargs: Any) -> Any:
    return forms.CharField(
        label=label,
        widget=forms.Textarea(attrs={"rows": kwargs.pop("rows", 4)}),
        max_length=max_length,
        error_messages={"required": required_message},
        **kwargs,
    )


class BreachReportForm(forms.Form):
    """The report of a breach of the protocol: the facts of UK GDPR Art 33(3) and 33(5)."""

    occurred_on = GovUKDateField(
        label="When did the breach happen?",
        label_for_errors="the date the breach happened",
        help_text="Give your best estimate if you do not know exactly. For example, 27 3 2026",
        not_in_future=True,
    )
    became_aware_on = GovUKDateField(
        label="When did you become aware of it?",
        label_for_errors="the date you became aware of the breach",
        help_text="The 72 hours for telling the ICO run from this moment. For example, 27 3 2026",
        not_in_future=True,
    )
    became_aware_time = GovUKTimeField(
        label="Time you became aware of it",
        label_for_errors="the time you became aware of the breach",
    )
    request_reference = forms.CharField(
        label="Request reference (optional)",
        help_text="If the breach concerns a request made through the portal, for example "
        "ISP-2026-000123",
        max_length=20,
        required=False,
        widget=forms.TextInput(
            attrs={"class": "govuk-input--width-20", "autocomplete": "off", "spellcheck": "false"}
        ),
    )
    what_happened = _textarea(
        "What happened?",
        "Describe what happened",
        3000,
        rows=6,
        help_text="The facts: what information was involved, how it was exposed and to whom (by "
        "role or organisation). Do not include the names of the people the information is about.",
    )
    data_categories = _textarea(
        "What kinds of personal data were involved?",
        "Enter the kinds of personal data involved",
        1000,
        rows=3,
        help_text="For example, names and addresses, offending history, health information.",
    )
    people_affected = forms.IntegerField(
        label="Approximately how many people are affected?",
        help_text="Give your best estimate.",
        min_value=1,
        max_value=10_000_000,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5", "inputmode": "numeric"}),
        error_messages={
            "required": "Enter approximately how many people are affected",
            "invalid": "Number of people affected must be a whole number, like 3",
            "min_value": "Number of people affected must be 1 or more",
            "max_value": "Number of people affected must be 10,000,000 or fewer",
        },
    )
    effects = _textarea(
        "What are the likely consequences for the people affected?",
        "Enter the likely consequences for the people affected",
        2000,
        help_text="For example, distress, a risk of harm, loss of confidentiality.",
    )
    remedial_action = _textarea(
        "What has been done to contain the breach and reduce its effects?",
        "Enter what has been done to contain the breach",
        2000,
        help_text="For example, the recipient was asked to delete the email and confirmed they "
        "had. Write 'Nothing yet' if nothing has been done.",
    )
    risk = forms.ChoiceField(
        label="How likely is the breach to result in a risk to the people affected?",
        help_text=RISK_HINT,
        choices=RISK_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how likely the breach is to result in a risk"},
    )

    def __init__(self, *args: Any, reporter: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.reporter = reporter

    def clean_request_reference(self) -> InformationRequest | None:
        value = self.cleaned_data["request_reference"].strip().upper()
        if not value:
            return None
        req = (
            InformationRequest.objects.filter(reference=value).first()
            if REQUEST_REFERENCE.match(value)
            else None
        )
        if req is None or not permissions.request_may_be_linked(self.reporter, req):
            raise forms.ValidationError(permissions.REQUEST_REFERENCE_MESSAGE)
        return req

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        day, time = data.get("became_aware_on"), data.get("became_aware_time")
        if day and time:
            data["became_aware_at"] = _at(day, time)
        add_to_form(
            self,
            rules.unmet_for_report(
                occurred_on=data.get("occurred_on"), became_aware_at=data.get("became_aware_at")
            ),
        )
        return data

    def to_model_data(self) -> dict[str, Any]:
        data = {"request": self.cleaned_data["request_reference"]}
        return data | {
            name: self.cleaned_data[name] for name in services.REPORT_FIELDS if name != "request"
        }


class BreachUpdateForm(forms.Form):
    """The SPOC's record of the ICO decision, the action taken and the breach's closure."""

    # Each question shows only when it applies (GOV.UK conditional reveal; every field is in the
    # HTML, so the page works without JavaScript, and rules.unmet_for_update still judges).
    conditional_reveals = {
        "ico_decision": {
            IcoDecision.REPORTED.value: ("ico_reported_on", "ico_reported_time", "delay_reason"),
            IcoDecision.NOT_REPORTED.value: "not_reported_reason",
        },
        "status": {BreachStatus.CLOSED.value: "lessons_learned"},
    }

    risk = BreachReportForm.base_fields["risk"]
    effects = _textarea(
        "Likely consequences for the people affected",
        "Enter the likely consequences for the people affected",
        2000,
    )
    remedial_action = _textarea(
        "Action taken to contain the breach and reduce its effects",
        "Enter the action taken to contain the breach",
        2000,
    )
    ico_decision = forms.ChoiceField(
        label="Has the breach been reported to the ICO?",
        choices=[
            (IcoDecision.REPORTED.value, "Yes, it has been reported"),
            (IcoDecision.NOT_REPORTED.value, "No, it will not be reported"),
            (IcoDecision.PENDING.value, "Not decided yet"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the breach has been reported to the ICO"},
    )
    not_reported_reason = _textarea(
        "Reason for not reporting it",
        "Enter the reason the breach was not reported to the ICO",
        2000,
        required=False,
        help_text="Why the breach is unlikely to result in a risk to people's rights and freedoms.",
    )
    ico_reported_on = GovUKDateField(
        label="Date reported to the ICO",
        label_for_errors="the date the breach was reported to the ICO",
        help_text="For example, 27 3 2026",
        not_in_future=True,
        required=False,
    )
    ico_reported_time = GovUKTimeField(
        label="Time reported to the ICO",
        label_for_errors="the time the breach was reported to the ICO",
        required=False,
    )
    delay_reason = _textarea(
        "Reason for any delay",
        "Enter the reason for the delay",
        2000,
        required=False,
    )
    status = forms.ChoiceField(
        label="Status",
        choices=[
            (BreachStatus.OPEN.value, "Open – still being dealt with"),
            (BreachStatus.CLOSED.value, "Closed – dealt with"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the breach is open or closed"},
    )
    lessons_learned = _textarea(
        "Lessons learned",
        "Enter the lessons learned",
        2000,
        required=False,
        help_text="What will change so that it does not happen again. Needed before closing.",
    )

    def __init__(self, *args: Any, breach: Breach, **kwargs: Any) -> None:
        kwargs.setdefault("initial", self.initial_for(breach))
        super().__init__(*args, **kwargs)
        self.breach = breach
        self.fields["delay_reason"].help_text = (
            "Needed if it was reported more than 72 hours after becoming aware of the breach, "
            f"that is after {govuk_datetime(breach.ico_deadline)}."
        )

    @staticmethod
    def initial_for(breach: Breach) -> dict[str, Any]:
        initial: dict[str, Any] = {
            name: getattr(breach, name)
            for name in services.UPDATE_FIELDS
            if name != "ico_reported_at"
        }
        if breach.ico_reported_at:
            initial["ico_reported_on"] = timezone.localdate(breach.ico_reported_at)
            initial["ico_reported_time"] = govuk_time(breach.ico_reported_at)
        return initial

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        decision = data.get("ico_decision")
        data["ico_reported_at"] = None
        if decision == IcoDecision.REPORTED:
            day, time = data.get("ico_reported_on"), data.get("ico_reported_time")
            if day is None and "ico_reported_on" not in self.errors:
                self.add_error(
                    "ico_reported_on", "Enter the date the breach was reported to the ICO"
                )
            if time is None and "ico_reported_time" not in self.errors:
                self.add_error(
                    "ico_reported_time", "Enter the time the breach was reported to the ICO"
                )
            if day and time:
                data["ico_reported_at"] = _at(day, time)
        if all(data.get(name) for name in ("ico_decision", "risk", "status")):
            problems = rules.unmet_for_update(breach=self.breach, data=self.to_model_data())
            if "ico_reported_time" in self.errors:
                # The time is what is missing or wrong, and its own error says so.
                problems = [p for p in problems if p.message != rules.REPORTED_AT_MISSING]
            add_to_form(self, problems)
        return data

    def to_model_data(self) -> dict[str, Any]:
        return {
            name: self.cleaned_data[name]
            for name in services.UPDATE_FIELDS
            if name in self.cleaned_data
        }
