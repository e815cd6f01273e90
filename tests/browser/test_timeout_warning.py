"""WCAG 2.2.1: a warning before the idle sign-out, with a way to stay signed in."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from governance.people.factories import DEMO_PASSWORD
from tests.browser.conftest import assert_accessible, sign_in


def test_warning_before_sign_out_keeps_what_was_typed(page: Page, live_server, alice, settings):
    settings.SESSION_COOKIE_AGE = 123  # the warning shows 2 minutes before: after 3 seconds
    sign_in(page, live_server, alice.email, DEMO_PASSWORD)
    page.goto(f"{live_server.url}/requests/new/about-you/")  # Part A, its first section
    page.get_by_label("Contact phone number").fill("020 7946 0555")
    dialog = page.get_by_role("dialog", name="You are about to be signed out")
    expect(dialog).to_be_visible(timeout=10_000)
    assert_accessible(page)
    dialog.get_by_role("button", name="Stay signed in").click()
    expect(dialog).to_be_hidden()
    expect(page.get_by_label("Contact phone number")).to_have_value("020 7946 0555")
