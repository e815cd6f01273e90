"""A Council officer asks the Met for information; a Met disclosing officer discloses it."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from governance.audit.models import AuditAction, AuditEvent
from governance.people.factories import DEMO_PASSWORD
from requests_app.models import DecisionRecord, InformationRequest, Status
from tests import workflow_helpers as wf
from tests.browser.conftest import assert_accessible, sign_in, sign_out


@pytest.fixture
def people(live_server, alice, bob, sally):
    return {"alice": alice, "bob": bob, "sally": sally}


def _fill_date(page: Page, field: str, date: datetime.date) -> None:
    page.locator(f"#id_{field}_day").fill(str(date.day))
    page.locator(f"#id_{field}_month").fill(str(date.month))
    page.locator(f"#id_{field}_year").fill(str(date.year))


def test_council_request_to_met_is_disclosed(page: Page, live_server, people) -> None:
    alice, bob = people["alice"], people["bob"]
    due = timezone.localdate() + datetime.timedelta(days=10)

    # The Council's requesting officer files Part A.
    sign_in(page, live_server, alice.email, DEMO_PASSWORD)
    expect(page.get_by_text(alice.full_name).first).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="New request").first.click()
    expect(page.get_by_role("heading", name="Part A – information requested")).to_be_visible()
    tasks = page.locator(".govuk-task-list")
    expect(tasks.locator("li", has_text="About the person")).to_contain_text("Cannot start yet")
    assert_accessible(page)

    # About you: prefilled from the profile. Missing the partner shows the GOV.UK error summary,
    # and keeps what was typed.
    page.get_by_role("link", name="About you").click()
    page.get_by_label("Contact phone number").fill("020 7946 0999")
    page.get_by_role("button", name="Save and continue").click()
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    expect(page.get_by_label("Contact phone number")).to_have_value("020 7946 0999")
    assert_accessible(page)
    page.get_by_label("Which partner organisation are you asking?").select_option(
        label="Metropolitan Police Service, Haringey Borough"
    )
    page.get_by_role("button", name="Save and continue").click()

    # The first section saved the draft: the task list shows what is done and what is not.
    req = InformationRequest.objects.get()
    expect(page.get_by_text(f"Draft request {req.reference} saved.")).to_be_visible()
    expect(tasks.locator("li", has_text="About you")).to_contain_text("Completed")
    expect(tasks.locator("li", has_text="Consent and public interest")).to_contain_text(
        "Cannot start yet"
    )
    assert_accessible(page)

    page.get_by_role("link", name="About the person").click()
    assert_accessible(page)
    page.get_by_label("Name", exact=True).fill("Sam Example")
    page.locator("#id_subject_address").fill("Flat 1, 2 Example Road, London N17 0ZZ")
    _fill_date(page, "subject_dob", datetime.date(1990, 3, 27))
    page.get_by_label("Suspect").check()
    page.get_by_role("button", name="Save and continue").click()

    page.get_by_role("link", name="What you need and why").click()
    page.get_by_label("Describe the information required").fill(
        "Incidents at the address in the last year, for an ASB injunction application."
    )
    _fill_date(page, "required_by", due)
    # The reason it is urgent shows only under "Yes".
    expect(page.get_by_label("Reason it is urgent")).to_be_hidden()
    page.locator("input[name=is_urgent][value=yes]").check()
    expect(page.get_by_label("Reason it is urgent")).to_be_visible()
    assert_accessible(page)
    page.locator("input[name=is_urgent][value=no]").check()
    expect(page.get_by_label("Reason it is urgent")).to_be_hidden()
    page.get_by_role("button", name="Save and continue").click()

    # A suspect: no consent question, only public interest.
    page.get_by_role("link", name="Consent and public interest").click()
    expect(
        page.get_by_role("heading", name="Is it in the public interest to disclose?")
    ).to_be_visible()
    expect(page.locator("input[name=consent_obtained]")).to_have_count(0)
    page.locator("input[name=public_interest][value=yes]").check()
    page.get_by_label("Reason disclosure is in the public interest").fill(
        "Preventing further anti-social behaviour affecting neighbours."
    )
    assert_accessible(page)
    page.get_by_role("button", name="Save and continue").click()

    page.get_by_role("link", name="Legislation").click()
    page.get_by_label("S1 – ASB").check()
    page.get_by_role("button", name="Save and continue").click()
    for section in ("About the person", "What you need and why", "Legislation"):
        expect(tasks.locator("li", has_text=section)).to_contain_text("Completed")

    # Check your answers, change one, then accept and send.
    page.get_by_role("link", name="Check and send").click()
    expect(page.get_by_role("heading", name="Check your answers before sending")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Change name (about the person)").click()
    page.get_by_label("Name", exact=True).fill("Sam Example-Jones")
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("heading", name="Check your answers before sending")).to_be_visible()
    expect(page.get_by_text("Sam Example-Jones")).to_be_visible()
    page.get_by_label("Type your full name to sign this request").fill(alice.full_name)
    page.get_by_role("button", name="Accept and send").click()
    expect(page.locator(".govuk-panel__title")).to_have_text("Request sent")
    expect(page.locator(".govuk-panel__body")).to_contain_text(req.reference)
    req.refresh_from_db()
    assert req.status == Status.SUBMITTED
    sign_out(page)

    # A Met disclosing officer takes it from the inbox: only the queue details show there.
    sign_in(page, live_server, bob.email, DEMO_PASSWORD)
    page.get_by_role("link", name="Inbox").first.click()
    expect(page.get_by_role("link", name=req.reference)).to_be_visible()
    expect(page.get_by_text("Sam Example")).to_have_count(0)
    assert_accessible(page)
    page.get_by_role("link", name=req.reference).click()
    expect(page.get_by_text("Sam Example")).to_have_count(0)
    page.get_by_role("link", name="Take this request").click()
    page.get_by_role("button", name="Take this request").click()
    expect(page.get_by_text("Sam Example").first).to_be_visible()
    page.get_by_role("link", name="Decide (Part B)").click()
    assert_accessible(page)

    # Part B with the checklist.
    for label in [
        "The request form is complete",
        "The information is necessary",
        "The information is accurate",
        "It is depersonalised",
        "It goes only to people",
        "It will be transferred securely",
    ]:
        page.get_by_label(label).check()
    for name in [
        "share_legitimate_purpose",
        "share_identifiable",
        "share_confidential",
        "share_other_lawful_reason",
    ]:
        page.locator(f"input[name={name}][value=yes]").check()
    page.locator("input[name=share_consent][value=no]").check()
    page.locator("input[name=disclosure_agreed][value=yes]").check()
    page.get_by_label("Reasons for the decision to share").fill(
        "Necessary and proportionate to prevent further ASB."
    )
    page.get_by_label("Information disclosed", exact=True).fill(
        "Three calls about noise and threats in 2026."
    )
    page.get_by_label("Type of information shared").fill("Police incident summaries")
    page.get_by_label("Through the portal").check()
    page.locator("input[name=subject_informed][value=no]").check()
    page.get_by_label("Why have they not been informed?").fill(
        "Informing would prejudice crime prevention."
    )
    page.get_by_label("Type your full name to sign Part B").fill(bob.full_name)
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_text("Decision recorded")).to_be_visible()
    sign_out(page)

    # The requester sees the disclosure and the nine-field decision record.
    sign_in(page, live_server, alice.email, DEMO_PASSWORD)
    page.goto(f"{live_server.url}/requests/{req.reference}/")
    expect(page.get_by_text("Three calls about noise and threats in 2026.")).to_be_visible()
    record = page.locator(".govuk-summary-card", has_text="Decision record")
    for letter in "abcdefghi":
        expect(record.get_by_text(f"({letter})")).to_be_visible()
    expect(record).to_contain_text("Without consent")
    expect(record).to_contain_text("Police incident summaries")
    assert_accessible(page)

    record_row = DecisionRecord.objects.get(request=req)
    assert record_row.decision == "share"
    assert AuditEvent.objects.filter(
        action=AuditAction.REQUEST_DECIDED, object_reference=req.reference
    ).exists()


def test_consent_is_asked_about_a_victim_and_public_interest_follows_a_no(
    page: Page, live_server, people, met
) -> None:
    """Branching in the task list: a victim's request asks about consent; without consent the
    public interest page follows, in the same section."""
    alice = people["alice"]
    req = wf.draft(alice, met, subject_role="victim", consent_obtained="yes")
    sign_in(page, live_server, alice.email, DEMO_PASSWORD)
    page.goto(f"{live_server.url}/requests/{req.reference}/")
    expect(page.get_by_role("heading", name="Part A – information requested")).to_be_visible()
    page.get_by_role("link", name="Consent and public interest").click()
    expect(
        page.get_by_role("heading", name="Has consent been obtained and included?")
    ).to_be_visible()
    assert_accessible(page)
    page.locator("input[name=consent_obtained][value=no]").check()
    page.get_by_role("button", name="Save and continue").click()
    expect(
        page.get_by_role("heading", name="Is it in the public interest to disclose?")
    ).to_be_visible()
    expect(page.get_by_label("Reason disclosure is in the public interest")).to_have_value(
        req.public_interest_reason
    )
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("heading", name="Part A – information requested")).to_be_visible()
    page.get_by_role("link", name="Legislation").click()
    assert_accessible(page)
