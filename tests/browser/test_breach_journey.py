"""A Met officer reports a breach; the Met's SPOC records the ICO report and closes it; a board
member reads the register."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from governance.audit.models import AuditAction, AuditEvent
from governance.breaches.models import Breach, BreachStatus, IcoDecision
from governance.people.factories import DEMO_PASSWORD
from tests.browser.conftest import assert_accessible, sign_in, sign_out


@pytest.fixture
def people(live_server, bob, sally, brenda):
    return {"bob": bob, "sally": sally, "brenda": brenda}


def _fill_date(page: Page, field: str, date: datetime.date) -> None:
    page.locator(f"#id_{field}_day").fill(str(date.day))
    page.locator(f"#id_{field}_month").fill(str(date.month))
    page.locator(f"#id_{field}_year").fill(str(date.year))


def test_breach_is_reported_recorded_and_closed(page: Page, live_server, people) -> None:
    bob, sally, brenda = people["bob"], people["sally"], people["brenda"]
    aware = timezone.localtime() - datetime.timedelta(hours=2)

    # A Met disclosing officer reports the breach.
    sign_in(page, live_server, bob.email, DEMO_PASSWORD)
    page.goto(f"{live_server.url}/breaches/new/")
    expect(page.get_by_role("heading", name="Report a breach of the protocol")).to_be_visible()
    assert_accessible(page)

    # Sent incomplete: the error summary, and what was typed is kept.
    page.get_by_label("What happened?").fill("A disclosure was posted to an old address.")
    page.get_by_role("button", name="Report the breach").click()
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    expect(page.get_by_label("What happened?")).to_have_value(
        "A disclosure was posted to an old address."
    )
    assert_accessible(page)

    _fill_date(page, "occurred_on", aware.date())
    _fill_date(page, "became_aware_on", aware.date())
    page.get_by_label("Time you became aware of it").fill(f"{aware:%H:%M}")
    page.get_by_label("What kinds of personal data were involved?").fill(
        "Name, address and offending history."
    )
    page.get_by_label("Approximately how many people are affected?").fill("1")
    page.get_by_label("What are the likely consequences").fill("Distress; risk of harm.")
    page.get_by_label("What has been done to contain").fill("The letter was recovered unopened.")
    page.get_by_label("Medium – likely to result in a risk").check()
    page.get_by_role("button", name="Report the breach").click()

    expect(page.locator(".govuk-panel__title")).to_have_text("Breach reported")
    breach = Breach.objects.get()
    expect(page.locator(".govuk-panel__body")).to_contain_text(breach.reference)
    assert_accessible(page)
    sign_out(page)

    # The Met's SPOC records the report to the ICO and closes the breach.
    sign_in(page, live_server, sally.email, DEMO_PASSWORD)
    page.goto(f"{live_server.url}/breaches/")
    expect(page.get_by_role("link", name=breach.reference)).to_be_visible()
    expect(page.get_by_text("Decide by")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=breach.reference).click()
    assert_accessible(page)
    page.get_by_role("link", name="Update the breach record").click()
    assert_accessible(page)
    reported = timezone.localtime() - datetime.timedelta(minutes=5)
    page.get_by_label("Yes, it has been reported").check()
    _fill_date(page, "ico_reported_on", reported.date())
    page.get_by_label("Time reported to the ICO").fill(f"{reported:%H:%M}")
    page.get_by_label("Closed – dealt with").check()
    page.get_by_label("Lessons learned").fill("Check the address held before posting.")
    page.get_by_role("button", name="Continue").click()

    # Check the answers before anything is saved; a change keeps the other answers.
    expect(page.get_by_role("heading", name="Check your answers")).to_be_visible()
    assert_accessible(page)
    breach.refresh_from_db()
    assert breach.ico_decision == IcoDecision.PENDING
    page.get_by_role("link", name="Change lessons learned").click()
    expect(page.get_by_label("Time reported to the ICO")).to_have_value(f"{reported:%H:%M}")
    page.get_by_label("Lessons learned").fill("Check the address held before posting anything.")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("Check the address held before posting anything.")).to_be_visible()
    page.get_by_role("button", name="Save the breach record").click()
    expect(page.get_by_text(f"Breach {breach.reference} updated.")).to_be_visible()
    assert_accessible(page)
    sign_out(page)

    breach.refresh_from_db()
    assert breach.ico_decision == IcoDecision.REPORTED
    assert breach.status == BreachStatus.CLOSED
    assert AuditEvent.objects.filter(
        action=AuditAction.BREACH_UPDATED, object_reference=breach.reference
    ).exists()

    # A Met board member reads the register, with no way to change the record.
    sign_in(page, live_server, brenda.email, DEMO_PASSWORD)
    page.goto(f"{live_server.url}/breaches/")
    row = page.locator("tr", has_text=breach.reference)
    expect(row).to_contain_text("Reported")
    expect(row).to_contain_text("Closed")
    page.get_by_role("link", name=breach.reference).click()
    expect(page.get_by_role("link", name="Update the breach record")).to_have_count(0)
    assert_accessible(page)
