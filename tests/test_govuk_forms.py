"""The GOV.UK template pack, the GOV.UK date field and the base page template.

Markup is checked against the class names and structure of GOV.UK Frontend's reference fixtures
(node_modules/govuk-frontend/dist/govuk/components/*/fixtures.json).
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django import forms
from django.conf import settings
from django.contrib.messages import constants as message_levels
from django.contrib.messages.storage.base import Message
from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.test import RequestFactory
from django.urls import path

from governance.people.models import Organisation, User
from ui.templatetags.govuk import govuk_date, govuk_datetime, govuk_time
from ui.widgets import GovUKDateField


def _page(request: HttpRequest) -> HttpResponse:
    return HttpResponse()


# The URL names base.html links to, so these tests do not depend on the portal's views.
urlpatterns = [
    path("", _page, name="home"),
    path("sign-out/", _page, name="logout"),
    path("sign-in/", _page, name="login"),
    path("session/keep-alive/", _page, name="keep_alive"),
    path("protocol/", _page, name="protocol"),
    path("accessibility/", _page, name="accessibility"),
    path("privacy/", _page, name="privacy"),
    path("cookies/", _page, name="cookies"),
]


# --- A small HTML tree, enough to assert on elements, classes and nesting -----------------------

_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}


@dataclass
class Node:
    tag: str
    attrs: dict[str, str | None]
    parent: Node | None = None
    content: list[Node | str] = field(default_factory=list)

    @property
    def children(self) -> list[Node]:
        return [item for item in self.content if isinstance(item, Node)]

    @property
    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())

    @property
    def text(self) -> str:
        parts = [item if isinstance(item, str) else item.text for item in self.content]
        return " ".join(" ".join(parts).split())

    def walk(self) -> list[Node]:
        found = []
        for child in self.children:
            found.append(child)
            found.extend(child.walk())
        return found

    def find_all(self, tag: str | None = None, cls: str | None = None, **attrs: str) -> list[Node]:
        return [
            node
            for node in self.walk()
            if (tag is None or node.tag == tag)
            and (cls is None or cls in node.classes)
            and all(
                node.attrs.get(name.rstrip("_").replace("_", "-")) == v for name, v in attrs.items()
            )
        ]

    def find(self, tag: str | None = None, cls: str | None = None, **attrs: str) -> Node:
        found = self.find_all(tag, cls, **attrs)
        assert found, f"no <{tag or '*'} class={cls} {attrs}>"
        return found[0]

    def by_id(self, element_id: str) -> Node:
        return self.find(id=element_id)

    def ancestors(self) -> list[Node]:
        node, found = self.parent, []
        while node is not None:
            found.append(node)
            node = node.parent
        return found


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.root = Node("root", {})
        self.current = self.root

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, dict(attrs), parent=self.current)
        self.current.content.append(node)
        if tag not in _VOID:
            self.current = node

    def handle_endtag(self, tag: str) -> None:
        node: Node | None = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data: str) -> None:
        self.current.content.append(data)


def parse(html: str) -> Node:
    builder = _TreeBuilder()
    builder.feed(html)
    return builder.root


def render(source: str, **context: Any) -> str:
    return engines["django"].from_string(source).render(context)


def render_form(form: forms.BaseForm) -> Node:
    """A page the way the portal's templates use the pack: summary on top, then the fields."""
    return parse(
        render(
            '{% load crispy_forms_tags %}{% include "govuk/error_summary.html" with form=form %}'
            '<form method="post" novalidate>{{ form|crispy }}</form>',
            form=form,
        )
    )


# --- Test forms ----------------------------------------------------------------------------------


class RequestDetailsForm(forms.Form):
    conditional_reveals = {"reason": {"other": "reason_other"}}

    full_name = forms.CharField(
        label="Full name",
        max_length=200,
        help_text="As it appears on official documents",
        error_messages={"required": "Enter the subject's full name"},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "name",
                "spellcheck": "false",
                "inputmode": "text",
                "class": "govuk-input--width-20",
            }
        ),
    )
    summary = forms.CharField(
        label="Why do you need the information?",
        max_length=500,
        error_messages={"required": "Enter why you need the information"},
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    date_required = GovUKDateField(
        label="Date the information is required by",
        label_for_errors="the date the information is required by",
        help_text="For example, 27 3 2026",
    )
    urgent = forms.ChoiceField(
        label="Is the request urgent?",
        choices=[("yes", "Yes"), ("no", "No")],
        widget=forms.RadioSelect,
        initial="no",
        error_messages={"required": "Select yes if the request is urgent"},
    )
    reason = forms.ChoiceField(
        label="Reason for the request",
        choices=[("", "---------"), ("asb", "Anti-social behaviour"), ("other", "Other")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select the reason for the request"},
    )
    reason_other = forms.CharField(label="Give the reason", required=False)
    crime_types = forms.MultipleChoiceField(
        label="Types of crime",
        choices=[("violence", "Violence"), ("theft", "Theft"), ("damage", "Criminal damage")],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one type of crime"},
    )
    consent_given = forms.BooleanField(
        label="The subject has given consent",
        error_messages={"required": "Confirm the subject has given consent"},
    )
    organisation = forms.ChoiceField(
        label="Organisation",
        choices=[("", "Select an organisation"), ("met", "Metropolitan Police")],
        error_messages={"required": "Select an organisation"},
    )
    evidence = forms.FileField(label="Upload evidence (optional)", required=False)
    version = forms.CharField(widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("reason") == "other" and not cleaned.get("reason_other"):
            self.add_error("reason_other", "Enter the reason for the request")
        return cleaned


VALID_DATA = {
    "full_name": "Jo Bloggs",
    "summary": "Risk assessment",
    "date_required_day": "3",
    "date_required_month": "12",
    "date_required_year": "2026",
    "urgent": "no",
    "reason": "asb",
    "crime_types": ["theft"],
    "consent_given": "on",
    "organisation": "met",
    "version": "1",
}


def bound(**changes: Any) -> RequestDetailsForm:
    data = {**VALID_DATA, **changes}
    data = {key: value for key, value in data.items() if value is not None}
    return RequestDetailsForm(data=data)


class DateForm(forms.Form):
    date_required = GovUKDateField(
        label="Date the information is required by",
        label_for_errors="the date the information is required by",
    )


def date_errors(day: str, month: str, year: str) -> list[str]:
    form = DateForm(
        data={"date_required_day": day, "date_required_month": month, "date_required_year": year}
    )
    return form.errors.get("date_required", [])


# --- Error summary -------------------------------------------------------------------------------


def test_error_summary_links_each_error_to_its_field() -> None:
    page = render_form(
        bound(
            full_name="",
            date_required_month="",
            urgent=None,
            crime_types=None,
            consent_given=None,
        )
    )

    summary = page.find("div", "govuk-error-summary", data_module="govuk-error-summary")
    assert summary.find("h2", "govuk-error-summary__title").text == "There is a problem"
    links = {a.text: a.attrs["href"] for a in summary.find_all("a")}
    assert links == {
        "Enter the subject's full name": "#id_full_name",
        "Date the information is required by must include a month": "#id_date_required_month",
        "Select yes if the request is urgent": "#id_urgent_0",
        "Select at least one type of crime": "#id_crime_types_0",
        "Confirm the subject has given consent": "#id_consent_given",
    }
    for href in links.values():
        assert page.by_id(href[1:])


def test_error_summary_lists_form_wide_errors_without_a_link() -> None:
    form = bound()
    form.is_valid()
    form.add_error(None, "This request has already been submitted")

    summary = render_form(form).find("div", "govuk-error-summary")

    first = summary.find("ul", "govuk-error-summary__list").find("li")
    assert first.text == "This request has already been submitted"
    assert not first.find_all("a")


def test_error_summary_links_a_revealed_field_to_its_own_input() -> None:
    page = render_form(bound(reason="other", reason_other=""))

    link = page.find("div", "govuk-error-summary").find("a")

    assert (link.text, link.attrs["href"]) == (
        "Enter the reason for the request",
        "#id_reason_other",
    )


def test_error_summary_is_not_repeated_by_the_form_when_the_page_shows_it() -> None:
    page = render_form(bound(full_name=""))

    assert len(page.find_all("div", "govuk-error-summary")) == 1


def test_form_shows_the_error_summary_when_the_page_has_not() -> None:
    html = render("{% load crispy_forms_tags %}{{ form|crispy }}", form=bound(full_name=""))

    assert len(parse(html).find_all("div", "govuk-error-summary")) == 1


def test_valid_or_unbound_form_has_no_error_summary() -> None:
    assert not render_form(RequestDetailsForm()).find_all("div", "govuk-error-summary")
    form = bound()
    assert form.is_valid(), form.errors
    assert not render_form(form).find_all("div", "govuk-error-summary")


# --- Fields --------------------------------------------------------------------------------------


def test_text_input_shows_its_error_inline_and_describes_itself_by_hint_and_error() -> None:
    page = render_form(bound(full_name=""))

    control = page.by_id("id_full_name")
    group = control.parent
    assert group is not None
    assert group.classes == {"govuk-form-group", "govuk-form-group--error"}
    assert group.find("label", "govuk-label", for_="id_full_name").text == "Full name"
    hint = group.find("div", "govuk-hint", id="id_full_name-hint")
    assert hint.text == "As it appears on official documents"
    error = group.find("p", "govuk-error-message", id="id_full_name-error")
    assert error.text == "Error: Enter the subject's full name"
    assert error.find("span", "govuk-visually-hidden").text == "Error:"
    assert control.attrs["aria-describedby"] == "id_full_name-hint id_full_name-error"
    assert {"govuk-input", "govuk-input--error"} <= control.classes


def test_text_input_passes_through_its_widget_attributes() -> None:
    control = render_form(RequestDetailsForm()).by_id("id_full_name")

    assert control.attrs["autocomplete"] == "name"
    assert control.attrs["spellcheck"] == "false"
    assert control.attrs["inputmode"] == "text"
    assert control.classes == {"govuk-input", "govuk-input--width-20"}
    assert control.attrs["aria-describedby"] == "id_full_name-hint"


def test_typed_text_is_redisplayed_after_an_error() -> None:
    page = render_form(bound(full_name="Jo Bloggs", summary=""))

    assert page.by_id("id_full_name").attrs["value"] == "Jo Bloggs"


@pytest.mark.parametrize("form", [RequestDetailsForm(), bound(full_name="", summary="")])
def test_no_control_carries_browser_validation_attributes(form: forms.Form) -> None:
    page = render_form(form)

    for node in page.find_all("input") + page.find_all("textarea") + page.find_all("select"):
        assert "required" not in node.attrs, node
        assert "maxlength" not in node.attrs, node


def test_textarea_with_a_maximum_length_has_a_character_count() -> None:
    page = render_form(bound(summary="x" * 501))

    textarea = page.by_id("id_summary")
    group = textarea.parent
    assert group is not None
    assert {"govuk-form-group", "govuk-form-group--error", "govuk-character-count"} <= (
        group.classes
    )
    assert group.attrs["data-module"] == "govuk-character-count"
    assert group.attrs["data-maxlength"] == "500"
    assert {"govuk-textarea", "govuk-js-character-count", "govuk-textarea--error"} <= (
        textarea.classes
    )
    assert textarea.attrs["aria-describedby"] == "id_summary-info id_summary-error"
    info = group.find("div", "govuk-character-count__message", id="id_summary-info")
    assert info.text == "You can enter up to 500 characters"
    assert "govuk-hint" in info.classes
    assert textarea.text == "x" * 501


def test_textarea_without_a_maximum_length_has_no_character_count() -> None:
    class NotesForm(forms.Form):
        notes = forms.CharField(label="Notes", widget=forms.Textarea)

    textarea = render_form(NotesForm()).by_id("id_notes")

    assert textarea.classes == {"govuk-textarea"}
    assert textarea.parent is not None
    assert "data-module" not in textarea.parent.attrs


def test_date_input_highlights_only_the_part_at_fault_and_keeps_what_was_typed() -> None:
    page = render_form(
        bound(date_required_day="3", date_required_month="", date_required_year="2026")
    )

    fieldset = page.find("fieldset", "govuk-fieldset", role="group")
    assert fieldset.attrs["aria-describedby"] == "id_date_required-hint id_date_required-error"
    assert fieldset.find("legend", "govuk-fieldset__legend").text == (
        "Date the information is required by"
    )
    assert fieldset.find("div", "govuk-date-input", id="id_date_required")
    day, month, year = (page.by_id(f"id_date_required_{part}") for part in ("day", "month", "year"))
    assert day.attrs["value"] == "3"
    assert year.attrs["value"] == "2026"
    assert "govuk-input--error" not in day.classes
    assert "govuk-input--error" in month.classes
    assert "govuk-input--error" not in year.classes
    assert (day.attrs["name"], day.attrs["inputmode"]) == ("date_required_day", "numeric")
    assert "govuk-input--width-2" in month.classes
    assert "govuk-input--width-4" in year.classes
    assert page.find("label", "govuk-date-input__label", for_="id_date_required_month").text == (
        "Month"
    )


def test_date_input_shows_a_saved_date_in_its_parts() -> None:
    form = RequestDetailsForm(initial={"date_required": datetime.date(2026, 12, 3)})

    page = render_form(form)

    values = [page.by_id(f"id_date_required_{p}").attrs.get("value") for p in ("day", "month")]
    assert values == ["3", "12"]
    assert page.by_id("id_date_required_year").attrs["value"] == "2026"


def test_radios_are_not_preselected_from_a_default() -> None:
    page = render_form(RequestDetailsForm())

    assert not [r for r in page.find_all("input", type="radio") if "checked" in r.attrs]


def test_radios_show_a_saved_answer() -> None:
    page = render_form(RequestDetailsForm(initial={"urgent": "yes"}))

    assert "checked" in page.by_id("id_urgent_0").attrs


def test_radios_are_not_preselected_from_a_new_objects_model_default() -> None:
    class MarkingForm(forms.ModelForm):
        class Meta:
            model = Organisation
            fields = ["protective_marking"]
            widgets = {
                "protective_marking": forms.RadioSelect(
                    choices=[("OFFICIAL-SENSITIVE", "Official-sensitive"), ("OFFICIAL", "Official")]
                )
            }

    page = render_form(MarkingForm(instance=Organisation()))

    assert not [r for r in page.find_all("input", type="radio") if "checked" in r.attrs]


def test_radios_show_the_submitted_answer() -> None:
    page = render_form(bound(urgent="yes", full_name=""))

    assert "checked" in page.by_id("id_urgent_0").attrs
    assert "checked" not in page.by_id("id_urgent_1").attrs


def test_two_radios_are_inline_and_an_empty_choice_is_left_out() -> None:
    page = render_form(RequestDetailsForm())

    urgent = page.by_id("id_urgent_0").parent
    assert urgent is not None
    assert urgent.parent is not None
    assert urgent.parent.classes == {"govuk-radios", "govuk-radios--inline"}
    assert urgent.parent.attrs["data-module"] == "govuk-radios"
    reason_values = [r.attrs["value"] for r in page.find_all("input", name="reason")]
    assert reason_values == ["asb", "other"]


def test_radios_error_is_on_the_fieldset() -> None:
    page = render_form(bound(urgent=None))

    fieldset = page.by_id("id_urgent-error").parent
    assert fieldset is not None
    assert fieldset.tag == "fieldset"
    assert fieldset.attrs["aria-describedby"] == "id_urgent-error"
    assert fieldset.parent is not None
    assert "govuk-form-group--error" in fieldset.parent.classes


def test_follow_up_field_is_nested_in_its_options_conditional_block_only() -> None:
    page = render_form(RequestDetailsForm())

    other = page.find("input", name="reason", value="other")
    assert other.attrs["data-aria-controls"] == f"conditional-{other.attrs['id']}"
    conditional = page.by_id(other.attrs["data-aria-controls"])
    assert conditional.classes == {"govuk-radios__conditional", "govuk-radios__conditional--hidden"}
    assert conditional.find("input", id="id_reason_other")
    assert len(page.find_all(name="reason_other")) == 1
    assert "data-aria-controls" not in page.find("input", name="reason", value="asb").attrs


def test_follow_up_is_shown_when_its_option_is_chosen() -> None:
    page = render_form(bound(reason="other", reason_other=""))

    conditional = page.by_id("conditional-" + page.find("input", value="other").attrs["id"])

    assert conditional.classes == {"govuk-radios__conditional"}
    assert "govuk-form-group--error" in conditional.find("div", "govuk-form-group").classes


def test_follow_up_rendered_alone_is_left_to_its_option() -> None:
    html = render(
        "{% load crispy_forms_tags %}{{ form.reason_other|as_crispy_field }}",
        form=RequestDetailsForm(),
    )

    assert html.strip() == ""


def test_checkboxes_follow_up_is_nested_in_a_checkboxes_conditional_block() -> None:
    class ContactForm(forms.Form):
        conditional_reveals = {"methods": {"other": "method_other"}}
        methods = forms.MultipleChoiceField(
            label="How can we contact you?",
            choices=[("email", "Email"), ("other", "Other")],
            widget=forms.CheckboxSelectMultiple,
        )
        method_other = forms.CharField(label="Other way", required=False)

    page = render_form(ContactForm(data={"methods": ["other"]}))

    checkbox = page.find("input", name="methods", value="other")
    assert "checked" in checkbox.attrs
    conditional = page.by_id(checkbox.attrs["data-aria-controls"])
    assert conditional.classes == {"govuk-checkboxes__conditional"}
    assert conditional.find("input", id="id_method_other")
    assert page.find("input", name="methods", value="email").parent is not None


def test_checkboxes_keep_what_was_ticked() -> None:
    page = render_form(bound(crime_types=["violence", "damage"], full_name=""))

    ticked = [c.attrs["value"] for c in page.find_all(name="crime_types") if "checked" in c.attrs]

    assert ticked == ["violence", "damage"]
    item = page.by_id("id_crime_types_0").parent
    assert item is not None
    assert item.classes == {"govuk-checkboxes__item"}
    assert item.find("label", "govuk-checkboxes__label", for_="id_crime_types_0").text == "Violence"


def test_single_checkbox_is_one_item_of_govuk_checkboxes() -> None:
    page = render_form(bound(consent_given=None))

    control = page.by_id("id_consent_given")
    assert control.attrs["type"] == "checkbox"
    assert control.classes == {"govuk-checkboxes__input"}
    assert control.attrs["aria-describedby"] == "id_consent_given-error"
    item = control.parent
    assert item is not None
    assert item.parent is not None
    assert item.classes == {"govuk-checkboxes__item"}
    assert item.parent.attrs["data-module"] == "govuk-checkboxes"
    assert len(item.parent.children) == 1
    assert item.find("label", "govuk-checkboxes__label").text == "The subject has given consent"


def test_select_and_file_upload_use_govuk_classes() -> None:
    form = bound(organisation="")
    form.add_error("evidence", "The selected file must be a PDF")

    page = render_form(form)

    select = page.by_id("id_organisation")
    assert select.tag == "select"
    assert select.classes == {"govuk-select", "govuk-select--error"}
    upload = page.by_id("id_evidence")
    assert upload.attrs["type"] == "file"
    assert upload.classes == {"govuk-file-upload", "govuk-file-upload--error"}
    assert upload.attrs["aria-describedby"] == "id_evidence-error"


def test_hidden_field_renders_as_a_plain_hidden_input() -> None:
    hidden = render_form(bound()).find("input", name="version")

    assert hidden.attrs["type"] == "hidden"
    assert hidden.attrs["value"] == "1"
    assert hidden.parent is not None
    assert hidden.parent.tag == "form"


def test_password_field_uses_the_password_input_component() -> None:
    class SignInForm(forms.Form):
        password = forms.CharField(label="Password", widget=forms.PasswordInput)

    page = render_form(SignInForm())

    control = page.by_id("id_password")
    assert control.attrs["autocomplete"] == "current-password"
    assert control.attrs["spellcheck"] == "false"
    assert page.find("div", "govuk-password-input", data_module="govuk-password-input")
    assert page.find("button", "govuk-password-input__toggle", aria_controls="id_password")


def test_page_heading_field_label_is_the_h1() -> None:
    class DeclineForm(forms.Form):
        page_heading_field = "reason"
        reason = forms.CharField(label="Why are you declining?", widget=forms.Textarea)

    heading = render_form(DeclineForm()).find("h1", "govuk-label-wrapper")

    assert (
        heading.find("label", "govuk-label--l", for_="id_reason").text == "Why are you declining?"
    )


def test_crispy_tag_renders_a_novalidate_form_with_govuk_buttons() -> None:
    from crispy_forms.helper import FormHelper
    from crispy_forms.layout import Submit

    form = DateForm()
    form.helper = FormHelper()  # type: ignore[attr-defined]
    form.helper.add_input(Submit("continue", "Continue"))  # type: ignore[attr-defined]

    page = parse(render("{% load crispy_forms_tags %}{% crispy form %}", form=form))

    form_node = page.find("form")
    assert "novalidate" in form_node.attrs
    assert form_node.attrs["method"] == "post"
    button = form_node.find("button", "govuk-button", data_module="govuk-button")
    assert button.text == "Continue"
    assert form_node.find("div", "govuk-date-input")


# --- GOV.UK date field ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("", "", "", "Enter the date the information is required by"),
        ("3", "", "2026", "Date the information is required by must include a month"),
        ("", "12", "", "Date the information is required by must include a day and year"),
        ("31", "2", "2026", "Date the information is required by must be a real date"),
        ("3", "13", "2026", "Date the information is required by must be a real date"),
        ("x", "12", "2026", "Date the information is required by must be a real date"),
        ("3", "12", "26", "Year must include 4 numbers"),
    ],
)
def test_date_field_error_messages_name_what_is_wrong(
    day: str, month: str, year: str, message: str
) -> None:
    assert date_errors(day, month, year) == [message]


@pytest.mark.parametrize(
    ("day", "month", "year", "part_in_error"),
    [("31", "2", "2026", "day"), ("3", "13", "2026", "month"), ("3", "12", "26", "year")],
)
def test_date_field_real_date_errors_point_at_the_wrong_part(
    day: str, month: str, year: str, part_in_error: str
) -> None:
    form = DateForm(
        data={"date_required_day": day, "date_required_month": month, "date_required_year": year}
    )

    page = render_form(form)

    assert page.find("div", "govuk-error-summary").find("a").attrs["href"] == (
        f"#id_date_required_{part_in_error}"
    )
    in_error = [i.attrs["id"] for i in page.find_all("input", cls="govuk-input--error")]
    assert in_error == [f"id_date_required_{part_in_error}"]


@pytest.mark.parametrize(
    ("day", "month", "year"),
    [("3", "12", "2026"), ("03", "12", "2026"), (" 3 ", "Dec", "2026"), ("3", "december", "2026")],
)
def test_date_field_cleans_to_a_date(day: str, month: str, year: str) -> None:
    form = DateForm(
        data={"date_required_day": day, "date_required_month": month, "date_required_year": year}
    )

    assert form.is_valid(), form.errors
    assert form.cleaned_data["date_required"] == datetime.date(2026, 12, 3)


def test_optional_date_field_may_be_left_empty() -> None:
    class OptionalDateForm(forms.Form):
        date_of_birth = GovUKDateField(label="Date of birth", required=False)

    form = OptionalDateForm(data={})

    assert form.is_valid()
    assert form.cleaned_data["date_of_birth"] is None


@time_machine.travel(datetime.datetime(2026, 11, 26, 12, tzinfo=datetime.UTC), tick=False)
def test_date_field_can_refuse_a_past_date() -> None:
    class FutureDateForm(forms.Form):
        date_required = GovUKDateField(
            label="Date the information is required by",
            label_for_errors="the date the information is required by",
            not_in_past=True,
        )

    form = FutureDateForm(
        data={"date_required_day": "25", "date_required_month": "11", "date_required_year": "2026"}
    )

    assert form.errors["date_required"] == [
        "Date the information is required by must be today or in the future"
    ]


def test_date_field_builds_messages_from_its_label_by_default() -> None:
    class DobForm(forms.Form):
        date_of_birth = GovUKDateField(label="Date of birth")

    form = DobForm(data={"date_of_birth_day": "1", "date_of_birth_year": "1990"})

    assert form.errors["date_of_birth"] == ["Date of birth must include a month"]
    assert DobForm(data={}).errors["date_of_birth"] == ["Enter date of birth"]


# --- Date and time formats -----------------------------------------------------------------------


def test_dates_and_times_are_written_the_govuk_way() -> None:
    moment = datetime.datetime(2026, 12, 3, 9, 32, tzinfo=datetime.UTC)

    assert govuk_date(datetime.date(2026, 12, 3)) == "3 December 2026"
    assert govuk_time(moment) == "9:32am"
    assert govuk_datetime(moment) == "3 December 2026 at 9:32am"
    assert govuk_time(datetime.time(16, 0)) == "4pm"
    assert govuk_time(datetime.time(12, 0)) == "midday"
    assert govuk_time(datetime.time(0, 0)) == "midnight"
    assert govuk_date(None) == ""


def test_aware_times_are_shown_in_uk_time() -> None:
    summer = datetime.datetime(2026, 7, 1, 8, 5, tzinfo=datetime.UTC)

    assert govuk_time(summer) == "9:05am"


# --- Base template -------------------------------------------------------------------------------

PAGE = (
    '{% extends "base.html" %}{% block title %}New request{% endblock %}'
    '{% block content %}<h1 class="govuk-heading-l">New request</h1>{% endblock %}'
)


def base_page(**context: Any) -> str:
    request = RequestFactory().get("/")
    request.user = context.pop("user", None) or User(full_name="Alice Able")
    context.setdefault("nav_items", [])
    return render(PAGE, request=request, **context)


@pytest.mark.urls("tests.test_govuk_forms")
def test_page_title_names_the_page_and_the_portal() -> None:
    page = parse(base_page())

    assert page.find("title").text == "New request \u2013 ISP Portal"


@pytest.mark.urls("tests.test_govuk_forms")
def test_page_title_starts_with_error_when_the_form_has_errors() -> None:
    page = parse(base_page(form=bound(full_name="")))

    assert page.find("title").text == "Error: New request \u2013 ISP Portal"


@pytest.mark.urls("tests.test_govuk_forms")
def test_header_shows_the_person_their_organisation_and_a_sign_out_form() -> None:
    alice = User(full_name="Alice Able", organisation=Organisation(name="Camden Council"))

    header = parse(base_page(user=alice)).find("header")

    generic = header.find("div", "govuk-generic-header")
    assert generic.find("a", "govuk-generic-header__homepage-link", href="/").text == "ISP Portal"
    assert "Alice Able" in header.text
    assert "Camden Council" in header.text
    sign_out = header.find("form", action="/sign-out/")
    assert sign_out.attrs["method"] == "post"
    assert sign_out.find("button", type="submit").text == "Sign out"
    assert not header.find_all("svg")


@pytest.mark.urls("tests.test_govuk_forms")
def test_header_of_an_administrator_without_organisation_shows_the_name_only() -> None:
    adam = User(full_name="Adam Admin", organisation=None)

    header = parse(base_page(user=adam)).find("header")

    assert header.find("p", "app-header__person").text == "Signed in as Adam Admin"


@pytest.mark.urls("tests.test_govuk_forms")
def test_service_navigation_marks_the_current_page() -> None:
    nav_items = [
        {"label": "Inbox", "url": "/inbox/", "current": False},
        {"label": "New request", "url": "/new/", "current": True},
    ]

    nav = parse(base_page(nav_items=nav_items)).find("nav", "govuk-service-navigation__wrapper")

    links = nav.find_all("a", "govuk-service-navigation__link")
    assert [(a.text, a.attrs.get("aria-current")) for a in links] == [
        ("Inbox", None),
        ("New request", "page"),
    ]


@pytest.mark.urls("tests.test_govuk_forms")
def test_messages_are_shown_in_one_success_banner() -> None:
    messages = [
        Message(message_levels.SUCCESS, "Request ISP-2026-000123 sent"),
        Message(message_levels.SUCCESS, "Consent recorded"),
    ]

    main = parse(base_page(messages=messages)).find("main", id="main-content")

    banners = main.find_all("div", "govuk-notification-banner")
    assert len(banners) == 1
    assert "govuk-notification-banner--success" in banners[0].classes
    assert banners[0].attrs["role"] == "alert"
    assert banners[0].find("h2", "govuk-notification-banner__title").text == "Success"
    assert [p.text for p in banners[0].find_all("p", "govuk-notification-banner__heading")] == [
        "Request ISP-2026-000123 sent",
        "Consent recorded",
    ]


@pytest.mark.urls("tests.test_govuk_forms")
def test_other_messages_are_shown_in_an_important_banner() -> None:
    page = parse(base_page(messages=[Message(message_levels.INFO, "Saved as a draft")]))

    banner = page.find("main").find("div", "govuk-notification-banner")

    assert "govuk-notification-banner--success" not in banner.classes
    assert banner.attrs["role"] == "region"
    assert banner.find("h2").text == "Important"


@pytest.mark.urls("tests.test_govuk_forms")
def test_page_has_skip_link_phase_banner_and_footer_links() -> None:
    page = parse(base_page())

    assert page.find("a", "govuk-skip-link").attrs["href"] == "#main-content"
    assert page.find("strong", "govuk-phase-banner__content__tag").text == "Beta"
    footer_links = {a.text: a.attrs["href"] for a in page.find("footer").find_all("a")}
    assert footer_links == {
        "Information Sharing Protocol (2016)": "/protocol/",
        "Accessibility statement": "/accessibility/",
        "Privacy notice": "/privacy/",
        "Cookies": "/cookies/",
    }


@pytest.mark.urls("tests.test_govuk_forms")
def test_page_has_no_inline_script_or_style() -> None:
    html = base_page(form=bound(full_name="", reason="other"), messages=[])
    html += render("{% load crispy_forms_tags %}{{ form|crispy }}", form=bound(full_name=""))
    page = parse(html)

    scripts = page.find_all("script")
    assert [s.attrs for s in scripts] == [{"type": "module", "src": "/static/dist/portal.mjs"}]
    assert not any(s.text for s in scripts)
    assert not page.find_all("style")
    assert not [node for node in page.walk() if "style" in node.attrs]
    assert page.find("link", rel="stylesheet").attrs["href"] == "/static/dist/portal.css"


# --- Same structure as GOV.UK Frontend's reference fixtures --------------------------------------

FIXTURES = Path(settings.BASE_DIR) / "node_modules/govuk-frontend/dist/govuk/components"


def fixture_html(component: str, name: str) -> str:
    fixtures = json.loads((FIXTURES / component / "fixtures.json").read_text())["fixtures"]
    return next(f["html"] for f in fixtures if f["name"] == name)


def shape(node: Node) -> tuple[Any, ...]:
    """Tags, classes and nesting only: ids, names and text differ between the two."""
    return (node.tag, sorted(node.classes), [shape(child) for child in node.children])


class FixtureForm(forms.Form):
    name = forms.CharField(label="Name")
    name_with_hint = forms.CharField(label="Name", help_text="Hint")
    more_detail = forms.CharField(
        label="Detail", help_text="Hint", max_length=10, widget=forms.Textarea
    )
    dob = GovUKDateField(label="Date of birth", help_text="For example, 31 3 1980")
    changed_name = forms.ChoiceField(
        label="Changed name?",
        help_text="Hint",
        choices=[("yes", "Yes"), ("no", "No")],
        widget=forms.RadioSelect,
    )
    waste = forms.MultipleChoiceField(
        label="Waste",
        choices=[("a", "A"), ("b", "B"), ("c", "C")],
        widget=forms.CheckboxSelectMultiple,
    )
    organisation = forms.ChoiceField(
        label="Organisation", help_text="Hint", choices=[("1", "1"), ("2", "2"), ("3", "3")]
    )
    upload = forms.FileField(label="Upload", help_text="Hint")
    password = forms.CharField(label="Password", help_text="Hint", widget=forms.PasswordInput)
    terms = forms.BooleanField(label="I agree", help_text="Hint")


def rendered_field(name: str, *, with_errors: bool) -> Node:
    form = FixtureForm(data={}) if with_errors else FixtureForm()
    html = render("{% load crispy_forms_tags %}{{ field|as_crispy_field }}", field=form[name])
    return parse(html).children[0]


@pytest.mark.parametrize(
    ("field_name", "with_errors", "component", "fixture"),
    [
        ("name", True, "input", "with error message"),
        ("name_with_hint", False, "input", "with hint text"),
        ("more_detail", False, "character-count", "with hint"),
        ("dob", True, "date-input", "with error message and hint"),
        ("changed_name", False, "radios", "inline"),
        ("waste", False, "checkboxes", "default"),
        ("organisation", True, "select", "with hint text and error message"),
        ("upload", True, "file-upload", "with error message and hint"),
        ("password", True, "password-input", "with error message"),
        (
            "terms",
            False,
            "checkboxes",
            "with single option set 'aria-describedby' on input, and describedBy",
        ),
    ],
)
def test_field_markup_has_the_structure_of_the_govuk_fixture(
    field_name: str, with_errors: bool, component: str, fixture: str
) -> None:
    expected = parse(fixture_html(component, fixture)).children[0]

    assert shape(rendered_field(field_name, with_errors=with_errors)) == shape(expected)


def test_error_summary_has_the_structure_of_the_govuk_fixture() -> None:
    class TwoFieldForm(forms.Form):
        first = forms.CharField()
        second = forms.CharField()

    html = render('{% include "govuk/error_summary.html" %}', form=TwoFieldForm(data={}))

    expected = parse(fixture_html("error-summary", "default")).children[0]
    assert shape(parse(html).children[0]) == shape(expected)
