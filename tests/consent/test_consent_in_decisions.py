"""protocol 5.1, App. G 9(e): a decision is with consent only while consent stands."""

from __future__ import annotations

import pytest
from django.utils import timezone

from consent import services
from consent.models import WithdrawalMethod
from requests_app import workflow
from requests_app.models import DecisionRecord, InformationRequest
from tests import workflow_helpers as wf
from tests.consent.conftest import record_consent

pytestmark = pytest.mark.django_db


@pytest.fixture
def victim_req(alice, met, bob):
    """A request about a victim who consented (Part A says consent was obtained)."""
    return wf.under_review(
        alice,
        met,
        bob,
        subject_role="victim",
        consent_obtained="yes",
        public_interest="",
        public_interest_reason="",
    )


def _disclose(req, bob):
    return workflow.transition(
        reference=req.reference,
        action="disclose",
        actor=bob,
        part_b=wf.part_b(signature_name=bob.full_name, check_consent_evidence=True),
    )


def test_active_consent_makes_the_decision_with_consent(victim_req, alice, bob):
    record = record_consent(victim_req, alice)
    _disclose(victim_req, bob)
    decision = DecisionRecord.objects.get(request=victim_req)
    assert decision.with_consent is True
    # App. G 9(g): who consented is the signer of the consent record.
    assert decision.consented_or_authorised_by == record.consented_by


def _withdraw(req, alice):
    record = req.consent_records.get()
    services.consent_withdraw(
        reference=req.reference,
        public_id=record.public_id,
        actor=alice,
        withdrawn_on=timezone.localdate(),
        method=WithdrawalMethod.IN_WRITING,
    )


def test_withdrawn_consent_blocks_disclosure_without_a_public_interest_reason(
    victim_req, alice, bob
):
    record_consent(victim_req, alice)
    _withdraw(victim_req, alice)
    with pytest.raises(workflow.TransitionNotAllowed, match="public-interest reason"):
        _disclose(victim_req, bob)
    assert not DecisionRecord.objects.exists()


def test_withdrawn_consent_with_a_public_interest_reason_is_without_consent(victim_req, alice, bob):
    record_consent(victim_req, alice)
    _withdraw(victim_req, alice)
    # The requester answered the public-interest question after being asked for more.
    InformationRequest.objects.filter(pk=victim_req.pk).update(
        public_interest="yes", public_interest_reason="Risk of serious harm to a neighbour."
    )
    _disclose(victim_req, bob)
    decision = DecisionRecord.objects.get(request=victim_req)
    assert decision.with_consent is False
    assert decision.subject_informed == "no"
    assert decision.consented_or_authorised_by.startswith(bob.full_name)
