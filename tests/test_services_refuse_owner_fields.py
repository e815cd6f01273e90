"""Services write only the fields their form has. A key the form does not have (a status, an owner,
a date the service sets itself) is refused, whoever calls: a page, a shell, a task or an API, and
nothing is written.

The workflow stays the only writer of a request's status (house style 5): these calls are every
service that takes a data dict, and none of them accepts `status`.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from consent import services as consent_services
from consent.models import ConsentRecord, WithdrawalMethod
from governance.accounts import services as accounts
from governance.audit.models import AuditEvent
from governance.breaches import services as breach_services
from governance.breaches.models import Breach, BreachRisk
from governance.people.models import Organisation
from requests_app import services as request_services
from requests_app import workflow
from requests_app.models import DecisionRecord, Disclosure, InformationRequest, Status
from tests import workflow_helpers as wf
from tests.consent.conftest import consent_data, record_consent

pytestmark = pytest.mark.django_db

# Keys a caller might try to slip in: the owners, the status and the dates the services set.
OWNER_KEYS = (
    "status",
    "requester",
    "requester_id",
    "organisation",
    "organisation_id",
    "requesting_organisation",
    "reported_by",
    "reported_by_id",
    "witnessed_by",
    "decided_at",
    "closed_at",
    "reference",
    "id",
)


def _owner_value(key: str, user: Any) -> Any:
    if key.endswith("_id") or key == "id":
        return user.pk
    if key.endswith("_at"):
        return timezone.now()
    if key in ("status", "reference"):
        return "closed"
    return user


def _events() -> int:
    return AuditEvent.objects.count()


@pytest.fixture
def req(alice, met, bob) -> InformationRequest:
    """Alice's request to the Met, under review by Bob."""
    return wf.under_review(alice, met, bob)


@pytest.mark.parametrize("key", [*OWNER_KEYS, "assigned_officer", "signed_by"])
def test_request_create_refuses_a_field_that_is_not_part_a(key, alice, colin, met):
    data = wf.part_a_data(receiving_organisation=met) | {key: _owner_value(key, colin)}
    events = _events()
    with pytest.raises(ValueError, match=key):
        request_services.request_create(requester=alice, data=data)
    assert not InformationRequest.objects.exists()
    assert _events() == events


@pytest.mark.parametrize("key", [*OWNER_KEYS, "assigned_officer", "signed_by"])
def test_request_update_refuses_a_field_that_is_not_part_a(key, alice, colin, met):
    req = wf.draft(alice, met)
    events = _events()
    with pytest.raises(ValueError, match=key):
        request_services.request_update(
            reference=req.reference,
            editor=alice,
            data={"subject_name": "Changed", key: _owner_value(key, colin)},
        )
    req.refresh_from_db()
    assert req.status == Status.DRAFT
    assert req.requester == alice
    assert req.subject_name != "Changed"
    assert _events() == events


@pytest.mark.parametrize("key", [*OWNER_KEYS, "request", "withdrawn_at", "withdrawn_by"])
def test_consent_record_create_refuses_a_field_that_is_not_on_the_form(key, req, alice, colin):
    events = _events()
    with pytest.raises(ValueError, match=key):
        consent_services.consent_record_create(
            reference=req.reference,
            actor=alice,
            data=consent_data() | {key: _owner_value(key, colin)},
        )
    assert not ConsentRecord.objects.exists()
    assert _events() == events


@pytest.mark.parametrize("key", ["withdrawn_by", "withdrawn_at", "witnessed_by", "status"])
def test_consent_withdraw_takes_only_the_withdrawal(key, req, alice, colin):
    record = record_consent(req, alice)
    events = _events()
    with pytest.raises(TypeError, match=key):
        consent_services.consent_withdraw(
            reference=req.reference,
            public_id=record.public_id,
            actor=alice,
            withdrawn_on=timezone.localdate(),
            method=WithdrawalMethod.IN_WRITING,
            **{key: _owner_value(key, colin)},
        )
    record.refresh_from_db()
    assert record.withdrawn_at is None
    assert _events() == events


def _report_data(**overrides: Any) -> dict[str, Any]:
    aware = timezone.now() - datetime.timedelta(hours=1)
    return {
        "request": None,
        "occurred_on": timezone.localdate(aware),
        "became_aware_at": aware,
        "what_happened": "An email with one person's details went to the wrong partner.",
        "data_categories": "Name and address.",
        "people_affected": 1,
        "effects": "Possible distress.",
        "remedial_action": "The recipient deleted the email.",
        "risk": BreachRisk.MEDIUM,
    } | overrides


@pytest.mark.parametrize("key", [*OWNER_KEYS, "ico_decision", "lessons_learned"])
def test_breach_report_create_refuses_a_field_that_is_not_on_the_report(key, bob, sally):
    events = _events()
    with pytest.raises(ValueError, match=key):
        breach_services.breach_report_create(
            reporter=bob, data=_report_data(**{key: _owner_value(key, sally)})
        )
    assert not Breach.objects.exists()
    assert _events() == events


@pytest.mark.parametrize(
    "key",
    [k for k in OWNER_KEYS if k not in ("status", "closed_at")] + ["became_aware_at", "request"],
)
def test_breach_update_refuses_a_field_that_is_not_on_the_update(key, bob, sally, colin):
    breach = breach_services.breach_report_create(reporter=bob, data=_report_data())
    events = _events()
    with pytest.raises(ValueError, match=key):
        breach_services.breach_update(
            reference=breach.reference,
            editor=sally,
            data={"lessons_learned": "Check the address.", key: _owner_value(key, colin)},
        )
    breach.refresh_from_db()
    assert breach.reported_by == bob
    assert breach.lessons_learned == ""
    assert _events() == events


@pytest.mark.parametrize("key", ["id", "created_at", "updated_at"])
def test_organisation_services_refuse_a_field_that_is_not_on_the_form(key, adam, met):
    data = {"name": "Extra Partner", "short_code": "extra", "protective_marking": "OFFICIAL"}
    count, events = Organisation.objects.count(), _events()
    with pytest.raises(ValueError, match=key):
        accounts.organisation_create(actor=adam, data=data | {key: _owner_value(key, adam)})
    with pytest.raises(ValueError, match=key):
        accounts.organisation_update(
            actor=adam, short_code=met.short_code, data={key: _owner_value(key, adam)}
        )
    assert Organisation.objects.count() == count
    assert _events() == events


@pytest.mark.parametrize("key", ["disclosed_by", "request", "date_supplied", "disclosure_agreed"])
def test_a_decision_refuses_a_field_that_is_not_part_b(key, alice, bob, bea, met):
    req = wf.under_review(alice, met, bob)
    events = _events()
    part_b = wf.part_b(signature_name=bob.full_name) | {key: _owner_value(key, bea)}
    with pytest.raises(ValueError, match=key):
        workflow.transition(reference=req.reference, action="disclose", actor=bob, part_b=part_b)
    req.refresh_from_db()
    assert req.status == Status.UNDER_REVIEW
    assert not Disclosure.objects.exists()
    assert not DecisionRecord.objects.exists()
    assert _events() == events
