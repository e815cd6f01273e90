"""Hostile input never makes a server error: every page, every known query parameter, every form.

The pages and who may open them come from tests/test_url_matrix.py. NUL bytes only crash on
PostgreSQL (SQLite stores them), so this file matters most in the PostgreSQL run of `make test`.
"""

from __future__ import annotations

import datetime
from html.parser import HTMLParser
from urllib.parse import urlencode, urlsplit

import pytest
from django import forms
from django.test import Client
from django.urls import reverse

from tests import test_url_matrix as matrix
from ui.widgets import GovUKDateField

pytestmark = pytest.mark.django_db

# The people and objects of the URL matrix: a request under review and a Met breach.
world = matrix.world

SCRIPT = "<script>alert(1)</script>"
ONE_MEGABYTE = "x" * 1_000_000
# Sent in every parameter and field at once, for the first person who may open the page.
HOSTILE = ["\x00", "a\x00b", "9" * 10_000, SCRIPT, "' OR 1=1 --"]
# For everyone else who may open it: one of each kind, which keeps the run short.
HOSTILE_FOR_EVERYONE = ["a\x00b", "9" * 10_000, SCRIPT]
# Sent in each parameter alone, for one person: a NUL crashes a query on PostgreSQL, and int()
# refuses more than 4,300 digits.
ONE_AT_A_TIME = ["a\x00b", "9" * 10_000]
# Not valid UTF-8 once decoded: a raw query string or body, never built by urlencode().
BAD_UTF8 = "%ff%fe"

_DATE_PARTS = ("day", "month", "year")


def _date(name: str) -> list[str]:
    return [f"{name}_{part}" for part in _DATE_PARTS]


# The query parameters each page reads, beyond GENERIC_PARAMS.
GET_PARAMS: dict[str, list[str]] = {
    "requests_app:inbox": ["tab", "search", "status", *_date("due_before"), "assigned"],
    "requests_app:mine": ["tab", "search", "status"],
    "requests_app:detail": ["history"],
    "requests_app:part_a_page": ["from"],
    "requests_app:edit": ["field"],
    "requests_app:blank_request_form": ["marking"],
    "consent:blank_form": ["marking"],
    "oversight:audit": [
        "highlight",
        *_date("date_from"),
        *_date("date_to"),
        "person",
        "action",
        "reference",
        "format",
    ],
    "oversight:s62_export": ["organisation", *_date("date_from"), *_date("date_to")],
    "accounts:accounts": ["organisation", "search"],
    "login": ["next"],
    "accounts:second_factor": ["next"],
    "accounts:second_factor_set_up": ["next"],
    "accounts:second_factor_recovery": ["next"],
}
GENERIC_PARAMS = ["page"]


class _PageForms(HTMLParser):
    """The names and values of the controls of the page's own POST forms."""

    def __init__(self, path: str) -> None:
        super().__init__()
        self.path = path
        self.names: list[str] = []
        self.values: dict[str, str] = {}
        self._in_own_form = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = {key: value or "" for key, value in attrs}
        if tag == "form":
            # Forms that post elsewhere (the header's sign-out) are tested on their own page.
            action = urlsplit(attr.get("action", "")).path
            self._in_own_form = attr.get("method", "").lower() == "post" and action in (
                "",
                self.path,
            )
        elif tag in ("input", "select", "textarea", "button") and self._in_own_form:
            name = attr.get("name")
            if not name:
                return
            if name not in self.names:
                self.names.append(name)
            kind = attr.get("type", "text").lower()
            if tag == "input" and kind in ("hidden", "text") and attr.get("value"):
                self.values[name] = attr["value"] or ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._in_own_form = False


def _check(response, what: str) -> None:
    assert response.status_code < 500, f"{what}: {response.status_code}"
    if response.status_code == 200 and response.get("Content-Type", "").startswith("text/html"):
        assert SCRIPT not in response.content.decode(errors="replace"), f"{what}: unescaped"


def _client_for(world, role: str) -> Client:
    client = Client()
    if world[role] is not None:
        client.force_login(world[role])
    return client


def _params(name: str, is_html: bool) -> list[str]:
    # A download ignores the page number: sending one only renders the same PDF again.
    return GET_PARAMS.get(name, []) + (GENERIC_PARAMS if is_html else [])


def _get_hostile(client: Client, url: str, params: list[str], *, thorough: bool) -> None:
    """All parameters at once with each hostile value; when thorough, every value, then each
    parameter alone, so that a crash behind a valid rest of the query (the page number of a valid
    filter) is reached, and the 1 MB value once."""
    if not params:
        return
    for value in HOSTILE if thorough else HOSTILE_FOR_EVERYONE:
        _check(client.get(url, dict.fromkeys(params, value)), f"GET {url} all={value[:20]!r}")
    raw = "&".join(f"{param}={BAD_UTF8}" for param in params)
    _check(client.get(f"{url}?{raw}"), f"GET {url}?{raw}")
    if not thorough:
        return
    _check(client.get(url, dict.fromkeys(params, ONE_MEGABYTE)), f"GET {url} all=1 MB")
    for param in params:
        for value in ONE_AT_A_TIME:
            _check(client.get(url, {param: value}), f"GET {url} {param}={value[:20]!r}")


def _post_hostile(client: Client, url: str, page: _PageForms, *, thorough: bool) -> None:
    names = [name for name in page.names if name != "csrfmiddlewaretoken"]
    for value in HOSTILE if thorough else HOSTILE_FOR_EVERYONE:
        data = {**page.values, **dict.fromkeys(names, value)}
        _check(client.post(url, data), f"POST {url} all fields={value[:20]!r}")
    body = "&".join(f"{name}={BAD_UTF8}" for name in names)
    _check(
        client.post(url, body, content_type="application/x-www-form-urlencoded"),
        f"POST {url} {BAD_UTF8}",
    )
    if not thorough:
        return
    # A few fields per request: all of them at once would pass the 10 MB upload limit
    # (DATA_UPLOAD_MAX_MEMORY_SIZE) and only test the refusal of that.
    for start in range(0, len(names), 8):
        data = {**page.values, **dict.fromkeys(names[start : start + 8], ONE_MEGABYTE)}
        _check(client.post(url, data), f"POST {url} {names[start : start + 8]}=1 MB")


@pytest.mark.parametrize("name", sorted(matrix.EXPECTED))
def test_hostile_input_never_makes_a_server_error(world, name):
    url = matrix._url(name, world["request"].reference)
    roles = [role for role in matrix.ROLES if matrix.EXPECTED[name][role] == 200]
    is_html = True
    for index, role in enumerate(roles):
        client = _client_for(world, role)
        thorough = index == 0
        if thorough or is_html:
            # Each person's own page: the forms on it depend on who they are.
            response = client.get(url)
            is_html = response["Content-Type"].startswith("text/html")
        _get_hostile(client, url, _params(name, is_html), thorough=thorough)
        if response.status_code != 200 or not is_html:
            continue
        page = _PageForms(urlsplit(url).path)
        page.feed(response.content.decode())
        if set(page.names) - {"csrfmiddlewaretoken"}:
            _post_hostile(client, url, page, thorough=thorough)


def test_every_page_with_query_parameters_is_in_the_matrix():
    assert set(GET_PARAMS) <= set(matrix.EXPECTED)


# ---------------------------------------------------------------------------------------------
# The cases the probe found, one by one


class _DateForm(forms.Form):
    required_by = GovUKDateField(label_for_errors="the date the information is required by")


def _date_errors(year: str) -> list[str]:
    form = _DateForm({"required_by_day": "1", "required_by_month": "4", "required_by_year": year})
    assert not form.is_valid()
    return form.errors["required_by"]


def test_date_with_a_ten_thousand_digit_year_is_refused_with_a_govuk_message():
    assert _date_errors("9" * 10_000) == ["Year must include 4 numbers"]


def test_date_with_a_five_digit_year_is_refused_with_a_govuk_message():
    assert _date_errors("99999") == ["Year must include 4 numbers"]


def test_date_with_a_ten_thousand_digit_day_is_not_a_real_date():
    form = _DateForm(
        {"required_by_day": "9" * 10_000, "required_by_month": "4", "required_by_year": "2027"}
    )
    assert not form.is_valid()
    assert form.errors["required_by"] == ["Date the information is required by must be a real date"]


def test_last_real_year_is_still_a_date():
    form = _DateForm(
        {"required_by_day": "31", "required_by_month": "12", "required_by_year": "9999"}
    )
    assert form.is_valid()
    assert form.cleaned_data["required_by"] == datetime.date(9999, 12, 31)


def test_new_request_with_a_ten_thousand_digit_year_shows_the_error(client, alice):
    client.force_login(alice)
    response = client.post(
        reverse("requests_app:new"),
        {"required_by_day": "1", "required_by_month": "4", "required_by_year": "9" * 10_000},
    )
    assert response.status_code == 200
    assert "Year must include 4 numbers" in response.content.decode()


def test_audit_page_with_a_ten_thousand_digit_year_shows_the_error(client, sally):
    client.force_login(sally)
    query = {"date_from_day": "1", "date_from_month": "4", "date_from_year": "9" * 10_000}
    response = client.get(reverse("oversight:audit"), query)
    assert response.status_code == 200
    assert "Year must include 4 numbers" in response.content.decode()


def test_audit_page_with_a_ten_thousand_digit_page_number_shows_the_first_page(client, sally):
    client.force_login(sally)
    response = client.get(reverse("oversight:audit"), {"page": "9" * 10_000})
    assert response.status_code == 200
    assert response.context["page"].number == 1


def test_inbox_with_a_nul_in_the_search_shows_an_error(client, bob):
    client.force_login(bob)
    response = client.get(reverse("requests_app:inbox") + "?search=%00")
    assert response.status_code == 200
    body = response.content.decode()
    assert "There is a problem" in body
    assert '<a href="#search">Search must only include letters, numbers, spaces' in body


def test_inbox_with_an_invalid_filter_still_lists_by_the_valid_ones(client, alice, bob, met):
    from tests import workflow_helpers as wf

    submitted = wf.submitted(alice, met)
    wf.under_review(alice, met, bob)
    client.force_login(bob)
    query = urlencode({"search": "a\x00b", "status": "submitted"})
    response = client.get(f"{reverse('requests_app:inbox')}?{query}")
    assert response.status_code == 200
    assert [r.reference for r in response.context["page"]] == [submitted.reference]


def test_inbox_keeps_the_filters_it_was_given(client, bob):
    client.force_login(bob)
    query = {
        "search": "ISP-2026",
        "status": "submitted",
        "due_before_day": "31",
        "due_before_month": "1",
        "due_before_year": "2027",
    }
    body = client.get(reverse("requests_app:inbox"), {**query, "tab": "mine"}).content.decode()
    assert 'value="ISP-2026"' in body
    assert '<option value="submitted" selected>' in body
    assert 'name="due_before_day" type="text" value="31"' in body
    assert 'name="due_before_year" type="text" value="2027"' in body
    assert '<input type="hidden" name="tab" value="mine">' in body


@pytest.mark.parametrize("name", ["requests_app:blank_request_form", "consent:blank_form"])
@pytest.mark.parametrize("marking", ["%00", "a%00b", "me%01t", "x" * 21, "<script>"])
def test_blank_form_refuses_a_marking_that_cannot_be_a_code(client, alice, name, marking):
    client.force_login(alice)
    response = client.get(f"{reverse(name)}?marking={marking}")
    assert response.status_code == 400
