"""A Council officer records the signed Consent form on their request; the Met's disclosing
officer later records that the person withdrew it (protocol 5.1)."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from consent.models import ConsentRecord
from governance.audit.models import AuditAction, AuditEvent
from governance.people.factories import DEMO_PASSWORD
from tests import workflow_helpers as wf
from tests.browser.conftest import assert_accessible, sign_in, sign_out


@pytest.fixture
def req(live_server, alice, bob, met):
    """A request about a 15-year-old: their guardian consents for them (App. G 2)."""
    today = timezone.localdate()
    return wf.under_review(alice, met, bob, subject_dob=today.replace(year=today.year - 15, day=1))


def _fill_date(page: Page, field: str, date: datetime.date) -> None:
    page.locator(f"#id_{field}_day").fill(str(date.day))
    page.locator(f"#id_{field}_month").fill(str(date.month))
    page.locator(f"#id_{field}_year").fill(str(date.year))


def test_consent_is_recorded_then_withdrawn(page: Page, live_server, alice, bob, req) -> None:
    signed = timezone.localdate() - datetime.timedelta(days=1)

    sign_in(page, live_server, alice.email, DEMO_PASSWORD)
    page.goto(f"{live_server.url}/requests/{req.reference}/consent/")
    expect(page.get_by_text("No consent has been recorded for this request.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Record consent").click()
    expect(page.get_by_role("heading", name="Record consent")).to_be_visible()
    assert_accessible(page)

    # Reasons not explained: the GOV.UK error summary, and what was typed is kept.
    page.locator("input[name=about_signer][value=no]").check()
    page.get_by_label("Guardian").check()
    page.locator("input[name=reasons_explained][value=no]").check()
    page.get_by_label("Personal information and any relevant information").fill(
        "Supporting an application for an ASB injunction."
    )
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_title(re.compile(r"^Error: "))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("consent must be informed")
    expect(page.get_by_label("Personal information and any relevant information")).to_have_value(
        "Supporting an application for an ASB injunction."
    )
    assert_accessible(page)

    page.locator("input[name=reasons_explained][value=yes]").check()
    page.locator("input[name=child_sufficient_understanding][value=no]").check()
    page.get_by_label("Signer's name").fill("Pat Guardian")
    page.get_by_label("Signer's address").fill("3 Example Road, London N17 0ZZ")
    _fill_date(page, "signer_dob", datetime.date(1970, 5, 4))
    _fill_date(page, "signed_on", signed)
    page.get_by_label("Paper Consent form signed and kept on file").check()
    page.get_by_label("Where is the signed paper form held?").fill("Council ASB case file 2026/1")
    _fill_date(page, "witnessed_on", signed)
    page.get_by_role("button", name="Continue").click()

    # Check the answers before anything is saved.
    expect(page.get_by_role("heading", name="Check your answers")).to_be_visible()
    expect(page.get_by_text("Pat Guardian")).to_be_visible()
    assert_accessible(page)
    assert not ConsentRecord.objects.exists()
    page.get_by_role("button", name="Record consent").click()

    expect(page.get_by_text(f"Consent recorded for request {req.reference}.")).to_be_visible()
    expect(page.get_by_text("Pat Guardian, guardian").first).to_be_visible()
    assert_accessible(page)
    sign_out(page)

    # The Met's assigned disclosing officer records the withdrawal.
    sign_in(page, live_server, bob.email, DEMO_PASSWORD)
    page.goto(f"{live_server.url}/requests/{req.reference}/consent/")
    page.get_by_role("link", name=re.compile("^View")).click()
    page.get_by_role("link", name="Record withdrawal").click()
    assert_accessible(page)
    page.get_by_label("Other").check()
    page.get_by_label("How they withdrew it").fill("Letter to the Council")
    _fill_date(page, "withdrawn_on", timezone.localdate())
    page.get_by_role("button", name="Record withdrawal").click()
    expect(page.get_by_text("The withdrawal of consent has been recorded.")).to_be_visible()
    expect(page.get_by_role("heading", name="Consent withdrawn")).to_be_visible()
    assert_accessible(page)

    record = ConsentRecord.objects.get()
    assert not record.is_active
    assert record.withdrawn_by == bob
    assert AuditEvent.objects.filter(
        action=AuditAction.CONSENT_WITHDRAWN, object_reference=req.reference
    ).exists()
