"""The inbox table sorts by column in the browser (MOJ sortable table), and stays accessible."""

from __future__ import annotations

import datetime

from django.utils import timezone
from playwright.sync_api import Page, expect

from governance.people.factories import DEMO_PASSWORD
from requests_app.models import InformationRequest
from tests import workflow_helpers as wf
from tests.browser.conftest import assert_accessible, sign_in


def test_inbox_sorts_by_date_required(page: Page, live_server, alice, bob, met) -> None:
    soon = wf.submitted(alice, met)
    later = wf.submitted(alice, met)
    InformationRequest.objects.filter(pk=later.pk).update(
        required_by=timezone.localdate() + datetime.timedelta(days=60)
    )
    sign_in(page, live_server, bob.email, DEMO_PASSWORD)
    page.goto(f"{live_server.url}/inbox/")
    rows = page.locator("tbody tr td:first-child a")
    expect(rows).to_have_text([soon.reference, later.reference])
    header = page.get_by_role("button", name="Required by")
    header.click()  # ascending: unchanged
    header.click()  # descending
    expect(rows).to_have_text([later.reference, soon.reference])
    assert_accessible(page)
