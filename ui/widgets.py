"""The GOV.UK date input: a widget of three text boxes and a field with GOV.UK error messages.

Error messages follow the GOV.UK Design System's date input pattern: "Enter the date the
information is required by", "Date the information is required by must include a month",
"Date the information is required by must be a real date", "Year must include 4 numbers".
Each error names the parts at fault (see ``DATE_PARTS_PARAM``) so that the template pack
highlights only those boxes and the error summary links to the first of them.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.dateparse import parse_date

DATE_PARTS: tuple[str, ...] = ("day", "month", "year")
# ValidationError params key listing the parts ("day", "month", "year") an error is about.
DATE_PARTS_PARAM = "govuk_date_parts"

_MONTH_NAMES = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_ARTICLES = re.compile(r"^(the|your|a|an)\s+", re.IGNORECASE)


class GovUKDateInput(forms.MultiWidget):
    """Day, month and year text boxes named ``<name>_day``, ``<name>_month``, ``<name>_year``.

    The template pack renders the GOV.UK markup itself; ``render()`` is only a fallback.
    """

    widths: dict[str, int] = {"day": 2, "month": 2, "year": 4}

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        widgets = {
            part: forms.TextInput(
                attrs={
                    "inputmode": "numeric",
                    "class": "govuk-input govuk-date-input__input "
                    f"govuk-input--width-{self.widths[part]}",
                }
            )
            for part in DATE_PARTS
        }
        super().__init__(widgets, attrs)

    def decompress(self, value: Any) -> list[str | None]:
        if isinstance(value, str):
            value = parse_date(value)
        if isinstance(value, datetime.datetime):
            value = value.date()
        if isinstance(value, datetime.date):
            return [str(value.day), str(value.month), str(value.year)]
        return [None, None, None]

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        widget_id = context["widget"]["attrs"].get("id")
        if widget_id:
            for part, subwidget in zip(DATE_PARTS, context["widget"]["subwidgets"], strict=True):
                subwidget["attrs"]["id"] = f"{widget_id}_{part}"
        return context

    def id_for_label(self, id_: str) -> str:
        return f"{id_}_day" if id_ else ""


def date_part_id(field_id: str, part: str) -> str:
    """The HTML id of one box of a date input whose field id is ``field_id``."""
    return f"{field_id}_{part}"


def _sentence_start(text: str) -> str:
    return text[:1].upper() + text[1:]


class GovUKDateField(forms.MultiValueField):
    """A date typed into a GOV.UK date input, cleaned to a ``datetime.date``.

    ``label_for_errors`` is the noun phrase used in error messages, such as
    ``"the date the information is required by"``: it gives "Enter the date the information is
    required by" and "Date the information is required by must include a month". It defaults to
    the label with a lower-case first letter.

    ``not_in_past`` / ``not_in_future`` add the GOV.UK "must be today or in the future" /
    "must be today or in the past" checks against today's date in the portal's time zone.
    """

    widget = GovUKDateInput

    def __init__(
        self,
        *,
        label_for_errors: str | None = None,
        not_in_past: bool = False,
        not_in_future: bool = False,
        **kwargs: Any,
    ) -> None:
        self.label_for_errors = label_for_errors
        self.not_in_past = not_in_past
        self.not_in_future = not_in_future
        parts = tuple(forms.CharField(required=False) for _ in DATE_PARTS)
        super().__init__(fields=parts, require_all_fields=False, **kwargs)

    def _noun(self) -> str:
        if self.label_for_errors:
            return self.label_for_errors
        if self.label:
            label = str(self.label)
            return label[:1].lower() + label[1:]
        return "a date"

    def _subject(self) -> str:
        return _sentence_start(_ARTICLES.sub("", self._noun()))

    @staticmethod
    def _error(message: str, code: str, parts: Sequence[str]) -> ValidationError:
        # Django interpolates params into the message, so a literal "%" must be doubled.
        return ValidationError(
            message.replace("%", "%%"), code=code, params={DATE_PARTS_PARAM: tuple(parts)}
        )

    def clean(self, value: Any) -> datetime.date | None:
        if isinstance(value, datetime.date):
            return value
        raw = list(value) if isinstance(value, (list, tuple)) else []
        raw += [None] * (len(DATE_PARTS) - len(raw))
        entered = dict(zip(DATE_PARTS, (str(v or "").strip() for v in raw), strict=False))

        if not any(entered.values()):
            if self.required:
                raise self._error(f"Enter {self._noun()}", "required", DATE_PARTS)
            return None

        missing = [part for part in DATE_PARTS if not entered[part]]
        if missing:
            raise self._error(
                f"{self._subject()} must include a {' and '.join(missing)}", "incomplete", missing
            )

        # Checked on the text, before any int(): a year of thousands of digits is refused here.
        if _is_number(entered["year"]) and len(entered["year"]) != 4:
            raise self._error("Year must include 4 numbers", "invalid_year", ["year"])
        day = _to_int(entered["day"])
        month = _month_number(entered["month"])
        year = _to_int(entered["year"])

        wrong = [
            part
            for part, number, highest in (
                ("day", day, 31),
                ("month", month, 12),
                ("year", year, 9999),
            )
            if number is None or not 1 <= number <= highest
        ]
        if not wrong:
            try:
                date = datetime.date(year, month, day)  # type: ignore[arg-type]
            except ValueError:
                wrong = ["day"]
        if wrong:
            raise self._error(f"{self._subject()} must be a real date", "invalid", wrong)

        today = timezone.localdate()
        if self.not_in_past and date < today:
            raise self._error(
                f"{self._subject()} must be today or in the future", "in_past", DATE_PARTS
            )
        if self.not_in_future and date > today:
            raise self._error(
                f"{self._subject()} must be today or in the past", "in_future", DATE_PARTS
            )
        self.run_validators(date)
        return date

    def compress(self, data_list: list[Any]) -> datetime.date | None:
        return self.clean(data_list)


# More digits than any day, month or year can need (leading zeros included): int() of a long
# string is slow and refuses more than 4,300 digits with a ValueError.
_MAX_DIGITS = 10


def _is_number(text: str) -> bool:
    # ASCII digits only: "²".isdigit() is true, but int("²") fails.
    return text.isascii() and text.isdigit()


def _to_int(text: str) -> int | None:
    return int(text) if _is_number(text) and len(text) <= _MAX_DIGITS else None


def _month_number(text: str) -> int | None:
    # GOV.UK asks services to accept month names and abbreviations ("December", "Dec").
    number = _to_int(text)
    if number is not None:
        return number
    lowered = text.lower().rstrip(".")
    for index, name in enumerate(_MONTH_NAMES, start=1):
        if len(lowered) >= 3 and name.startswith(lowered):
            return index
    return None


def date_error_parts(error: ValidationError) -> tuple[str, ...]:
    """The date parts an error raised by ``GovUKDateField`` is about (all parts if unknown)."""
    params = getattr(error, "params", None) or {}
    parts = params.get(DATE_PARTS_PARAM)
    return tuple(parts) if parts else DATE_PARTS
