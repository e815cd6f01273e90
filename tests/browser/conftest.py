"""Browser tests: Debian's Chromium driven by Playwright, against Django's live server."""

from __future__ import annotations

import json
import pathlib
import shutil

import pytest
from playwright.sync_api import Page

ROOT = pathlib.Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    # Debian's Chromium, never a downloaded browser build. --no-sandbox: tests run as root.
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(autouse=True)
def _no_csp_violations(request: pytest.FixtureRequest):
    """Every page keeps to the strict Content Security Policy: a violation fails the test."""
    if "page" not in request.fixturenames:
        yield
        return
    page: Page = request.getfixturevalue("page")
    violations: list[str] = []
    page.on(
        "console",
        lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    yield
    assert violations == []


def _known_govuk_conditional_reveal(rule: str, node: dict) -> bool:
    """GOV.UK Frontend sets aria-expanded on a radio or checkbox that reveals a follow-up
    question. The Design System keeps it deliberately (screen readers announce it; see
    govuk-frontend issue 979), and lists axe's report of it as a known issue."""
    html = node.get("html", "")
    return (
        rule == "aria-allowed-attr"
        and "aria-expanded" in html
        and ("govuk-radios__input" in html or "govuk-checkboxes__input" in html)
    )


def assert_accessible(page: Page) -> None:
    """axe-core: no WCAG 2.0/2.1/2.2 A or AA violations on the page as it stands."""
    # Evaluated through the DevTools protocol: the page's CSP rightly refuses injected scripts.
    page.evaluate(AXE.read_text())
    result = page.evaluate(
        """async () => await axe.run(document, {runOnly: {type: 'tag', values:
        ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})"""
    )
    violations = []
    for v in result["violations"]:
        nodes = [n for n in v["nodes"] if not _known_govuk_conditional_reveal(v["id"], n)]
        if nodes:
            violations.append(
                {"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in nodes][:3]}
            )
    assert violations == [], json.dumps(violations, indent=2)


def sign_in(page: Page, live_server, email: str, password: str) -> None:
    """Signs in with the password and, when it is right, a code from the person's authenticator
    app (given one with the known test key if they have none)."""
    from governance.people.models import User
    from tests.second_factor_helpers import next_code, totp_device

    user = User.objects.filter(email__iexact=email).first()
    device = totp_device(user) if user is not None else None
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.locator("input[name=otp_token], .govuk-error-summary").first.wait_for()
    if device is not None and "/sign-in/verify/" in page.url:
        page.get_by_label("Code from your authenticator app").fill(next_code(device))
        page.get_by_role("button", name="Continue").click()
        page.wait_for_url(lambda url: "/sign-in/" not in url)


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
