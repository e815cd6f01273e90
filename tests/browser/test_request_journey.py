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
    assert_accessible(page)

    # Sending it empty shows the GOV.UK error summary, and keeps what was typed.
    page.get_by_label("Contact phone number").fill("020 7946 0999")
    page.get_by_role("button", name="Save and check your answers").click()
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    expect(page.get_by_label("Contact phone number")).to_have_value("020 7946 0999")
    assert_accessible(page)

    page.get_by_label("Which partner organisation are you asking?").select_option(
        label="Metropolitan Police Service, Haringey Borough"
    )
    page.get_by_label("Describe the information required").fill(
        "Incidents at the address in the last year, for an ASB injunction application."
    )
    page.get_by_label("Name", exact=True).nth(0).fill("Sam Example")
    page.locator("#id_subject_address").fill("Flat 1, 2 Example Road, London N17 0ZZ")
    _fill_date(page, "subject_dob", datetime.date(1990, 3, 27))
    page.get_by_label("Suspect").check()
    _fill_date(page, "required_by", due)
    page.locator("input[name=is_urgent][value=no]").check()
    page.locator("input[name=public_interest][value=yes]").check()
    page.get_by_label("Reason disclosure is in the public interest").fill(
        "Preventing further anti-social behaviour affecting neighbours."
    )
    page.get_by_label("S1 – ASB").check()
    page.get_by_role("button", name="Save and check your answers").click()

    # Check your answers, then sign and send.
    expect(page.get_by_text("Check your answers before sending your request")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Type your full name to sign this request").fill(alice.full_name)
    page.get_by_role("button", name="Sign and send request").click()
    expect(page.locator(".govuk-panel__title")).to_have_text("Request sent")
    req = InformationRequest.objects.get()
    expect(page.locator(".govuk-panel__body")).to_contain_text(req.reference)
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
    page.get_by_label("If not, why not?").fill("Informing would prejudice crime prevention.")
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
