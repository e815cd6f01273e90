"""The more-information loop as its users run it (issue 16): the Met's disclosing officer asks a
question, the Council's requester replies in the thread and sends the request back, the clock
restarts with the due date moved on by the working days it stood, and the officer decides before
the due date. axe-clean on each page."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from governance.people.factories import DEMO_PASSWORD
from requests_app import deadlines
from requests_app.models import ClockStop, InformationRequest, RequestMessage, Status
from tests import workflow_helpers as wf
from tests.browser.conftest import assert_accessible, sign_in, sign_out

QUESTION = "Which period do the incidents need to cover?"
REPLY = "January to June 2026 only; I have narrowed the request."


def _long_date(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


@pytest.fixture
def under_review(live_server, alice, bob, met) -> InformationRequest:
    return wf.under_review(alice, met, bob)


def test_question_reply_clock_restart_and_decision_on_time(
    page: Page, live_server, under_review, alice, bob
) -> None:
    req = under_review
    url = f"{live_server.url}/requests/{req.reference}/"

    # The disclosing officer reads what is asked and by when, and asks a question.
    sign_in(page, live_server, bob.email, DEMO_PASSWORD)
    page.goto(url)
    expect(page.get_by_role("heading", name="What is being asked and by when")).to_be_visible()
    expect(page.locator("#protective-marking")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Ask for more information").click()
    assert_accessible(page)
    page.get_by_label("What more information do you need?").fill(QUESTION)
    page.get_by_role("button", name="Send back to the requester").click()
    expect(page.get_by_text("The requester has been asked for more information.")).to_be_visible()
    expect(
        page.locator(".moj-timeline__title", has_text="More information asked for")
    ).to_be_visible()
    assert_accessible(page)
    sign_out(page)

    # The clock is moved: the question was asked a week ago.
    stopped = timezone.now() - datetime.timedelta(days=7)
    ClockStop.objects.filter(request=req, restarted_at__isnull=True).update(stopped_at=stopped)
    InformationRequest.objects.filter(pk=req.pk).update(clock_stopped_at=stopped)
    due_before = InformationRequest.objects.get(pk=req.pk).due_date
    stood = deadlines.working_days_between(timezone.localdate(stopped), timezone.localdate())
    new_due = deadlines.add_working_days(due_before, stood)

    # The requester changes Part A as the question asks, through the same section pages as a
    # draft, then replies in the thread and sends the request back, signed again.
    sign_in(page, live_server, alice.email, DEMO_PASSWORD)
    page.goto(url)
    expect(page.get_by_text(QUESTION).first).to_be_visible()
    expect(page.locator(".govuk-tag", has_text="Clock stopped")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Change your request").click()
    expect(page.get_by_role("heading", name="Change your request")).to_be_visible()
    expect(page.get_by_text(QUESTION)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="What you need and why").click()
    page.get_by_label("Describe the information required").fill(
        "Incidents at the address, January to June 2026."
    )
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("heading", name="Change your request")).to_be_visible()
    page.get_by_role("link", name="Reply and send again").click()
    expect(page.get_by_text("January to June 2026").first).to_be_visible()
    assert_accessible(page)
    page.goto(url)

    # Sending without a reply is refused, on the page, in the GOV.UK pattern.
    page.get_by_label("Type your full name to sign this request").fill(alice.full_name)
    page.get_by_role("button", name="Sign and send the updated request").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter your reply")
    assert_accessible(page)
    page.get_by_label("Your reply to the disclosing officer").fill(REPLY)
    page.get_by_label("Type your full name to sign this request").fill(alice.full_name)
    page.get_by_role("button", name="Sign and send the updated request").click()
    expect(page.get_by_text("under review", exact=False).first).to_be_visible()
    page.goto(url)
    thread = page.locator("#conversation + .moj-timeline")
    expect(thread).to_contain_text(REPLY)
    expect(thread).to_contain_text(f"by {alice.full_name}")
    expect(thread).to_contain_text(f"{stood} working days added to the due date")
    expect(page.get_by_text(f"Reply due by {_long_date(new_due)}")).to_be_visible()
    assert_accessible(page)
    sign_out(page)

    req.refresh_from_db()
    assert req.status == Status.UNDER_REVIEW
    assert req.due_date == new_due
    assert req.messages.filter(kind=RequestMessage.Kind.REPLY, text=REPLY).exists()

    # The disclosing officer sees the reply and the new due date, and decides before it.
    sign_in(page, live_server, bob.email, DEMO_PASSWORD)
    page.goto(url)
    asked = page.locator("#asked + .govuk-summary-list")
    expect(asked).to_contain_text(_long_date(new_due))
    expect(page.locator("#conversation + .moj-timeline")).to_contain_text(REPLY)
    assert_accessible(page)
    page.get_by_role("link", name="Decide (Part B)").click()
    expect(page.locator("#protective-marking")).to_be_visible()
    assert_accessible(page)
    # Part B, by field name: its wording is the decision page's own concern.
    for name, ticked in wf.GOOD_CHECKS.items():
        if ticked:
            page.locator(f"input[name=checks][value={name}]").check()
    for name, answer in wf.WHEN_TO_SHARE_YES.items():
        page.locator(f"input[name={name}][value={answer}]").check()
    page.locator("input[name=disclosure_agreed][value=yes]").check()
    page.locator("[name=decision_reasons]").fill(
        "Necessary and proportionate to prevent further ASB."
    )
    page.locator("[name=information_disclosed]").fill("Two calls about noise in March 2026.")
    page.locator("[name=information_type]").fill("Police incident summaries")
    page.locator("input[name=delivery_method][value=portal]").check()
    page.locator("input[name=subject_informed][value=no]").check()
    page.locator("[name=subject_not_informed_reason]").fill(
        "Informing would prejudice crime prevention."
    )
    page.locator("[name=signature_name]").fill(bob.full_name)
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_text("Decision recorded")).to_be_visible()
    assert_accessible(page)
    sign_out(page)

    req.refresh_from_db()
    assert req.status == Status.DISCLOSED
    assert timezone.localdate(req.decided_at) <= req.due_date  # decided on time

    # The requester reads the outcome first, and what they must now do with it.
    sign_in(page, live_server, alice.email, DEMO_PASSWORD)
    page.goto(url)
    expect(page.locator("#outcome")).to_contain_text("Two calls about noise in March 2026.")
    expect(page.get_by_role("heading", name="What you must do with it now")).to_be_visible()
    assert_accessible(page)
