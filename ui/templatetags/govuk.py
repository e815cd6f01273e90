"""Template tags of the GOV.UK template pack (templates/govuk/) and GOV.UK date and time formats.

The pack renders each Django form field as the matching GOV.UK Design System component. The
markup lives in the templates; this module works out what they need: ids, which component,
which options are checked, which follow-up field is revealed under which option, and the links
of the error summary.

Form conventions read here:

- ``conditional_reveals: dict[str, dict[str, str | tuple[str, ...]]]`` on a form maps a radios or
  checkboxes field to {option value: follow-up field name, or a tuple of names}. The follow-ups
  are rendered inside that option's conditional block, in that order, and nowhere else.
- ``page_heading_field: str`` on a form names the one field whose label (or legend) is the
  page's ``<h1>``, for one-question pages.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Any

from django import forms, template
from django.contrib.messages import constants as message_levels
from django.contrib.messages.storage.base import Message
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.forms import BoundField
from django.utils import timezone
from django.utils.safestring import SafeString

from ui.widgets import DATE_PARTS, GovUKDateInput, date_error_parts, date_part_id

register = template.Library()

# Attributes never rendered on a control: validation happens on the server only, and the GOV.UK
# character count (not a hard browser limit) tells people how much they can type.
_STRIPPED_ATTRIBUTES = {"required": False, "maxlength": False, "minlength": False}

_SUMMARY_SHOWN = "_govuk_error_summary_shown"


@dataclass(frozen=True)
class Choice:
    """One radio or checkbox option."""

    id: str
    value: str
    label: str
    checked: bool
    reveals: tuple[BoundField, ...] = ()

    @property
    def reveal(self) -> BoundField | None:
        return self.reveals[0] if self.reveals else None

    @property
    def reveal_id(self) -> str:
        return f"conditional-{self.id}"


@dataclass(frozen=True)
class DatePart:
    """One box of a date input."""

    part: str
    label: str
    id: str
    name: str
    value: str
    width: int
    has_error: bool


@dataclass(frozen=True)
class FieldView:
    """Everything the pack's templates need to render one bound field."""

    field: BoundField
    kind: str
    id: str
    label: str
    errors: list[str]
    skip: bool = False
    page_heading: bool = False
    choices: list[Choice] = dataclass_field(default_factory=list)
    date_parts: list[DatePart] = dataclass_field(default_factory=list)
    maxlength: int | None = None

    @property
    def template(self) -> str:
        if self.kind in {"radios", "checkboxes", "date"}:
            return "govuk/_fieldset.html"
        return f"govuk/_{self.kind}.html"

    @property
    def control_template(self) -> str:
        return f"govuk/_{self.kind}.html"

    @property
    def hint_id(self) -> str:
        return f"{self.id}-hint" if self.field.help_text else ""

    @property
    def error_id(self) -> str:
        return f"{self.id}-error" if self.errors else ""

    @property
    def info_id(self) -> str:
        return f"{self.id}-info" if self.maxlength else ""

    @property
    def describedby(self) -> str:
        return " ".join(i for i in (self.info_id, self.hint_id, self.error_id) if i)

    @property
    def inline(self) -> bool:
        # GOV.UK: inline radios only for two options, never with a conditional reveal.
        return (
            self.kind == "radios"
            and len(self.choices) == 2
            and not any(c.reveal for c in self.choices)
        )

    @property
    def extra_classes(self) -> str:
        return str(self.field.field.widget.attrs.get("class", ""))

    @property
    def control(self) -> SafeString:
        """The ``<input>``, ``<textarea>`` or ``<select>``, rendered by Django's widget."""
        widget = self.field.field.widget
        classes = {
            "input": "govuk-input",
            "password": "govuk-input govuk-password-input__input govuk-js-password-input-input",
            "textarea": "govuk-textarea",
            "select": "govuk-select",
            "checkbox": "govuk-checkboxes__input",
            "file": "govuk-file-upload",
        }[self.kind]
        if self.maxlength:
            classes += " govuk-js-character-count"
        if self.errors and self.kind != "checkbox":
            classes += " " + classes.split()[0] + "--error"
        if self.extra_classes and self.kind != "checkbox":
            classes += " " + self.extra_classes
        attrs: dict[str, Any] = {**_STRIPPED_ATTRIBUTES, "class": classes, "id": self.id}
        if self.describedby:
            attrs["aria-describedby"] = self.describedby
        if self.field.field.disabled:
            attrs["disabled"] = True
        if self.kind == "password":
            attrs.update({"spellcheck": "false", "autocapitalize": "none"})
            if "autocomplete" not in widget.attrs:
                attrs["autocomplete"] = "current-password"
        if self.kind == "textarea":
            attrs["cols"] = False
        value = self.field.value()
        if self.kind == "file":
            # A plain file input: never Django's "Currently: ... Clear" extras.
            plain = type(
                "PlainFileInput",
                (forms.FileInput,),
                {"allow_multiple_selected": widget.allow_multiple_selected},
            )
            widget = plain(attrs=widget.attrs)
            value = None
        return widget.render(
            self.field.html_name, value, attrs=attrs, renderer=self.field.form.renderer
        )


def _kind(widget: forms.Widget) -> str:
    if widget.is_hidden:
        return "hidden"
    if isinstance(widget, GovUKDateInput):
        return "date"
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.FileInput):
        return "file"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.PasswordInput):
        return "password"
    if isinstance(widget, forms.MultiWidget):
        raise ImproperlyConfigured(
            f"The GOV.UK template pack cannot render {type(widget).__name__}; "
            "use GovUKDateField for dates or separate fields."
        )
    return "input"


def _reveals(form: forms.BaseForm) -> dict[str, dict[str, str | tuple[str, ...]]]:
    return getattr(form, "conditional_reveals", None) or {}


def _names(follow_up: str | tuple[str, ...] | None) -> tuple[str, ...]:
    if not follow_up:
        return ()
    return (follow_up,) if isinstance(follow_up, str) else tuple(follow_up)


def _follow_up_names(form: forms.BaseForm) -> set[str]:
    return {
        name
        for options in _reveals(form).values()
        for follow_up in options.values()
        for name in _names(follow_up)
    }


def _field_id(bound_field: BoundField) -> str:
    return str(bound_field.field.widget.attrs.get("id") or bound_field.auto_id or "")


def _is_new_instance_default(bound_field: BoundField) -> bool:
    """True when an unbound model form shows a model field's default on a new object."""
    form = bound_field.form
    instance = getattr(form, "instance", None)
    if instance is None or not instance._state.adding:
        return False
    try:
        model_field = instance._meta.get_field(bound_field.name)
    except FieldDoesNotExist:
        return False
    return model_field.has_default() and form.initial.get(bound_field.name) == (
        model_field.get_default()
    )


def _checked_values(bound_field: BoundField, kind: str) -> set[str]:
    form = bound_field.form
    # GOV.UK: never pre-select a radio. Only the saved record or an `initial` the view passed
    # counts as an answer, not a field's or a new object's default.
    if (
        kind == "radios"
        and not form.is_bound
        and (bound_field.name not in form.initial or _is_new_instance_default(bound_field))
    ):
        return set()
    widget = bound_field.field.widget
    return set(widget.format_value(bound_field.value()))


def _choices(bound_field: BoundField, kind: str) -> list[Choice]:
    form = bound_field.form
    widget = bound_field.field.widget
    checked = _checked_values(bound_field, kind)
    reveals = _reveals(form).get(bound_field.name, {})
    field_id = _field_id(bound_field)
    choices = []
    for _group, options, _index in widget.optgroups(
        bound_field.html_name, list(checked), {"id": field_id} if field_id else {}
    ):
        for option in options:
            value = "" if option["value"] is None else str(option["value"])
            if value == "":
                continue
            # A follow-up the form has removed (a question that does not apply) is not shown.
            follow_ups = tuple(
                form[name] for name in _names(reveals.get(value)) if name in form.fields
            )
            choices.append(
                Choice(
                    id=option["attrs"].get("id", ""),
                    value=value,
                    label=str(option["label"]),
                    checked=value in checked,
                    reveals=follow_ups,
                )
            )
    return choices


def _date_parts(bound_field: BoundField, field_id: str) -> list[DatePart]:
    widget = bound_field.field.widget
    assert isinstance(widget, GovUKDateInput)
    value = bound_field.value()
    values = list(value) if isinstance(value, (list, tuple)) else widget.decompress(value)
    parts_in_error: set[str] = set()
    for error in bound_field.errors.as_data():
        parts_in_error.update(date_error_parts(error))
    return [
        DatePart(
            part=part,
            label=part.capitalize(),
            id=date_part_id(field_id, part),
            name=f"{bound_field.html_name}_{part}",
            value="" if part_value is None else str(part_value),
            width=widget.widths[part],
            has_error=part in parts_in_error,
        )
        for part, part_value in zip(DATE_PARTS, values, strict=False)
    ]


def field_view(bound_field: BoundField, *, nested: bool = False) -> FieldView:
    form = bound_field.form
    widget = bound_field.field.widget
    kind = _kind(widget)
    field_id = _field_id(bound_field)
    maxlength = None
    if kind == "textarea":
        maxlength = getattr(bound_field.field, "max_length", None)
    return FieldView(
        field=bound_field,
        kind=kind,
        id=field_id,
        label=str(bound_field.label),
        errors=[str(e) for e in bound_field.errors],
        skip=not nested and bound_field.name in _follow_up_names(form),
        page_heading=getattr(form, "page_heading_field", None) == bound_field.name,
        choices=_choices(bound_field, kind) if kind in {"radios", "checkboxes"} else [],
        date_parts=_date_parts(bound_field, field_id) if kind == "date" else [],
        maxlength=maxlength,
    )


@register.simple_tag
def govuk_field(bound_field: BoundField, nested: bool = False) -> FieldView:
    """``{% govuk_field field nested=govuk_nested as g %}``: the view of one field."""
    return field_view(bound_field, nested=bool(nested))


def error_target_id(bound_field: BoundField) -> str:
    """The id the error summary links to: the first box or option at fault."""
    view = field_view(bound_field, nested=True)
    if view.kind == "date":
        in_error = [p for p in view.date_parts if p.has_error] or view.date_parts
        return in_error[0].id
    if view.choices:
        return view.choices[0].id
    return view.id


@dataclass(frozen=True)
class SummaryError:
    message: str
    href: str


@register.simple_tag
def govuk_error_summary_items(form: forms.BaseForm | None) -> list[SummaryError]:
    """The error summary's list, in page order: form-wide errors first, then each field's."""
    if form is None or not hasattr(form, "errors"):
        return []
    setattr(form, _SUMMARY_SHOWN, True)
    items = [SummaryError(str(message), "") for message in form.non_field_errors()]
    for bound_field in form:
        if not bound_field.errors:
            continue
        if bound_field.is_hidden:
            items.extend(SummaryError(str(message), "") for message in bound_field.errors)
            continue
        href = f"#{error_target_id(bound_field)}"
        items.extend(SummaryError(str(message), href) for message in bound_field.errors)
    return items


@register.filter
def govuk_error_summary_pending(form: forms.BaseForm) -> bool:
    """True when the form has errors the page has not shown in an error summary yet."""
    return bool(form.errors) and not getattr(form, _SUMMARY_SHOWN, False)


@dataclass(frozen=True)
class Notification:
    success: bool
    messages: list[str]

    @property
    def title(self) -> str:
        return "Success" if self.success else "Important"


@register.simple_tag
def govuk_notification(messages: Any) -> Notification | None:
    """All of this request's messages as one notification banner (None when there are none)."""
    items: list[Message] = list(messages or [])
    if not items:
        return None
    return Notification(
        success=all(m.level == message_levels.SUCCESS for m in items),
        messages=[str(m) for m in items],
    )


def _local(value: datetime.datetime) -> datetime.datetime:
    return timezone.localtime(value) if timezone.is_aware(value) else value


MONTH_NAMES = (
    "",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


@register.filter
def govuk_date(value: datetime.date | None) -> str:
    """3 December 2026: Django's "j F Y" without its general formatter (lists show many)."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime.datetime):
        value = _local(value)
    return f"{value.day} {MONTH_NAMES[value.month]} {value.year}"


@register.filter
def govuk_time(value: datetime.datetime | datetime.time | None) -> str:
    """9:32am, 4pm, midday, midnight."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime.datetime):
        value = _local(value).time()
    if (value.hour, value.minute) == (0, 0):
        return "midnight"
    if (value.hour, value.minute) == (12, 0):
        return "midday"
    hour = value.hour % 12 or 12
    suffix = "am" if value.hour < 12 else "pm"
    if value.minute == 0:
        return f"{hour}{suffix}"
    return f"{hour}:{value.minute:02d}{suffix}"


@register.filter
def govuk_datetime(value: datetime.datetime | None) -> str:
    """3 December 2026 at 9:32am."""
    if value is None or value == "":
        return ""
    return f"{govuk_date(value)} at {govuk_time(value)}"
