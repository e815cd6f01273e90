"""The SPOC's breach update ends with "Check your answers": nothing is saved until confirmed, a
"Change" link brings the answers back, and the form reveals the ICO report's date, time and delay
only under "reported", the reason only under "not reported", lessons only under "closed"."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse

from governance.audit.models import AuditAction, AuditEvent
from governance.breaches import services as breach_services
from governance.breaches.models import BreachStatus, IcoDecision
from tests.governance.test_breaches import AWARE, report_data, update_post
from tests.html_reveals import reveals

pytestmark = pytest.mark.django_db


@pytest.fixture
def met_breach(bob):
    """A medium-risk breach found by Bob of the Met an hour ago, not yet decided for the ICO."""
    with time_machine.travel(AWARE + datetime.timedelta(hours=1), tick=False):
        yield breach_services.breach_report_create(reporter=bob, data=report_data())


NOT_REPORTED = {
    "risk": "low",
    "ico_decision": IcoDecision.NOT_REPORTED,
    "not_reported_reason": "Sent to a partner bound by the protocol and deleted unread.",
}


def update_url(breach) -> str:
    return reverse("breaches:update", args=[breach.reference])


def check_url(breach) -> str:
    return reverse("breaches:update_check", args=[breach.reference])


def test_the_update_leads_to_check_answers_and_saves_nothing(client, sally, met_breach):
    client.force_login(sally)
    response = client.post(update_url(met_breach), update_post(met_breach, **NOT_REPORTED))
    assert response["Location"] == check_url(met_breach)
    met_breach.refresh_from_db()
    assert met_breach.ico_decision == IcoDecision.PENDING
    body = client.get(check_url(met_breach)).content.decode()
    assert "Check your answers before saving the breach record" in body
    assert "No, it will not be reported" in body
    assert "deleted unread" in body
    assert f'href="{update_url(met_breach)}#id_not_reported_reason"' in body
    # Questions that do not apply to these answers are not listed.
    assert "Date reported to the ICO" not in body
    assert "Lessons learned" not in body
    assert not AuditEvent.objects.filter(action=AuditAction.BREACH_UPDATED).exists()


def test_change_brings_the_answers_back_and_confirm_saves(client, sally, met_breach):
    client.force_login(sally)
    client.post(update_url(met_breach), update_post(met_breach, **NOT_REPORTED))
    assert "deleted unread" in client.get(update_url(met_breach)).content.decode()
    response = client.post(check_url(met_breach))
    assert response["Location"] == reverse("breaches:detail", args=[met_breach.reference])
    met_breach.refresh_from_db()
    assert met_breach.ico_decision == IcoDecision.NOT_REPORTED
    assert AuditEvent.objects.filter(action=AuditAction.BREACH_UPDATED).count() == 1
    assert client.get(check_url(met_breach))["Location"] == update_url(met_breach)


def test_closing_lists_the_lessons(client, sally, met_breach):
    client.force_login(sally)
    client.post(
        update_url(met_breach),
        update_post(
            met_breach,
            **NOT_REPORTED,
            status=BreachStatus.CLOSED,
            lessons_learned="Check the address before sending.",
        ),
    )
    body = client.get(check_url(met_breach)).content.decode()
    assert "Lessons learned" in body
    assert "Check the address before sending." in body


def test_without_answers_to_check_the_check_page_goes_back_to_the_form(client, sally, met_breach):
    client.force_login(sally)
    assert client.get(check_url(met_breach))["Location"] == update_url(met_breach)
    assert client.post(check_url(met_breach))["Location"] == update_url(met_breach)


@pytest.mark.parametrize("persona", ["bob", "bea", "alice", "brenda", "adam"])
def test_only_the_spoc_may_check_and_confirm(client, request, sally, met_breach, persona):
    client.force_login(sally)
    client.post(update_url(met_breach), update_post(met_breach, **NOT_REPORTED))
    client.force_login(request.getfixturevalue(persona))
    assert client.get(check_url(met_breach)).status_code == 403
    assert client.post(check_url(met_breach)).status_code == 403
    met_breach.refresh_from_db()
    assert met_breach.ico_decision == IcoDecision.PENDING


def test_the_form_reveals_each_follow_up_under_its_answer(client, sally, met_breach):
    client.force_login(sally)
    found = reveals(client.get(update_url(met_breach)).content.decode())
    assert found["id_ico_decision_0"] == {
        "ico_reported_on_day",
        "ico_reported_on_month",
        "ico_reported_on_year",
        "ico_reported_time",
        "delay_reason",
    }
    assert found["id_ico_decision_1"] == {"not_reported_reason"}
    assert "id_ico_decision_2" not in found  # not decided yet: nothing more to ask
    assert found["id_status_1"] == {"lessons_learned"}
