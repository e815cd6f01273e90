"""The one shape of an unmet rule, and how a form shows it."""

from __future__ import annotations

from django import forms

from ui.problems import Problem, ProblemsError, add_to_form


class _Form(forms.Form):
    name = forms.CharField(error_messages={"required": "Enter your name"})
    reason = forms.CharField(required=False)


def test_problems_error_keeps_each_problem_and_reads_as_one_line():
    problems = [Problem("name", "Enter your name"), Problem("reason", "Enter a reason")]
    error = ProblemsError(problems)
    assert error.problems == problems
    assert str(error) == "Enter your name; Enter a reason"


def test_problems_error_takes_a_plain_message_as_a_form_wide_problem():
    assert ProblemsError("Not now").problems == [Problem("", "Not now")]


def test_add_to_form_puts_each_problem_on_its_question_or_above_the_form():
    form = _Form({"name": "Pat"})
    assert form.is_valid()
    add_to_form(
        form,
        [
            Problem("reason", "Enter a reason"),
            Problem("not_on_this_form", "Ask again later"),
            Problem("", "Ask again later"),
        ],
    )
    assert form.errors["reason"] == ["Enter a reason"]
    assert form.non_field_errors() == ["Ask again later"]


def test_add_to_form_keeps_the_first_error_of_a_question():
    form = _Form({})
    assert not form.is_valid()
    add_to_form(form, [Problem("name", "Your name must match your account")])
    assert form.errors["name"] == ["Enter your name"]
