"""Signing in and out, as an officer would."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from governance.accounts.views import SIGN_IN_FAILED_MESSAGE
from governance.people.factories import DEMO_PASSWORD
from tests.browser.conftest import assert_accessible, sign_in, sign_out


def test_spoc_signs_in_and_sees_their_organisation(page: Page, live_server, sally) -> None:
    page.goto(f"{live_server.url}/sign-in/")
    assert_accessible(page)
    sign_in(page, live_server, sally.email, DEMO_PASSWORD)
    expect(page.locator("header")).to_contain_text(sally.organisation.name)
    expect(page.get_by_role("heading", level=1)).to_contain_text(sally.full_name)
    nav = page.get_by_role("navigation", name=re.compile("Menu|Service", re.I))
    expect(nav.get_by_role("link", name="Audit")).to_be_visible()
    expect(nav.get_by_role("link", name="New request")).to_have_count(0)
    assert_accessible(page)
    sign_out(page)
    expect(page).to_have_url(re.compile(r"/sign-in/"))


def test_wrong_password_shows_one_generic_error(page: Page, live_server, sally) -> None:
    sign_in(page, live_server, sally.email, "not-the-password")
    expect(page).to_have_title(re.compile(r"^Error: "))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text(SIGN_IN_FAILED_MESSAGE)
    expect(summary).to_be_focused()
    expect(page.get_by_label("Email address")).to_have_value(sally.email)
    assert_accessible(page)


def test_pages_work_for_a_keyboard_user(page: Page, live_server, alice) -> None:
    """The skip link is the first stop and takes focus to the main content."""
    sign_in(page, live_server, alice.email, DEMO_PASSWORD)
    page.goto(f"{live_server.url}/")
    page.wait_for_load_state("load")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#main-content")).to_be_focused()
