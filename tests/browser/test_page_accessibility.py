"""Every page a person can reach passes the axe scan (WCAG 2.2 A/AA) under the strict CSP."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from governance.people.factories import DEMO_PASSWORD
from requests_app import workflow
from tests import workflow_helpers as wf
from tests.browser.conftest import assert_accessible, sign_in


@pytest.fixture
def requests(live_server, alice, bob, sally, met):
    under_review = wf.under_review(alice, met, bob)
    submitted = wf.submitted(alice, met)
    disclosed = wf.disclosed(alice, met, bob)
    more = wf.under_review(alice, met, bob)
    workflow.transition(
        reference=more.reference, action="request_more_information", actor=bob, note="Dates?"
    )
    draft = wf.draft(alice, met)
    return {
        "draft": draft.reference,
        "under_review": under_review.reference,
        "submitted": submitted.reference,
        "disclosed": disclosed.reference,
        "more": more.reference,
    }


def _scan(page: Page, url: str) -> None:
    page.goto(url)
    assert_accessible(page)


def test_requester_pages(page: Page, live_server, alice, requests) -> None:
    sign_in(page, live_server, alice.email, DEMO_PASSWORD)
    base = live_server.url
    for path in [
        "/requests/",
        f"/requests/{requests['submitted']}/withdraw/",
        f"/requests/{requests['disclosed']}/",
        f"/requests/{requests['disclosed']}/close/",
        f"/requests/{requests['more']}/",
        f"/requests/{requests['more']}/edit/",
        f"/requests/{requests['more']}/provide_more_information/",
        f"/requests/{requests['draft']}/",
        f"/requests/{requests['draft']}/delete/",
        "/protocol/",
        "/accessibility/",
        "/privacy/",
        "/cookies/",
        "/inbox/",  # refused: the 403 page
        "/requests/ISP-2026-999999/",  # the 404 page
    ]:
        _scan(page, base + path)
    page.goto(f"{base}/requests/{requests['disclosed']}/")
    page.get_by_role("button", name="Download a password-protected copy").click()
    assert_accessible(page)


def test_discloser_and_spoc_pages(page: Page, live_server, bob, sally, requests) -> None:
    base = live_server.url
    sign_in(page, live_server, bob.email, DEMO_PASSWORD)
    for path in [
        f"/requests/{requests['submitted']}/take/",
        f"/requests/{requests['under_review']}/more-information/",
        f"/requests/{requests['under_review']}/",
        f"/requests/{requests['under_review']}/give-back/",
        f"/requests/{requests['under_review']}/extend/",
        "/inbox/?status=under_review&assigned=me",
        "/inbox/?due_before=not-a-date",
    ]:
        _scan(page, base + path)
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, live_server, sally.email, DEMO_PASSWORD)
    for path in [f"/requests/{requests['under_review']}/assign/", "/audit/", "/breaches/"]:
        _scan(page, base + path)


def test_administrator_and_account_change_pages(
    page: Page, live_server, adam, colin, cora, council
) -> None:
    from governance.accounts import services as accounts
    from governance.accounts.services import AccountValues

    change = accounts.account_change_propose(
        proposer=adam,
        public_id=colin.public_id,
        values=AccountValues(
            organisation=council, is_requesting_officer=True, is_board_member=True
        ),
    )
    base = live_server.url
    sign_in(page, live_server, adam.email, DEMO_PASSWORD)
    for path in [
        "/manage/organisations/",
        "/manage/organisations/new/",
        "/manage/organisations/council/edit/",
        "/manage/accounts/",
        f"/manage/accounts/?organisation={council.pk}&search=col",
        "/manage/accounts/new/",
        f"/manage/accounts/{colin.public_id}/",
        f"/manage/accounts/{cora.public_id}/change/",
        f"/manage/accounts/{colin.public_id}/deactivate/",
        f"/manage/accounts/{colin.public_id}/password-link/",
        "/manage/changes/",
        f"/manage/changes/{change.public_id}/",
    ]:
        _scan(page, base + path)
    # A form with errors: the error summary and inline errors.
    page.goto(base + "/manage/accounts/new/")
    page.get_by_role("button", name="Create the account").click()
    assert_accessible(page)
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, live_server, cora.email, DEMO_PASSWORD)
    for path in [
        "/manage/changes/",
        f"/manage/changes/{change.public_id}/",
        f"/manage/changes/{change.public_id}/reject/",
    ]:
        _scan(page, base + path)


def test_password_pages(page: Page, live_server, bob) -> None:
    from django.contrib.auth.tokens import default_token_generator

    base = live_server.url
    token = default_token_generator.make_token(bob)
    for path in [
        "/account/forgotten-password/",
        f"/account/set-password/{bob.public_id}/{token}/",
        f"/account/set-password/{bob.public_id}/expired-token/",
    ]:
        _scan(page, base + path)
    page.goto(base + "/account/forgotten-password/")
    page.get_by_label("Email address").fill("someone@met.example")
    page.get_by_role("button", name="Send the link").click()
    assert_accessible(page)


def test_spoc_gives_a_reason_to_see_personal_details(
    page: Page, live_server, sally, requests
) -> None:
    """7.4 vs 10.5.2: the SPOC reads the summary, then states why before the details open."""
    from requests_app.models import InformationRequest

    reference = requests["under_review"]
    subject = InformationRequest.objects.get(reference=reference).subject_name
    sign_in(page, live_server, sally.email, DEMO_PASSWORD)
    page.goto(f"{live_server.url}/requests/{reference}/")
    assert subject not in page.content()
    assert_accessible(page)
    page.get_by_role("link", name="View personal details, giving your reason").click()
    assert_accessible(page)
    page.get_by_role("button", name="View personal details").click()
    assert "Enter why you need to see the personal details" in page.content()
    assert_accessible(page)
    page.get_by_label("Why do you need to see the personal details?").fill(
        "Checking the request before reassigning it to a colleague."
    )
    page.get_by_role("button", name="View personal details").click()
    page.wait_for_url(f"**/requests/{reference}/")
    assert subject in page.content()
    assert "Reasons given to view personal details" in page.content()
    assert_accessible(page)


def test_requester_deletes_a_draft(page: Page, live_server, alice, requests) -> None:
    reference = requests["draft"]
    sign_in(page, live_server, alice.email, DEMO_PASSWORD)
    page.goto(f"{live_server.url}/requests/{reference}/")  # a draft: its task list
    page.get_by_role("link", name="Delete draft").click()
    assert_accessible(page)
    page.get_by_role("button", name="Delete draft").click()
    page.wait_for_url("**/requests/")
    assert f"Draft {reference} deleted." in page.content()
    assert_accessible(page)
