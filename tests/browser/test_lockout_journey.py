"""The SPOC unlocks a colleague who was locked out of signing in (ASVS 2.2.1)."""

from __future__ import annotations

import re

from axes.models import AccessAttempt
from django.utils import timezone
from playwright.sync_api import Page, expect

from governance.accounts import lockout
from governance.people.factories import DEMO_PASSWORD
from tests.browser.conftest import assert_accessible, sign_in, sign_out


def test_the_spoc_unlocks_a_colleague_who_can_then_sign_in(
    page: Page, live_server, alice, cora
) -> None:
    # Five failures from another address: the browser's own address stays unlocked.
    AccessAttempt.objects.create(
        username=lockout.lockout_key(alice.email),
        ip_address="192.0.2.9",
        user_agent="elsewhere",
        failures_since_start=lockout.failure_limit(),
        attempt_time=timezone.now(),
    )
    sign_in(page, live_server, alice.email, DEMO_PASSWORD)
    expect(page).to_have_url(re.compile(r"/sign-in/"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("too many attempts")

    sign_in(page, live_server, cora.email, DEMO_PASSWORD)
    page.get_by_role("link", name="Sign-in lockouts").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign-in lockouts")
    row = page.get_by_role("row").filter(has_text=alice.email)
    expect(row).to_contain_text(alice.organisation.name)
    assert_accessible(page)
    row.get_by_role("button", name=f"Unlock {alice.full_name}").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        lockout.UNLOCKED_MESSAGE.format(name=alice.full_name)
    )
    expect(page.get_by_text("No accounts are locked.")).to_be_visible()
    assert_accessible(page)
    sign_out(page)

    sign_in(page, live_server, alice.email, DEMO_PASSWORD)
    expect(page).not_to_have_url(re.compile(r"/sign-in/"))
