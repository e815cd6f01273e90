"""protocol 5.1: the withdrawal rules, shown by the form and refused on by the service."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from consent import rules, services
from consent.models import WithdrawalMethod
from governance.audit.models import AuditAction, AuditEvent
from ui.problems import Problem

SIGNED = datetime.date(2026, 3, 1)


def test_a_complete_withdrawal_has_no_problems():
    assert (
        rules.unmet_for_withdrawal(
            method=WithdrawalMethod.IN_WRITING,
            method_other="",
            withdrawn_on=SIGNED,
            signed_on=SIGNED,
            today=SIGNED,
        )
        == []
    )


def test_other_method_needs_its_words_and_the_date_cannot_come_before_signing():
    assert rules.unmet_for_withdrawal(
        method=WithdrawalMethod.OTHER,
        method_other=" ",
        withdrawn_on=SIGNED - datetime.timedelta(days=1),
        signed_on=SIGNED,
        today=SIGNED,
    ) == [
        Problem("method_other", rules.WITHDRAWAL_METHOD_OTHER_MISSING),
        Problem("withdrawn_on", rules.WITHDRAWN_BEFORE_SIGNED),
    ]


def test_a_withdrawal_cannot_be_dated_in_the_future():
    assert rules.unmet_for_withdrawal(
        method=WithdrawalMethod.IN_WRITING,
        method_other="",
        withdrawn_on=SIGNED + datetime.timedelta(days=1),
        signed_on=SIGNED,
        today=SIGNED,
    ) == [Problem("withdrawn_on", rules.WITHDRAWN_IN_FUTURE)]


@pytest.mark.django_db
def test_the_service_refuses_a_withdrawal_dated_in_the_future(record, req, alice):
    with pytest.raises(services.WithdrawalNotRecorded) as refused:
        services.consent_withdraw(
            reference=req.reference,
            public_id=record.public_id,
            actor=alice,
            withdrawn_on=timezone.localdate() + datetime.timedelta(days=30),
            method=WithdrawalMethod.IN_WRITING,
        )
    assert refused.value.problems == [Problem("withdrawn_on", rules.WITHDRAWN_IN_FUTURE)]
    record.refresh_from_db()
    assert record.is_active
    assert record.withdrawn_on is None
    assert not AuditEvent.objects.filter(action=AuditAction.CONSENT_WITHDRAWN).exists()


@pytest.mark.django_db
def test_the_service_refuses_a_withdrawal_before_the_consent_was_given(record, req, alice):
    with pytest.raises(services.WithdrawalNotRecorded) as refused:
        services.consent_withdraw(
            reference=req.reference,
            public_id=record.public_id,
            actor=alice,
            withdrawn_on=record.signed_on - datetime.timedelta(days=1),
            method=WithdrawalMethod.IN_WRITING,
        )
    assert refused.value.problems == [Problem("withdrawn_on", rules.WITHDRAWN_BEFORE_SIGNED)]
    record.refresh_from_db()
    assert record.withdrawn_at is None
    assert not AuditEvent.objects.filter(action=AuditAction.CONSENT_WITHDRAWN).exists()


@pytest.mark.django_db
def test_the_service_refuses_an_other_method_without_its_words(record, req, alice):
    with pytest.raises(services.WithdrawalNotRecorded, match="Enter how the person withdrew"):
        services.consent_withdraw(
            reference=req.reference,
            public_id=record.public_id,
            actor=alice,
            withdrawn_on=timezone.localdate(),
            method=WithdrawalMethod.OTHER,
        )
    record.refresh_from_db()
    assert record.withdrawn_at is None


@pytest.mark.django_db
def test_the_service_refuses_a_consent_rule_with_its_problems(req, alice):
    from tests.consent.conftest import consent_data

    with pytest.raises(services.ConsentNotRecorded) as refused:
        services.consent_record_create(
            reference=req.reference, actor=alice, data=consent_data(reasons_explained="no")
        )
    assert [p.field for p in refused.value.problems] == ["reasons_explained"]
    assert not req.consent_records.exists()
