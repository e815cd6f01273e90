"""The database holds every decision row to App. G 9, whoever writes it."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from requests_app.models import DecisionRecord
from tests import workflow_helpers as wf

pytestmark = pytest.mark.django_db


def _row(req, officer, **overrides) -> dict:
    """A complete "share" row without consent, as _decide writes one."""
    row = {
        "request": req,
        "decided_at": timezone.now(),
        "information_summary": "Previous ASB reports at the address.",
        "requester_name": "Alice Able",
        "requester_job_title": "ASB Case Officer",
        "requester_organisation": "Council",
        "decision": "share",
        "reasons": "Necessary and proportionate.",
        "with_consent": False,
        "subject_informed": "no",
        "subject_not_informed_reason": "Would prejudice the prevention of crime.",
        "consented_or_authorised_by": "Bob Brown, Disclosing officer, Met",
        "information_type": "Police incident summaries",
        "sharing_method": "Through the portal",
        "decided_by": officer,
    }
    row.update(overrides)
    return row


@pytest.fixture
def req(alice, bob, met):
    return wf.under_review(alice, met, bob)


@pytest.mark.parametrize(
    "overrides",
    [
        {},
        {"with_consent": True, "subject_informed": "", "subject_not_informed_reason": ""},
        {"subject_informed": "yes", "subject_not_informed_reason": ""},
        {"decision": "decline", "information_type": "", "sharing_method": ""},
        {
            "decision": "decline",
            "information_type": "",
            "sharing_method": "",
            "subject_informed": "",
            "subject_not_informed_reason": "",
        },
    ],
)
def test_a_complete_decision_row_is_accepted(req, bob, overrides):
    DecisionRecord.objects.create(**_row(req, bob, **overrides))
    assert DecisionRecord.objects.count() == 1


@pytest.mark.parametrize(
    "overrides",
    [
        {"reasons": ""},
        {"decision": "decline", "reasons": "", "information_type": "", "sharing_method": ""},
        {"consented_or_authorised_by": ""},
        {"information_type": ""},
        {"sharing_method": ""},
        {"decision": "decline"},  # a decline that says something was shared
        {"subject_informed": ""},
        {"subject_informed": "no", "subject_not_informed_reason": ""},
        {"with_consent": True},  # 9(f) answered although shared with consent
    ],
    ids=[
        "no reasons",
        "decline without reasons",
        "nobody consented or authorised",
        "share without type",
        "share without method",
        "decline with type and method",
        "without consent, informed unanswered",
        "not informed without why not",
        "with consent but informed answered",
    ],
)
def test_the_database_refuses_an_incomplete_decision_row(req, bob, overrides):
    with pytest.raises(IntegrityError), transaction.atomic():
        DecisionRecord.objects.create(**_row(req, bob, **overrides))
    assert not DecisionRecord.objects.exists()


def test_a_minimal_row_is_refused(req, bob):
    with pytest.raises(IntegrityError), transaction.atomic():
        DecisionRecord.objects.create(
            request=req,
            decided_at=timezone.now(),
            with_consent=False,
            decision="share",
            decided_by=bob,
        )
