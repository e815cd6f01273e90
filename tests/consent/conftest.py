"""A request under review (Alice of the Council asks the Met; Bob is assigned) and its consent."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from consent import services
from consent.models import ConsentRecord
from governance.people.models import User
from requests_app.models import InformationRequest
from tests import workflow_helpers as wf

SIGNER_NAME = "Pat Signer"


def date_post(prefix: str, value: datetime.date) -> dict[str, str]:
    return {
        f"{prefix}_day": str(value.day),
        f"{prefix}_month": str(value.month),
        f"{prefix}_year": str(value.year),
    }


def consent_post(**overrides: Any) -> dict[str, Any]:
    """A complete, valid Consent form for an adult who signs for themselves. An override of None
    leaves the field out, as a browser does for an unanswered question."""
    signed = timezone.localdate() - datetime.timedelta(days=2)
    data: dict[str, Any] = {
        "disclosing_officer_ref": "",
        "about_signer": "yes",
        "reasons_explained": "yes",
        "consent_given_to": "Metropolitan Police Service, Haringey Borough",
        "disclose_to": "Haringey Council",
        "purposes": "Supporting an application for an ASB injunction.",
        "signer_name": SIGNER_NAME,
        "signer_address": "Flat 1, 2 Example Road, London N17 0ZZ",
        **date_post("signer_dob", datetime.date(1990, 3, 27)),
        **date_post("signed_on", signed),
        "signature_method": "paper_on_file",
        "signed_form_location": "Council ASB case file 2026/0412",
        **date_post("witnessed_on", signed),
        "capacity_in_doubt": "no",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def consent_data(**overrides: Any) -> dict[str, Any]:
    """The same answers as consent_post, as the service takes them (cleaned)."""
    signed = timezone.localdate() - datetime.timedelta(days=2)
    data: dict[str, Any] = {
        "disclosing_officer_ref": "",
        "about_signer": "yes",
        "signer_capacity": "",
        "signer_capacity_other": "",
        "reasons_explained": "yes",
        "consent_given_to": "Metropolitan Police Service, Haringey Borough",
        "disclose_to": "Haringey Council",
        "purposes": "Supporting an application for an ASB injunction.",
        "signer_name": SIGNER_NAME,
        "signer_address": "Flat 1, 2 Example Road, London N17 0ZZ",
        "signer_dob": datetime.date(1990, 3, 27),
        "signed_on": signed,
        "signature_method": "paper_on_file",
        "signed_form_location": "Council ASB case file 2026/0412",
        "witnessed_on": signed,
        "capacity_in_doubt": "no",
        "unable_to": None,
    }
    data.update(overrides)
    return data


def record_consent(req: InformationRequest, requester: User, **overrides: Any) -> ConsentRecord:
    return services.consent_record_create(
        reference=req.reference, actor=requester, data=consent_data(**overrides)
    )


@pytest.fixture
def req(alice, met, bob) -> InformationRequest:
    """Alice's request to the Met, under review by Bob."""
    return wf.under_review(alice, met, bob)


@pytest.fixture
def child_req(alice, met, bob) -> InformationRequest:
    """Alice's request to the Met about a 15-year-old, under review by Bob."""
    dob = timezone.localdate().replace(year=timezone.localdate().year - 15, day=1)
    return wf.under_review(alice, met, bob, subject_dob=dob)


@pytest.fixture
def record(req, alice) -> ConsentRecord:
    """An active consent on Alice's request, signed by the subject."""
    return record_consent(req, alice)
