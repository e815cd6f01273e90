"""A SPOC reviews their organisation's audit trail in a browser (Chromium, axe, strict CSP)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from governance.audit import trail as audit
from governance.audit.models import AuditAction, AuditEvent
from governance.people.factories import DEMO_PASSWORD
from tests import workflow_helpers as wf
from tests.browser.conftest import (  # noqa: F401 - fixtures of the browser suite
    _no_csp_violations,
    assert_accessible,
    browser_type_launch_args,
    sign_in,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def trail(live_server, alice, bob, charlie, sally, met):
    req = wf.under_review(alice, met, bob)
    audit.record(action=AuditAction.SIGNED_IN, actor=bob)
    audit.record(action=AuditAction.PERMISSION_DENIED, actor=charlie, obj=req, detail="GET")
    return req


def test_spoc_filters_the_trail_and_downloads_it(page: Page, live_server, sally, bob, trail):
    sign_in(page, live_server, sally.email, DEMO_PASSWORD)
    page.get_by_role("link", name="Audit").first.click()
    expect(page.get_by_role("heading", name="Audit trail")).to_be_visible()
    expect(page.get_by_role("cell", name=trail.reference).first).to_be_visible()
    assert_accessible(page)

    # A date that does not exist: the GOV.UK error summary, focused, linking to the day box.
    page.locator("#id_date_from_day").fill("31")
    page.locator("#id_date_from_month").fill("2")
    page.locator("#id_date_from_year").fill("2026")
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_title(re.compile(r"^Error: "))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link", name="From date must be a real date")).to_have_attribute(
        "href", "#id_date_from_day"
    )
    expect(page.locator("#id_date_from_day")).to_have_value("31")
    assert_accessible(page)

    # A good filter: the selected filter shows as a tag that removes itself.
    page.locator("#id_date_from_day").fill("")
    page.locator("#id_date_from_month").fill("")
    page.locator("#id_date_from_year").fill("")
    page.get_by_label("Person").select_option(label=bob.full_name)
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator(".moj-filter__tag")).to_have_text(re.compile(bob.full_name))
    rows = page.locator("tbody .govuk-table__row")
    expect(rows).to_have_count(AuditEvent.objects.filter(actor=bob).count())
    assert_accessible(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Download these events (CSV)").click()
    assert download.value.suggested_filename.startswith("audit-met-")
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT_MADE, actor=sally).exists()

    page.locator(".moj-filter__tag").click()
    expect(page.locator(".moj-filter__tag")).to_have_count(0)


def test_highlight_preset_lists_refused_accesses(page: Page, live_server, sally, trail):
    sign_in(page, live_server, sally.email, DEMO_PASSWORD)
    page.goto(f"{live_server.url}/audit/")
    page.get_by_role("link", name="Show refused accesses").click()
    rows = page.locator("tbody .govuk-table__row")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Permission denied")
    assert_accessible(page)


def test_filters_stay_usable_on_a_small_screen(page: Page, live_server, sally, trail):
    page.set_viewport_size({"width": 375, "height": 800})
    sign_in(page, live_server, sally.email, DEMO_PASSWORD)
    page.goto(f"{live_server.url}/audit/")
    show = page.get_by_role("button", name="Show filter")
    if show.count():  # MOJ's filter toggle, when the page's script starts it
        show.click()
    apply = page.get_by_role("button", name="Apply filters")
    expect(apply).to_be_visible()
    # The panel sits in the page's flow, below the heading, never over it.
    heading = page.get_by_role("heading", name="Audit trail").bounding_box()
    panel = page.locator(".moj-filter").bounding_box()
    assert heading is not None
    assert panel is not None
    assert panel["y"] >= heading["y"] + heading["height"]
    assert_accessible(page)
