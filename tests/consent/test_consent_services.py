"""consent.services: the same rules and refusals when called directly, and records that are
never deleted or rewritten."""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.db import IntegrityError, InternalError, connection, transaction
from django.utils import timezone

from consent import rules, services
from consent.models import ConsentRecord
from governance.audit.models import AuditAction, AuditEvent
from governance.people.access import AccessRefused
from requests_app import workflow
from tests.consent.conftest import consent_data, record_consent

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="database triggers exist on PostgreSQL only"
)


@pytest.mark.parametrize("persona", ["colin", "bob", "sally", "charlie"])
def test_only_the_requester_records_consent(request, req, persona):
    with pytest.raises(AccessRefused):
        services.consent_record_create(
            reference=req.reference, actor=request.getfixturevalue(persona), data=consent_data()
        )
    assert not ConsentRecord.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.CONSENT_RECORDED).exists()


def test_the_rules_hold_without_the_form(alice, req):
    with pytest.raises(services.ConsentNotRecorded, match="consent must be informed"):
        record_consent(req, alice, reasons_explained="no")
    with pytest.raises(services.ConsentNotRecorded, match="capacity in which the signer"):
        record_consent(req, alice, about_signer="no")
    assert not ConsentRecord.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "problem"),
    [
        ({"signed_on": 30}, ("signed_on", rules.SIGNED_ON_IN_FUTURE)),
        ({"witnessed_on": 1}, ("witnessed_on", rules.WITNESSED_ON_IN_FUTURE)),
        ({"signer_dob": 1}, ("signer_dob", rules.SIGNER_DOB_IN_FUTURE)),
        ({"witnessed_on": -5}, ("witnessed_on", rules.WITNESSED_BEFORE_SIGNED)),
    ],
)
def test_the_date_rules_hold_without_the_form(overrides, problem, alice, req):
    today = timezone.localdate()
    dates = {name: today + datetime.timedelta(days=days) for name, days in overrides.items()}
    events = AuditEvent.objects.count()
    with pytest.raises(services.ConsentNotRecorded) as refused:
        record_consent(req, alice, **dates)
    assert [(p.field, p.message) for p in refused.value.problems] == [problem]
    assert not ConsentRecord.objects.exists()
    assert AuditEvent.objects.count() == events


def test_no_consent_on_a_closed_or_withdrawn_request(alice, req):
    workflow.transition(reference=req.reference, action="withdraw", actor=alice)
    with pytest.raises(services.ConsentNotRecorded, match="closed or withdrawn"):
        record_consent(req, alice)


@pytest.mark.parametrize("persona", ["colin", "bea", "sally", "brenda"])
def test_only_requester_or_assigned_discloser_records_a_withdrawal(request, req, record, persona):
    with pytest.raises(AccessRefused):
        services.consent_withdraw(
            reference=req.reference,
            public_id=record.public_id,
            actor=request.getfixturevalue(persona),
            withdrawn_on=timezone.localdate(),
            method="phone",
        )
    record.refresh_from_db()
    assert record.is_active


def test_a_record_is_never_deleted(record):
    with pytest.raises(PermissionError):
        record.delete()
    with pytest.raises(IntegrityError), transaction.atomic():
        record.request.delete()
    assert ConsentRecord.objects.filter(pk=record.pk).exists()


def test_the_database_refuses_an_uninformed_consent(record):
    copy = ConsentRecord.objects.get(pk=record.pk)
    copy.pk, copy.public_id, copy.reasons_explained = None, uuid.uuid4(), "no"
    with pytest.raises(IntegrityError), transaction.atomic():
        copy.save()
    assert ConsentRecord.objects.count() == 1


@postgres_only
def test_the_database_refuses_to_delete_a_record(record):
    with pytest.raises(InternalError, match="Cannot delete"), transaction.atomic():
        ConsentRecord.objects.filter(pk=record.pk).delete()


@postgres_only
def test_the_database_refuses_to_rewrite_what_was_signed(record):
    with pytest.raises(InternalError, match="Cannot update"), transaction.atomic():
        ConsentRecord.objects.filter(pk=record.pk).update(signer_name="Someone Else")


@postgres_only
def test_the_database_refuses_to_change_a_withdrawn_record(alice, req, record):
    services.consent_withdraw(
        reference=req.reference,
        public_id=record.public_id,
        actor=alice,
        withdrawn_on=timezone.localdate(),
        method="phone",
    )
    with pytest.raises(InternalError, match="Cannot update"), transaction.atomic():
        ConsentRecord.objects.filter(pk=record.pk).update(withdrawn_at=None, withdrawn_by=None)
