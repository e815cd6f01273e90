"""WCAG 2.2.1 with ASVS 3.3.2: the session ends a fixed time after sign-in however active the
person is; a warning comes first, in time to save their work, and then the sign-in page says
why."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from governance.people.factories import DEMO_PASSWORD
from tests.browser.conftest import assert_accessible, sign_in


def test_warning_before_the_absolute_limit_then_sign_in_says_why(
    page: Page, live_server, alice, settings
):
    # The warning shows 5 minutes before the end: here a few seconds after sign-in.
    settings.SESSION_ABSOLUTE_SECONDS = 300 + 8
    sign_in(page, live_server, alice.email, DEMO_PASSWORD)
    page.goto(f"{live_server.url}/requests/")
    dialog = page.get_by_role("dialog", name="You will soon be signed out")
    expect(dialog).to_be_visible(timeout=15_000)
    expect(dialog).to_contain_text("save your work now")
    assert_accessible(page)
    dialog.get_by_role("button", name="Continue").click()
    expect(dialog).to_be_hidden()
    # The end itself: the next page is the sign-in page, with the reason.
    settings.SESSION_ABSOLUTE_SECONDS = 1
    page.goto(f"{live_server.url}/requests/")
    expect(page.get_by_role("heading", name="Sign in", exact=False).first).to_be_visible()
    expect(
        page.get_by_text("You have been signed out because you signed in more than")
    ).to_be_visible()
    assert "/sign-in/" in page.url
    assert_accessible(page)
