"""The one shape of an unmet rule, shared by every app's rules module.

A rule returns a list of `Problem`s: the form shows them on its questions, and `transition()` and
the services refuse on the same list by raising `ProblemsError`. This module imports nothing of
the portal, so every app may use it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

# A problem about the whole form rather than one of its questions.
NON_FIELD = ""


@dataclass(frozen=True)
class Problem:
    """An unmet rule, on the question that must change, in the GOV.UK voice."""

    field: str
    message: str


class ProblemsError(Exception):
    """A write refused because rules are unmet. `str()` joins the messages with "; " for pages
    that show one line; `.problems` keeps each on its question."""

    def __init__(self, problems: Sequence[Problem] | str) -> None:
        if isinstance(problems, str):
            problems = [Problem(NON_FIELD, problems)]
        self.problems: list[Problem] = list(problems)
        super().__init__("; ".join(problem.message for problem in self.problems))


def add_to_form(form: Any, problems: Iterable[Problem]) -> None:
    """Show problems on a Django form: on the question when the form has it, else above the form.

    A question that already has an error keeps that one only: GOV.UK shows one error a question,
    and the first (a missing or malformed answer) is the one to fix first."""
    for problem in problems:
        if problem.field and problem.field in form.fields:
            if problem.field not in form.errors:
                form.add_error(problem.field, problem.message)
        elif problem.message not in form.non_field_errors():
            form.add_error(None, problem.message)
