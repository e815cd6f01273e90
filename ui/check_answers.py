"""Check answers before saving (GOV.UK "check answers" pattern) for a form of one page: the
answers wait in the server-side session between the form, the check page and the confirmation,
so nothing typed is lost, and the summary lists each answer that applies with a "Change" link.

The summary reads the form's `conditional_reveals` (see ui.templatetags.govuk): a follow-up
question is listed only when the answer it hangs on reveals it."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django import forms
from django.http import HttpRequest, QueryDict

from ui.templatetags.govuk import error_target_id, govuk_date, govuk_time

_PREFIX = "check-answers:"
NOT_GIVEN = "Not given"


def pending_save(request: HttpRequest, key: str, data: QueryDict) -> None:
    """Keep a valid form's answers (not the CSRF token) until they are confirmed."""
    answers = {name: data.getlist(name) for name in data if name != "csrfmiddlewaretoken"}
    request.session[_PREFIX + key] = answers


def pending_load(request: HttpRequest, key: str) -> QueryDict | None:
    answers = request.session.get(_PREFIX + key)
    if not isinstance(answers, dict):
        return None
    data = QueryDict(mutable=True)
    for name, values in answers.items():
        data.setlist(str(name), [str(value) for value in values])
    return data


def pending_clear(request: HttpRequest, key: str) -> None:
    request.session.pop(_PREFIX + key, None)


@dataclass(frozen=True)
class Answer:
    key: str
    value: str
    href: str


def _shown(value: Any, field: forms.Field) -> str:
    if value in (None, "", [], ()):
        return NOT_GIVEN
    if isinstance(field, forms.MultipleChoiceField):
        labels = dict(field.choices)
        return "\n".join(str(labels.get(item, item)) for item in value)
    if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
        return str(dict(field.choices).get(value, value))
    if isinstance(value, datetime.datetime | datetime.date):
        return govuk_date(value)
    if isinstance(value, datetime.time):
        return govuk_time(value)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list | tuple):
        return "\n".join(str(item) for item in value)
    return str(value)


def answers(form: forms.Form, *, change_url: str) -> list[Answer]:
    """A valid form's answers in its order; a follow-up only when its answer reveals it."""
    revealed_by: dict[str, tuple[str, set[str]]] = {}
    for parent, options in (getattr(form, "conditional_reveals", None) or {}).items():
        for value, follow_ups in options.items():
            for name in (follow_ups,) if isinstance(follow_ups, str) else follow_ups:
                revealed_by.setdefault(name, (parent, set()))[1].add(str(value))

    def applies(name: str) -> bool:
        if name not in revealed_by:
            return True
        parent, values = revealed_by[name]
        chosen = form.cleaned_data.get(parent)
        chosen_values = {str(v) for v in chosen} if isinstance(chosen, list) else {str(chosen)}
        return bool(values & chosen_values) and applies(parent)

    rows = []
    for bound in form:
        if bound.is_hidden or not applies(bound.name):
            continue
        rows.append(
            Answer(
                key=str(bound.label),
                value=_shown(form.cleaned_data.get(bound.name), bound.field),
                href=f"{change_url}#{error_target_id(bound)}",
            )
        )
    return rows
