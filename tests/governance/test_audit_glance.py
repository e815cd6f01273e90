"""/audit/ reads at a glance: a result count, dates on one line, no column holding one value,
each row linked to the request or breach its reader may open, what was viewed or printed."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from governance.audit import trail as audit
from governance.audit.models import AuditAction
from governance.breaches import permissions as breach_permissions
from governance.breaches.models import Breach
from requests_app import permissions as request_permissions
from tests import workflow_helpers as wf
from tests.test_url_matrix import _met_breach

pytestmark = pytest.mark.django_db

URL = reverse("oversight:audit")


def _rows(response) -> list:
    assert response.status_code == 200
    return response.context["rows"]


def test_rows_link_to_what_their_reader_may_open(client, alice, bob, sally, cora, met):
    req = wf.under_review(alice, met, bob)
    _met_breach(reporter=bob)
    breach = Breach.objects.get()
    for spoc in (sally, cora):
        client.force_login(spoc)
        rows = _rows(client.get(URL))
        for row in rows:
            event = row.event
            if event.object_reference == req.reference:
                # The rule of the request page, not another one.
                may_open = request_permissions.can_view_summary(spoc, req)
                assert (row.href == reverse("requests_app:detail", args=[req.reference])) is (
                    may_open
                ), (spoc, event.action)
                assert may_open is (spoc == sally)
                if not may_open:
                    assert row.href == ""
            if event.object_reference == breach.reference:
                may_open = breach_permissions.can_view(spoc, breach)
                expected = reverse("breaches:detail", args=[breach.reference]) if may_open else ""
                assert row.href == expected
    client.force_login(sally)
    body = client.get(URL).content.decode()
    assert f'href="/requests/{req.reference}/">{req.reference}</a>' in body
    assert f'href="/breaches/{breach.reference}/">{breach.reference}</a>' in body


def test_what_was_viewed_or_printed_is_named(client, alice, bob, sally, met):
    req = wf.under_review(alice, met, bob)
    audit.record(
        action=AuditAction.PDF_PRINTED, actor=bob, obj=req, detail="Request/Disclosure form"
    )
    audit.record(action=AuditAction.PERSONAL_DETAILS_VIEWED, actor=bob, obj=req)
    audit.record(action=AuditAction.REQUEST_VIEWED, actor=sally, obj=req)
    client.force_login(sally)
    rows = _rows(client.get(URL))
    named = {(row.event.action, row.what) for row in rows[:3]}
    assert named == {
        (AuditAction.REQUEST_VIEWED, "Request page"),
        (AuditAction.PERSONAL_DETAILS_VIEWED, "Request page"),
        (AuditAction.PDF_PRINTED, "Request/Disclosure form"),
    }
    assert "Request/Disclosure form" in client.get(URL).content.decode()


def test_no_column_repeats_one_value(client, alice, bob, sally, met):
    req = wf.under_review(alice, met, bob)
    client.force_login(sally)
    body = client.get(URL).content.decode()
    headers = re.findall(r'<th scope="col" class="govuk-table__header">(\w+)</th>', body)
    assert headers == ["Date", "Who", "What", "Reference"]  # no Organisation column
    # The organisation is named only for people of another organisation.
    rows = _rows(client.get(URL))
    assert {row.other_organisation for row in rows if row.event.actor == bob} == {""}
    assert {row.other_organisation for row in rows if row.event.actor == alice} == {
        alice.organisation.name
    }
    by_person = client.get(URL, {"person": bob.email}).content.decode()
    assert ">Who</th>" not in by_person
    by_reference = client.get(URL, {"reference": req.reference}).content.decode()
    assert ">Reference</th>" not in by_reference
    assert ">Who</th>" in by_reference


def test_dates_stay_on_one_line_and_the_count_is_shown(client, bob, sally):
    for _ in range(3):
        audit.record(action=AuditAction.SIGNED_IN, actor=bob)
    client.force_login(sally)
    body = client.get(URL).content.decode()
    assert "3 events involving" in body
    assert re.search(r'<time class="app-nowrap" datetime="[^"]+">\d{1,2} \w{3} \d{4}, ', body)


def test_more_events_than_the_count_cap_say_so(client, bob, sally, monkeypatch):
    from governance.oversight import selectors

    monkeypatch.setattr(selectors, "COUNT_CAP", 30)
    for _ in range(31):
        audit.record(action=AuditAction.SIGNED_IN, actor=bob)
    client.force_login(sally)
    response = client.get(URL)
    page = response.context["page"]
    assert (page.count, page.more_than_cap) == (None, True)
    assert "More than 30 events" in response.content.decode()
    assert len(page.events) == 25


def test_others_are_still_refused(client, bob, brenda):
    for user in (bob, brenda):
        client.force_login(user)
        assert client.get(URL).status_code == 403
