"""Random and hostile values in every form and every query parameter: a property test.

The pages, who may open them, and the query parameters each page reads come from
tests/test_url_matrix.py and tests/test_hostile_input.py. For each page, hypothesis picks a
person who may open it, one of the page's POST forms (its own, or one that posts to a POST-only
URL such as "Send" or "Confirm"), and for each field a hostile value, a random one, a list of
values, a file, or nothing at all; then values for the page's query parameters. Whatever comes:

- no server error (the test client raises the view's exception, so the trace shows the bug);
- a payload with a script tag never comes back unescaped, on the page or where it redirects;
- a POST answered with a page (200) shows the GOV.UK error summary, and a POST that is not
  accepted (anything but a redirect, or a page that shows a secret once) writes nothing: the
  row counts of the portal's tables are unchanged, and on PostgreSQL no row of them was
  inserted, updated or deleted. Only audit events of a refusal or a read may be added (a failed
  sign-in, a refusal, a search).

Each example runs inside a savepoint that is rolled back, so an accepted POST does not change the
page the next example sees; the pages of one app share one world. Deterministic (derandomize, no
example database) and bounded: a few examples per page, no shrinking.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import Client
from django.urls import Resolver404, resolve
from hypothesis import HealthCheck, Phase, given, note
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from governance.audit.models import AuditEvent
from tests import test_hostile_input as hostile
from tests import test_url_matrix as matrix

pytestmark = pytest.mark.django_db

world = matrix.world

EXAMPLES_PER_PAGE = 5
# A PDF takes a second or more to render: its few query parameters need few examples.
EXAMPLES_PER_DOWNLOAD = 2

# Markup that must come back escaped wherever it is shown.
SCRIPTS = [
    hostile.SCRIPT,
    '"><script>alert(1)</script>',
    "<img src=x onerror=alert(1)>",
    "</textarea><svg onload=alert(1)>",
]
SQL = ["' OR 1=1 --", "'; DROP TABLE governance_user; --", '" OR ""="', "1) UNION SELECT 1--"]
INVALID_DATES = ["31", "2", "0", "-1", "13", "29", "1e3", "2026-02-30", "٣", "２０２６", "9" * 30]
CONTROL = st.text(st.characters(max_codepoint=0x1F), min_size=1, max_size=8)
LONG = st.builds(
    lambda char, length: char * length,
    st.sampled_from(["x", "9", "é", "<", "\x00", " "]),
    st.integers(min_value=1_000, max_value=100_000),
)
TEXT = st.one_of(
    st.sampled_from(hostile.HOSTILE + SCRIPTS + SQL + INVALID_DATES + ["", " ", "on", "true"]),
    st.text(max_size=40),
    CONTROL,
    LONG,
    st.integers().map(str),
    st.floats(allow_nan=True).map(str),
)
# A value of the wrong kind: several values for one field, or a file where text is expected.
WRONG_TYPE = st.one_of(
    st.lists(TEXT, min_size=2, max_size=3),
    st.builds(
        lambda content: SimpleUploadedFile("evil.pdf", content, content_type="application/pdf"),
        st.binary(max_size=64),
    ),
)
# None: the field is left out.
FIELD = st.one_of(TEXT, TEXT, TEXT, WRONG_TYPE, st.none())

# Audit events a POST that is not accepted may still leave: its refusal, or what it read.
NOT_A_CHANGE = {
    "sign_in_failed",
    "permission_denied",
    "request_viewed",
    "personal_details_viewed",
    "search_made",
    "second_factor_failed",
    "passkey_refused",
}
# POST-only URLs no person opens with a GET; their forms are on other pages.
POST_ONLY = {name for name, by_role in matrix.EXPECTED.items() if 200 not in by_role.values()}
# Signing out from the header of every page: tested by its own tests, not with each page.
NOT_FUZZED = {"logout"}
# POSTs accepted with a page rather than a redirect: what they show is shown once, never put in
# a URL: a protected PDF's one-time password (protocol 8.3.2), new recovery codes (ADR 0006).
ACCEPTED_WITH_A_PAGE = {"requests_app:pdf_protected", "accounts:recovery_codes_regenerate"}
PAGES = sorted(name for name in matrix.EXPECTED if name not in POST_ONLY)
# By app ("requests_app", "accounts", ...; "portal" for the pages outside one).
GROUPS: dict[str, list[str]] = {}
for _name in PAGES:
    GROUPS.setdefault(_name.split(":")[0] if ":" in _name else "portal", []).append(_name)


def _portal_tables() -> list[str]:
    """The tables of the portal's own apps (not Django's, nor a library's), the audit trail
    apart: reads and refusals are audited."""
    root = Path(settings.BASE_DIR).resolve()
    tables = []
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if not path.is_relative_to(root) or "site-packages" in path.parts:
            continue
        tables += [
            model._meta.db_table
            for model in config.get_models()
            if model is not AuditEvent and model._meta.managed and not model._meta.proxy
        ]
    return sorted(tables)


def _snapshot(tables: list[str]) -> dict[str, tuple[int, ...]]:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {quote(table)})" for table in tables)
        )
        counts = dict(zip(tables, cursor.fetchone(), strict=True))
        if connection.vendor != "postgresql":
            return {table: (count,) for table, count in counts.items()}
        # This transaction's own inserts, updates and deletes, savepoints rolled back included.
        cursor.execute(
            "SELECT relname, n_tup_ins, n_tup_upd, n_tup_del FROM pg_stat_xact_user_tables "
            "WHERE relname = ANY(%s)",
            [tables],
        )
        writes = {name: tuple(rest) for name, *rest in cursor.fetchall()}
    return {table: (count, *writes.get(table, ())) for table, count in counts.items()}


class _Forms(HTMLParser):
    """The page's POST forms: each form's action path and its controls' names and values."""

    def __init__(self, path: str) -> None:
        super().__init__()
        self.path = path
        self.forms: list[tuple[str, list[str], dict[str, str]]] = []
        self._current: tuple[str, list[str], dict[str, str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = {key: value or "" for key, value in attrs}
        if tag == "form" and attr.get("method", "").lower() == "post":
            self._current = (urlsplit(attr.get("action", "")).path or self.path, [], {})
        elif tag in ("input", "select", "textarea", "button") and self._current:
            _, names, values = self._current
            name = attr.get("name")
            if not name or name == "csrfmiddlewaretoken":
                return
            if name not in names:
                names.append(name)
            kind = attr.get("type", "text").lower()
            if tag == "input" and kind in ("hidden", "text", "radio", "checkbox"):
                values.setdefault(name, attr.get("value", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self._current:
            self.forms.append(self._current)
            self._current = None


def _url_name(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name


def _fuzzed_forms(body: str, path: str) -> list[tuple[str, list[str], dict[str, str]]]:
    parser = _Forms(path)
    parser.feed(body)
    forms = []
    for action, names, values in parser.forms:
        name = _url_name(action)
        if action == path or (name in POST_ONLY and name not in NOT_FUZZED):
            forms.append((action, names, values))
    return forms


def _payloads(value: object) -> list[str]:
    values = value if isinstance(value, list) else [value]
    return [v for v in values if isinstance(v, str) and v in SCRIPTS]


def _check(response, what: str, sent: list[str]) -> str:
    assert response.status_code < 500, f"{what}: {response.status_code}"
    if not response.get("Content-Type", "").startswith("text/html"):
        return ""
    body = response.content.decode(errors="replace")
    for payload in sent:
        assert payload not in body, f"{what}: {payload!r} unescaped"
    return body


@pytest.fixture
def pages(world):
    """The signed-in session of each person, and each (page, person)'s first GET and forms,
    built once per test: the examples roll back what they write."""
    cookies: dict[str, dict[str, str]] = {}
    for role in matrix.ROLES:
        if world[role] is not None:
            client = Client()
            client.force_login(world[role])
            cookies[role] = {key: morsel.value for key, morsel in client.cookies.items()}
    found: dict[tuple[str, str], tuple[bool, list]] = {}

    def client_for(role: str) -> Client:
        client = Client()
        for key, value in cookies.get(role, {}).items():
            client.cookies[key] = value
        return client

    def forms_of(name: str, role: str, url: str) -> tuple[bool, list]:
        if (name, role) not in found:
            response = client_for(role).get(url)
            is_html = response.get("Content-Type", "").startswith("text/html")
            forms = []
            if response.status_code == 200 and is_html:
                forms = _fuzzed_forms(response.content.decode(), urlsplit(url).path)
            found[name, role] = (is_html, forms)
        return found[name, role]

    return client_for, forms_of


@pytest.mark.parametrize("group", sorted(GROUPS))
def test_random_and_hostile_input_is_refused_cleanly(world, pages, group):
    """The pages of one app, one after the other, on one world (building it is the slow part)."""
    for name in GROUPS[group]:
        _fuzz_page(world, pages, name)


def _fuzz_page(world, pages, name: str) -> None:
    client_for, forms_of = pages
    url = matrix._url(name, world["request"].reference)
    roles = [role for role in matrix.ROLES if matrix.EXPECTED[name][role] == 200]
    is_html, _ = forms_of(name, roles[0], url)
    tables = _portal_tables()

    @hypothesis_settings(
        max_examples=EXAMPLES_PER_PAGE if is_html else EXAMPLES_PER_DOWNLOAD,
        derandomize=True,
        database=None,
        deadline=None,
        # No shrinking: a failure is reported as found, which keeps the run's time bounded.
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(data=st.data())
    def fuzz(data) -> None:
        note(f"page {name}")
        role = data.draw(st.sampled_from(roles), label="person")
        _, forms = forms_of(name, role, url)
        with transaction.atomic():
            client = client_for(role)
            params = hostile._params(name, is_html)
            if params:
                query = {p: v for p in params if (v := data.draw(FIELD, label=p)) is not None}
                query = {p: v for p, v in query.items() if not isinstance(v, SimpleUploadedFile)}
                sent = [s for v in query.values() for s in _payloads(v)]
                _check(client.get(url, query), f"GET {url} {query!r:.200}", sent)
            if forms:
                action, names, values = data.draw(st.sampled_from(forms), label="form")
                _post(client, action, names, values, data, tables)
            transaction.set_rollback(True)

    fuzz()


def _post(client: Client, action: str, names: list[str], values: dict, data, tables) -> None:
    # A browser always sends the form's CSRF token (not checked by the test client): the body
    # is never empty.
    post = {"csrfmiddlewaretoken": "token", **values}
    for field in names:
        value = data.draw(FIELD, label=field)
        if value is None:
            post.pop(field, None)
        else:
            post[field] = value
    sent = [s for v in post.values() for s in _payloads(v)]
    what = f"POST {action} {post!r:.300}"
    before, last_event = _snapshot(tables), AuditEvent.objects.order_by("-id").first()
    if data.draw(st.booleans(), label="urlencoded"):
        body = urlencode(
            {k: v for k, v in post.items() if not isinstance(v, SimpleUploadedFile)}, doseq=True
        )
        response = client.post(action, body, content_type="application/x-www-form-urlencoded")
    else:
        response = client.post(action, post)
    body = _check(response, what, sent)
    if _url_name(action) in ACCEPTED_WITH_A_PAGE and response.status_code == 200:
        return
    if response.status_code in (301, 302, 303):
        # Accepted (or sent elsewhere): what it stored must come back escaped where it leads.
        location = response["Location"]
        if location.startswith("/"):
            _check(client.get(location), f"{what} -> GET {location}", sent)
        return
    assert _snapshot(tables) == before, f"{what}: written although not accepted"
    events = AuditEvent.objects.all()
    if last_event is not None:
        events = events.filter(id__gt=last_event.id)
    assert set(events.values_list("action", flat=True)) <= NOT_A_CHANGE, what
    if response.status_code == 200 and body:
        assert 'class="govuk-error-summary"' in body, f"{what}: no error summary"
