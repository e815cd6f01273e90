"""The search and filters of the inbox and of My requests: input shape only (the lists are
selectors.request_list_for_inbox and selectors.request_list_for_requester)."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.http import QueryDict

from requests_app.models import Status
from requests_app.selectors import InboxTab, ListFilters, MineTab
from ui.widgets import GovUKDateField

SEARCH_MAX_LENGTH = 100
# What a reference, or part of one, looks like (ISP-2026-000123, 2026-000123, 000123): such a
# search may be recorded as typed. Anything else may be personal (a name, a date of birth, a
# phone number), and is not recorded.
_REFERENCE_SEARCH = re.compile(
    r"ISP(-?[0-9]{1,4}(-?[0-9]{1,6})?)?-?|[0-9]{4}-[0-9]{1,6}|[0-9]{1,6}", re.IGNORECASE
)
# The address links to the inbox used before the "My cases" tab: ?assigned=me.
ASSIGNED_TO_ME = "me"
# Where the person is in the list, not what they asked for.
NAVIGATION = ("tab", "page", "assigned")


def search_kind(term: str) -> str:
    """How a search is named in the audit trail: a reference as typed, anything else only as
    "name, partner or officer" (it may be the subject's name: 10.5.2, no personal data in logs).
    """
    text = "".join(term.split())
    if _REFERENCE_SEARCH.fullmatch(text):
        return f"reference {text.upper()}"
    return "name, partner or officer"


class _ListFilterForm(forms.Form):
    tabs: tuple[str, ...] = ()
    default_tab = ""

    search = forms.CharField(
        label="Search",
        help_text="By reference, person’s name, partner organisation or officer",
        max_length=SEARCH_MAX_LENGTH,
        required=False,
        widget=forms.TextInput(attrs={"spellcheck": "false", "class": "govuk-!-width-two-thirds"}),
        error_messages={
            "max_length": f"Search must be {SEARCH_MAX_LENGTH} characters or fewer",
            "null_characters_not_allowed": "Search must only include letters, numbers, spaces "
            "and punctuation",
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Plain ids ("search", "status"): the error summary links point at them.
        kwargs.setdefault("auto_id", "%s")
        super().__init__(*args, **kwargs)

    def clean_search(self) -> str:
        return " ".join(self.cleaned_data.get("search", "").split())

    def tab(self) -> str:
        """The tab asked for; an unknown one is the first tab (navigation, not an answer)."""
        data = self.data if self.is_bound else QueryDict()
        tab = data.get("tab", "")
        if not tab and data.get("assigned") == ASSIGNED_TO_ME and InboxTab.MINE in self.tabs:
            return InboxTab.MINE
        return tab if tab in self.tabs else self.default_tab

    def filters(self) -> ListFilters:
        """The filters that are valid: one in error is left out, and the page shows its error."""
        if not self.is_bound:
            return ListFilters(tab=self.tab())
        self.is_valid()
        data = self.cleaned_data
        return ListFilters(
            tab=self.tab(),
            status=data.get("status", "") or "",
            due_before=data.get("due_before"),
            search=data.get("search", "") or "",
        )

    @property
    def cache_name(self) -> str:
        return type(self).__name__

    def is_blank(self) -> bool:
        """Nothing typed or chosen, only navigation: the form then renders the same for everyone
        on the tab (templates/requests_app/_list_search.html reuses its HTML)."""
        return not any(value for key, value in self.data.items() if key not in NAVIGATION)

    def has_filters(self) -> bool:
        filters = self.filters()
        return bool(filters.status or filters.due_before)


class InboxFilterForm(_ListFilterForm):
    tabs = tuple(InboxTab.values)
    default_tab = InboxTab.OPEN

    status = forms.ChoiceField(
        label="Status",
        choices=[("", "Any status"), *((v, lbl) for v, lbl in Status.choices if v != Status.DRAFT)],
        required=False,
        error_messages={"invalid_choice": "Select a status from the list"},
    )
    due_before = GovUKDateField(
        label="Reply due on or before",
        label_for_errors="the reply due date",
        help_text="For example, 31 1 2027",
        required=False,
    )


class MyRequestsFilterForm(_ListFilterForm):
    tabs = tuple(MineTab.values)
    default_tab = MineTab.OPEN

    status = forms.ChoiceField(
        label="Status",
        choices=[("", "Any status"), *Status.choices],
        required=False,
        error_messages={"invalid_choice": "Select a status from the list"},
    )
