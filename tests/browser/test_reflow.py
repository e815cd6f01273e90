"""WCAG 1.4.10 Reflow: no page of the URL matrix scrolls sideways, at 320 px (WCAG's width),
375 px (a phone) or 1,280 px (a laptop), and each is axe clean at 375 and 1,280 px.

The pages and who may open them come from tests/test_url_matrix.py: every URL name a persona
may GET (200, HTML) is opened by one such persona, each persona in one browser context signed
in once. The lists also get a few requests in every open state, so their tags and deadlines
are on the page, and their tabs and search are opened too.
"""

from __future__ import annotations

import datetime
import json

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page
from playwright.sync_api import Error as PlaywrightError

from governance.people.factories import DEMO_PASSWORD
from requests_app.models import InformationRequest
from tests import test_url_matrix as matrix
from tests import workflow_helpers as wf
from tests.browser.conftest import AXE, _known_govuk_conditional_reveal, sign_in

world = matrix.world

WIDTHS = (320, 375, 1280)
# axe's checks do not change between the two phone widths: scanned at 375 and 1,280 only.
AXE_WIDTHS = (375, 1280)
HEIGHT = 900
# Who opens a page that several may open: the fewest personas that reach every page.
PREFERRED = [
    "requester",
    "spoc",
    "assigned_discloser",
    "administrator",
    "anonymous",
    "unassigned_discloser",
    "same_org_officer",
    "third_org_officer",
    "board_member",
]
# The lists' other views: their tabs, a search and a filter in error.
EXTRA = {
    "requester": [
        "/requests/?tab=drafts",
        "/requests/?tab=closed",
        "/requests/?search=Sam+Example",
    ],
    "assigned_discloser": [
        "/inbox/?tab=mine",
        "/inbox/?tab=unassigned",
        "/inbox/?tab=closed",
        "/inbox/?search=Met&due_before_day=31&due_before_month=2&due_before_year=2027",
    ],
    "spoc": ["/audit/?highlight=refused", "/inbox/?tab=closed"],
}


def _more_requests(world) -> None:
    """A request in each state the lists show, one overdue and one urgent."""
    alice, bob = world["requester"], world["assigned_discloser"]
    met = world["request"].receiving_organisation
    wf.draft(alice, met)
    urgent = wf.submitted(alice, met, is_urgent=True, urgency_reason="Court hearing tomorrow")
    InformationRequest.objects.filter(pk=urgent.pk).update(
        due_date=timezone.localdate() - datetime.timedelta(days=3)
    )
    wf.sent_back(alice, met, bob)
    wf.disclosed(alice, met, bob)


# Downloads (PDF, JSON), not pages: their names say so. Anything else that is not a page is
# caught by its content type.
_NOT_PAGES = ("pdf", "blank", "attachment", "download", "healthz")


def _pages(world) -> dict[str, list[str]]:
    """For each persona, the pages it opens: one persona per GET page of the matrix."""
    reference = world["request"].reference
    pages: dict[str, list[str]] = {}
    for name, expected in sorted(matrix.EXPECTED.items()):
        role = next((r for r in PREFERRED if expected[r] == 200), None)
        if role is None or any(word in name for word in _NOT_PAGES):
            continue
        pages.setdefault(role, []).append(matrix._url(name, reference))
    for role, urls in EXTRA.items():
        pages.setdefault(role, []).extend(urls)
    return pages


def _overflow(page: Page) -> int:
    """How many pixels the page is wider than the window (0 when it does not scroll)."""
    return page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")


def _axe_violations(page: Page) -> list[dict]:
    """axe-core as tests/browser/conftest.assert_accessible runs it (the same WCAG 2.2 A/AA
    tags and known GOV.UK exception), injected once per page and asked for violations only."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text())
    result = page.evaluate(
        """async () => await axe.run(document, {resultTypes: ['violations'], runOnly:
        {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})"""
    )
    violations = []
    for v in result["violations"]:
        nodes = [n for n in v["nodes"] if not _known_govuk_conditional_reveal(v["id"], n)]
        if nodes:
            violations.append({"id": v["id"], "nodes": [n["target"] for n in nodes][:3]})
    return violations


def _check(page: Page, url: str, failures: list[str]) -> bool:
    """Open the page at each width; False when it is not an HTML page of 200."""
    try:
        response = page.goto(url)
    except PlaywrightError:
        return False  # a download
    if response is None or response.status != 200:
        failures.append(f"{url}: {response.status if response else 'no response'}")
        return False
    if not response.headers.get("content-type", "").startswith("text/html"):
        return False
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": HEIGHT})
        extra = _overflow(page)
        if extra > 0:
            failures.append(f"{url} at {width}px: {extra}px too wide")
        if width not in AXE_WIDTHS:
            continue
        violations = _axe_violations(page)
        if violations:
            failures.append(f"{url} at {width}px: axe {violations}")
    return True


@pytest.mark.django_db(transaction=True)
def test_no_page_scrolls_sideways_and_each_is_accessible(
    browser: Browser, live_server, world
) -> None:
    _more_requests(world)
    pages = _pages(world)
    failures: list[str] = []
    csp: list[str] = []
    checked: set[str] = set()
    for role, urls in pages.items():
        context = browser.new_context(viewport={"width": WIDTHS[-1], "height": HEIGHT})
        page = context.new_page()
        page.on(
            "console",
            lambda msg: csp.append(msg.text) if "Content Security Policy" in msg.text else None,
        )
        try:
            if world[role] is not None:
                sign_in(page, live_server, world[role].email, DEMO_PASSWORD)
                page.wait_for_url(f"{live_server.url}/")
            for url in urls:
                if _check(page, live_server.url + url, failures):
                    checked.add(url.split("?")[0])
        finally:
            context.close()
    assert failures == [], json.dumps(failures, indent=2)
    assert csp == []
    # The run covered the lists and the pages of each kind of person, not an empty set.
    assert {"/", "/inbox/", "/requests/", "/audit/", "/breaches/", "/sign-in/"} <= checked
    assert len(checked) > 30


def test_overflow_is_measured(page: Page, live_server) -> None:
    """The measure can fail: a page wider than the window is caught."""
    page.set_viewport_size({"width": 375, "height": HEIGHT})
    page.goto(f"{live_server.url}/protocol/")
    assert _overflow(page) <= 0
    page.evaluate(
        "() => { const d = document.createElement('div');"
        " d.textContent = 'x'.repeat(400); d.style.whiteSpace = 'nowrap';"
        " document.body.append(d); }"
    )
    assert _overflow(page) > 0
