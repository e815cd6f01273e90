"""/requests/<ref>/consent/<uuid>/withdraw/: recording that the person withdrew consent (5.1)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from consent import services
from consent.models import ConsentRecord
from governance.audit.models import AuditAction, AuditEvent
from tests.consent.conftest import SIGNER_NAME, date_post

pytestmark = pytest.mark.django_db


def withdraw_url(req, record) -> str:
    return reverse("consent:withdraw", args=[req.reference, record.public_id])


def withdrawal_post(**overrides) -> dict[str, str]:
    data = {"method": "phone", **date_post("withdrawn_on", timezone.localdate())}
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


@pytest.mark.parametrize("persona", ["alice", "bob"])
def test_requester_or_assigned_discloser_records_a_withdrawal(
    client, request, req, record, persona
):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    assert client.get(withdraw_url(req, record)).status_code == 200
    response = client.post(withdraw_url(req, record), withdrawal_post())
    assert response.status_code == 302
    assert response["Location"] == reverse("consent:detail", args=[req.reference, record.public_id])
    record.refresh_from_db()
    assert not record.is_active
    assert (record.withdrawn_by, record.withdrawn_on, record.withdrawal_method) == (
        user,
        timezone.localdate(),
        "phone",
    )
    assert record.withdrawn_at is not None
    # Never deleted: the record stays, inactive.
    assert ConsentRecord.objects.filter(pk=record.pk).exists()


def test_withdrawal_is_audited_with_the_reference_and_no_names(client, alice, req, record):
    client.force_login(alice)
    client.post(withdraw_url(req, record), withdrawal_post())
    event = AuditEvent.objects.get(action=AuditAction.CONSENT_WITHDRAWN)
    assert (event.actor, event.object_reference) == (alice, req.reference)
    assert (event.requesting_organisation, event.receiving_organisation) == (
        req.requesting_organisation,
        req.receiving_organisation,
    )
    assert str(record.public_id) in event.detail
    assert SIGNER_NAME not in event.detail
    assert req.subject_name not in event.detail


def test_the_detail_page_shows_the_withdrawal(client, alice, req, record):
    client.force_login(alice)
    client.post(withdraw_url(req, record), withdrawal_post(method="other", method_other="Letter"))
    body = client.get(
        reverse("consent:detail", args=[req.reference, record.public_id])
    ).content.decode()
    assert "Consent withdrawn" in body
    assert "other: letter" in body
    assert "Record withdrawal" not in body


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"method": None}, "method", "Select how the person withdrew their consent"),
        ({"method": "other"}, "method_other", "Enter how the person withdrew their consent"),
        (
            {"withdrawn_on_day": "", "withdrawn_on_month": "", "withdrawn_on_year": ""},
            "withdrawn_on",
            "Enter the date the person withdrew their consent",
        ),
        (
            date_post("withdrawn_on", timezone.localdate() + datetime.timedelta(days=1)),
            "withdrawn_on",
            "Date the person withdrew their consent must be today or in the past",
        ),
        (
            date_post("withdrawn_on", timezone.localdate() - datetime.timedelta(days=30)),
            "withdrawn_on",
            "Date the person withdrew their consent must be the same as or after the date the "
            "form was signed",
        ),
    ],
)
def test_form_errors_use_govuk_messages_and_nothing_changes(
    client, alice, req, record, overrides, field, message
):
    client.force_login(alice)
    response = client.post(withdraw_url(req, record), withdrawal_post(**overrides))
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert "<title>Error: " in response.content.decode()
    record.refresh_from_db()
    assert record.is_active
    assert not AuditEvent.objects.filter(action=AuditAction.CONSENT_WITHDRAWN).exists()


def test_a_consent_is_withdrawn_only_once(client, alice, bob, req, record):
    services.consent_withdraw(
        reference=req.reference,
        public_id=record.public_id,
        actor=bob,
        withdrawn_on=timezone.localdate(),
        method="in_person",
    )
    client.force_login(alice)
    assert "already been withdrawn" in client.get(withdraw_url(req, record)).content.decode()
    response = client.post(withdraw_url(req, record), withdrawal_post())
    assert response.status_code == 409
    record.refresh_from_db()
    assert (record.withdrawn_by, record.withdrawal_method) == (bob, "in_person")
    assert AuditEvent.objects.filter(action=AuditAction.CONSENT_WITHDRAWN).count() == 1


@pytest.mark.parametrize("persona", ["colin", "charlie", "brenda", "adam", "bea", "sally"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_others_are_refused_and_nothing_changes(client, request, req, record, persona, method):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    response = getattr(client, method)(withdraw_url(req, record), withdrawal_post())
    assert response.status_code == 403
    assert SIGNER_NAME not in response.content.decode()
    record.refresh_from_db()
    assert record.is_active
    assert not AuditEvent.objects.filter(action=AuditAction.CONSENT_WITHDRAWN).exists()
    event = AuditEvent.objects.filter(action=AuditAction.PERMISSION_DENIED).latest("id")
    assert (event.actor, event.object_reference) == (user, req.reference)
