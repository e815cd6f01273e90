"""The second factor as an officer meets it: the first sign-in sets up an authenticator app and
shows the recovery codes once; a later sign-in asks for a code; the security page; a wrong code."""

from __future__ import annotations

import re

from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from governance.accounts import second_factor as sf
from governance.people.factories import DEMO_PASSWORD
from tests.browser.conftest import assert_accessible, sign_out
from tests.second_factor_helpers import next_code, wrong_code


def _password(page: Page, live_server, email: str) -> None:
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_first_sign_in_sets_up_the_app_and_a_later_one_asks_for_a_code(
    page: Page, live_server, alice
) -> None:
    _password(page, live_server, alice.email)
    expect(page).to_have_url(re.compile(r"/sign-in/set-up/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up your authenticator app")
    expect(page.get_by_role("img", name=re.compile("QR code"))).to_be_visible()
    key = page.locator("#totp-key").inner_text()
    assert re.fullmatch(r"([A-Z2-7]{4} ){7}[A-Z2-7]{4}", key)
    # Nothing else opens before the second factor.
    expect(page.get_by_role("navigation", name="Menu")).to_have_count(0)
    assert_accessible(page)

    device = TOTPDevice.objects.get(user=alice, confirmed=False)
    page.get_by_label("Code from your authenticator app").fill(next_code(device))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Save your recovery codes")).to_be_visible()
    codes = page.locator(".app-recovery-codes li")
    expect(codes).to_have_count(10)
    assert_accessible(page)
    page.get_by_role("link", name="I have saved my recovery codes").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(alice.full_name)

    page.get_by_role("link", name="Sign-in security").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign-in security")
    expect(page.get_by_text("You have 10 unused recovery codes")).to_be_visible()
    assert_accessible(page)
    sign_out(page)

    _password(page, live_server, alice.email)
    expect(page).to_have_url(re.compile(r"/sign-in/verify/"))
    assert_accessible(page)
    device.refresh_from_db()
    field = page.get_by_label("Code from your authenticator app")
    expect(field).to_have_attribute("autocomplete", "one-time-code")
    expect(field).to_have_attribute("inputmode", "numeric")
    field.fill(next_code(device))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(alice.full_name)


def test_a_wrong_code_is_a_clear_error(page: Page, live_server, alice) -> None:
    device = TOTPDevice.objects.create(user=alice, name=sf.TOTP_DEVICE_NAME, confirmed=True)
    _password(page, live_server, alice.email)
    expect(page).to_have_url(re.compile(r"/sign-in/verify/"))
    page.get_by_label("Code from your authenticator app").fill(wrong_code(device))
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_title(re.compile(r"^Error: "))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text(sf.WRONG_CODE_MESSAGE)
    expect(summary).to_be_focused()
    assert_accessible(page)
    page.get_by_role("link", name="Use a recovery code").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Use a recovery code")
    assert_accessible(page)
