"""A SPOC exports their organisation's DPA 2018 s.62 log in a browser (Chromium, axe, strict
CSP)."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.utils import timezone
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


def fill_date(page: Page, name: str, day: str, month: str, year: str) -> None:
    page.locator(f"#id_{name}_day").fill(day)
    page.locator(f"#id_{name}_month").fill(month)
    page.locator(f"#id_{name}_year").fill(year)


def test_spoc_downloads_the_log_after_correcting_the_dates(
    page: Page, live_server, alice, bob, sally, met
):
    req = wf.under_review(alice, met, bob)
    audit.record(action=AuditAction.PERSONAL_DETAILS_VIEWED, actor=bob, obj=req)
    sign_in(page, live_server, sally.email, DEMO_PASSWORD)
    page.goto(f"{live_server.url}/audit/")
    page.get_by_role("link", name=re.compile("Export the data protection log")).click()
    expect(page.get_by_role("heading", name="Export the data protection log")).to_be_visible()
    assert_accessible(page)

    # The to date before the from date: the GOV.UK error summary, linking to the to date.
    fill_date(page, "date_from", "2", "4", "2026")
    fill_date(page, "date_to", "1", "4", "2026")
    page.get_by_role("button", name="Download the log (CSV)").click()
    expect(page).to_have_title(re.compile(r"^Error: "))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(
        summary.get_by_role("link", name="To date must be the same as or after the from date")
    ).to_have_attribute("href", "#id_date_to_day")
    assert_accessible(page)

    today = timezone.localdate()
    fill_date(page, "date_from", str(today.day), str(today.month), str(today.year))
    fill_date(page, "date_to", str(today.day), str(today.month), str(today.year))
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the log (CSV)").click()
    assert download.value.suggested_filename.startswith("s62-log-met-")
    with open(download.value.path(), encoding="utf-8") as file:
        rows = list(csv.DictReader(io.StringIO(file.read())))
    assert ("Consultation", req.reference) in {
        (row["Action"], row["Record reference"]) for row in rows
    }
    assert AuditEvent.objects.filter(action=AuditAction.S62_LOG_EXPORTED, actor=sally).exists()
