"""Passkeys in a real browser: Chromium's virtual authenticator (DevTools protocol) stands in for
a laptop's fingerprint reader. Alice adds a passkey on her security page, signs out, and signs in
again with her password and the passkey instead of a code."""

from __future__ import annotations

import re

import pytest
from django_otp_webauthn.models import WebAuthnCredential
from playwright.sync_api import CDPSession, Page, expect

from governance.audit.models import AuditAction, AuditEvent
from governance.people.factories import DEMO_PASSWORD
from tests.browser.conftest import assert_accessible, sign_in, sign_out


@pytest.fixture
def passkey_origin(settings, live_server) -> str:
    """Passkeys are bound to localhost (the relying party) and the live server's origin."""
    assert live_server.url.startswith("http://localhost:")
    settings.OTP_WEBAUTHN_RP_ID = "localhost"
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [live_server.url]
    return live_server.url


def _virtual_authenticator(page: Page) -> CDPSession:
    """A platform authenticator that holds passkeys and verifies the person (fingerprint)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable", {"enableUI": False})
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    return cdp


def test_person_adds_a_passkey_and_signs_in_with_it(
    page: Page, live_server, passkey_origin, alice
) -> None:
    _virtual_authenticator(page)
    sign_in(page, live_server, alice.email, DEMO_PASSWORD)

    page.goto(f"{live_server.url}/account/security/")
    add = page.get_by_role("button", name="Add a passkey")
    expect(add).to_be_visible()
    expect(page.get_by_text("To add a passkey, use a browser")).to_be_hidden()
    assert_accessible(page)

    add.click()  # no name yet
    expect(page.locator("#passkey-name-error")).to_contain_text("Enter a name for the passkey")
    expect(page.get_by_label("Name this passkey")).to_be_focused()
    assert_accessible(page)

    page.get_by_label("Name this passkey").fill("Work laptop")
    add.click()
    banner = page.locator(".govuk-notification-banner")
    expect(banner).to_contain_text("Passkey ‘Work laptop’ added.")
    passkeys = page.locator(".app-passkeys .govuk-summary-list")
    expect(passkeys).to_contain_text("Work laptop")
    expect(passkeys).to_contain_text("Not used yet")
    assert_accessible(page)
    assert WebAuthnCredential.objects.get(user=alice).name == "Work laptop"

    sign_out(page)
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Email address").fill(alice.email)
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/sign-in/verify/"))
    use = page.get_by_role("button", name="Use a passkey")
    expect(use).to_be_visible()
    assert_accessible(page)

    use.click()
    page.wait_for_url(lambda url: "/sign-in/" not in url)
    expect(page.get_by_role("heading", level=1)).to_contain_text(alice.full_name)
    assert AuditEvent.objects.filter(action=AuditAction.PASSKEY_USED, actor=alice).exists()

    # The passkey that confirmed this session stays until another method has.
    page.goto(f"{live_server.url}/account/security/")
    expect(page.locator(".app-passkeys")).to_contain_text("Last used")
    page.get_by_role("link", name="Remove passkey Work laptop").click()
    expect(page.get_by_text("You confirmed it was you with this passkey")).to_be_visible()
    expect(page.get_by_role("button", name="Remove the passkey")).to_have_count(0)
    assert_accessible(page)


def test_without_webauthn_the_passkey_button_stays_hidden(
    page: Page, live_server, passkey_origin, alice
) -> None:
    """Progressive enhancement: a browser that cannot use passkeys is not offered one."""
    from tests.passkey_helpers import SoftPasskey

    SoftPasskey().stored_for(alice)
    page.add_init_script("delete window.PublicKeyCredential;")
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Email address").fill(alice.email)
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/sign-in/verify/"))
    page.wait_for_load_state("load")
    expect(page.get_by_role("button", name="Use a passkey")).to_be_hidden()
    # A person whose second step is a passkey alone is asked for no app code, and is shown the
    # way in that this browser leaves them: a recovery code.
    expect(page.get_by_role("heading", name="Use your passkey")).to_be_visible()
    expect(page.get_by_label("Code from your authenticator app")).to_have_count(0)
    expect(page.get_by_role("link", name="Use a recovery code")).to_be_visible()


def test_person_sets_up_a_passkey_instead_of_an_app_at_first_sign_in(
    page: Page, live_server, passkey_origin, colin
) -> None:
    _virtual_authenticator(page)
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Email address").fill(colin.email)
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/sign-in/set-up/"))
    expect(page.get_by_role("heading", name="Or use a passkey")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Name this passkey").fill("Office PC")
    page.get_by_role("button", name="Add a passkey").click()
    page.wait_for_url(lambda url: "/sign-in/" not in url)
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Passkey ‘Office PC’ added.")
    assert WebAuthnCredential.objects.get(user=colin).name == "Office PC"
    # A passkey set up at first sign-in came without recovery codes: the security page says so.
    expect(page).to_have_url(re.compile(r"/account/security/"))
    expect(page.locator(".govuk-warning-text")).to_contain_text("Get recovery codes now")
