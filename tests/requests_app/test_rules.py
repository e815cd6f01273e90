"""The data rules of the Request/Disclosure form: each returns the Problems the page shows and
transition() refuses on."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest

from requests_app import rules
from tests import workflow_helpers as wf
from ui.problems import Problem

TODAY = datetime.date(2026, 3, 4)
ALICE = SimpleNamespace(full_name="Alice  Able")


def part_a(**overrides) -> dict:
    values = {
        "requester_department": "Community Safety",
        "requester_address": "River Park House, London N22 8HQ",
        "requester_phone": "020 7946 0100",
        "information_description": "Previous ASB reports at the address.",
        "subject_name": "Sam Example",
        "subject_address": "Flat 1, 2 Example Road, London N17 0ZZ",
        "subject_role": "suspect",
        "required_by": TODAY + datetime.timedelta(days=7),
        "is_urgent": False,
        "urgency_reason": "",
        "consent_obtained": "",
        "public_interest": "yes",
        "public_interest_reason": "Preventing further ASB.",
        "legislation": [1],
        "legislation_other": "",
    }
    values.update(overrides)
    return values


def test_a_complete_part_a_has_no_problems():
    assert rules.unmet_for_part_a(part_a(), today=TODAY) == []


@pytest.mark.parametrize(
    ("overrides", "problem"),
    [
        (
            {"information_description": " "},
            Problem("information_description", rules.DESCRIPTION_MISSING),
        ),
        ({"subject_name": ""}, Problem("subject_name", rules.SUBJECT_NAME_MISSING)),
        (
            {"requester_department": " "},
            Problem("requester_department", rules.DEPARTMENT_MISSING),
        ),
        ({"requester_address": ""}, Problem("requester_address", rules.REQUESTER_ADDRESS_MISSING)),
        ({"requester_phone": None}, Problem("requester_phone", rules.REQUESTER_PHONE_MISSING)),
        ({"subject_address": "\n"}, Problem("subject_address", rules.SUBJECT_ADDRESS_MISSING)),
        (
            {"receiving_organisation": SimpleNamespace(is_active=False)},
            Problem("receiving_organisation", rules.RECEIVING_ORGANISATION_INACTIVE),
        ),
        (
            {"receiving_organisation": None},
            Problem("receiving_organisation", rules.RECEIVING_ORGANISATION_MISSING),
        ),
        ({"subject_role": ""}, Problem("subject_role", rules.SUBJECT_ROLE_MISSING)),
        ({"required_by": None}, Problem("required_by", rules.REQUIRED_BY_MISSING)),
        (
            {"required_by": TODAY - datetime.timedelta(days=1)},
            Problem("required_by", rules.REQUIRED_BY_PAST),
        ),
        (
            {"is_urgent": True, "urgency_reason": "  "},
            Problem("urgency_reason", rules.URGENCY_REASON_MISSING),
        ),
        (
            {"subject_role": "victim", "consent_obtained": "", "public_interest": "yes"},
            Problem("consent_obtained", rules.CONSENT_ANSWER_MISSING),
        ),
        ({"public_interest": "no"}, Problem("public_interest", rules.PUBLIC_INTEREST_NOT_STATED)),
        ({"public_interest": ""}, Problem("public_interest", rules.PUBLIC_INTEREST_NOT_STATED)),
        (
            {"public_interest_reason": ""},
            Problem("public_interest_reason", rules.PUBLIC_INTEREST_REASON_MISSING),
        ),
        ({"legislation": []}, Problem("legislation", rules.LEGISLATION_MISSING)),
    ],
)
def test_each_part_a_rule_names_its_question(overrides, problem):
    assert rules.unmet_for_part_a(part_a(**overrides), today=TODAY) == [problem]


def test_a_current_partner_is_accepted_and_an_absent_answer_is_not_judged():
    assert (
        rules.unmet_for_part_a(
            part_a(receiving_organisation=SimpleNamespace(is_active=True)), today=TODAY
        )
        == []
    )
    assert "receiving_organisation" not in part_a()
    assert rules.unmet_for_part_a(part_a(), today=TODAY) == []


def test_required_by_today_is_in_time():
    assert rules.required_by_in_time(TODAY, today=TODAY) == []


def test_consent_given_needs_no_public_interest_reason():
    values = part_a(
        subject_role="victim", consent_obtained="yes", public_interest="", public_interest_reason=""
    )
    assert rules.unmet_for_part_a(values, today=TODAY) == []


def test_a_suspect_is_not_asked_about_consent():
    assert rules.consent_answered(subject_role="suspect", consent_obtained="") == []


def test_other_legislation_alone_is_enough():
    values = part_a(legislation=[], legislation_other="Police Reform Act 2002, s.30")
    assert rules.unmet_for_part_a(values, today=TODAY) == []


def test_other_legislation_ticked_needs_its_words():
    assert rules.legislation_given(legislation=[], legislation_other="", other_selected=True) == [
        Problem("legislation_other", rules.OTHER_LEGISLATION_MISSING)
    ]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Alice Able", []),
        (" alice   ABLE ", []),
        ("", [Problem("signature_name", rules.SIGNATURE_MISSING)]),
        ("Alice", [Problem("signature_name", rules.SIGNATURE_MISMATCH)]),
        ("Bob Brown", [Problem("signature_name", rules.SIGNATURE_MISMATCH)]),
    ],
)
def test_signature_matches_the_signed_in_officer(typed, expected):
    assert rules.signature_matches(typed, ALICE) == expected


def test_decline_needs_a_reason_and_the_officers_signature():
    part_b = wf.part_b(decline_reason="", signature_name="Someone Else")
    assert rules.unmet_for_decline(part_b=part_b, signer=ALICE) == [
        Problem("decline_reason", rules.DECLINE_REASON_MISSING),
        Problem("signature_name", rules.SIGNATURE_MISMATCH),
    ]


def test_a_complete_decline_has_no_problems():
    part_b = wf.part_b(decline_reason="Not necessary", signature_name="Alice Able")
    assert rules.unmet_for_decline(part_b=part_b, signer=ALICE) == []


@pytest.mark.parametrize(
    ("overrides", "with_consent", "problem"),
    [
        ({"check_secure": False}, False, Problem("checks", rules.CHECKS_UNCONFIRMED)),
        ({"check_consent_evidence": False}, True, Problem("checks", rules.CHECKS_UNCONFIRMED)),
    ],
)
def test_every_check_is_confirmed(overrides, with_consent, problem):
    part_b = wf.part_b(check_consent_evidence=True) | overrides
    assert rules.checks_confirmed(part_b, with_consent=with_consent) == [problem]


@pytest.mark.parametrize("value", ["False", "0", "no", 1, "True", [False], None])
def test_a_check_counts_only_when_it_is_true_itself(value):
    part_b = wf.part_b(check_necessary=value)
    assert rules.checks_confirmed(part_b, with_consent=False) == [
        Problem("checks", rules.CHECKS_UNCONFIRMED)
    ]


def test_consent_evidence_is_not_asked_for_without_consent():
    assert rules.checks_confirmed(wf.part_b(), with_consent=False) == []


@pytest.mark.parametrize(
    ("overrides", "problem"),
    [
        ({"delivery_method": ""}, Problem("delivery_method", rules.DELIVERY_METHOD_MISSING)),
        (
            {"delivery_method": "other", "delivery_method_other": " "},
            Problem("delivery_method_other", rules.DELIVERY_METHOD_OTHER_MISSING),
        ),
    ],
)
def test_delivery_method_is_given(overrides, problem):
    assert rules.delivery_method_given(wf.part_b(**overrides)) == [problem]


def test_a_delivery_method_outside_the_list_is_refused():
    assert rules.delivery_method_given(wf.part_b(delivery_method="pigeon")) == [
        Problem("delivery_method", rules.DELIVERY_METHOD_MISSING)
    ]


@pytest.mark.parametrize("name", [*rules.WHEN_TO_SHARE_UNANSWERED, "subject_informed"])
def test_a_yes_no_answer_that_is_not_yes_or_no_is_refused(name):
    assert rules.yes_no_answers_valid(wf.part_b(**{name: "yep"})) == [
        Problem(name, rules.PART_B_YES_NO[name])
    ]
    assert rules.yes_no_answers_valid(wf.part_b(**{name: ""})) == []
    assert rules.yes_no_answers_valid(wf.part_b(**{name: "no"})) == []


def test_a_decline_keeps_only_its_own_answers():
    given = wf.part_b(decline_reason="Not necessary", delivery_method="other")
    shaped = rules.part_b_for_outcome(given, agreed=False)
    assert shaped["decline_reason"] == "Not necessary"
    assert {name: shaped[name] for name in rules.DISCLOSED_ONLY} == dict.fromkeys(
        rules.DISCLOSED_ONLY, ""
    )
    assert shaped["share_consent"] == given["share_consent"]
    assert given["information_disclosed"]  # pure: the dict given is not changed


def test_a_disclosure_keeps_no_decline_reason_and_no_unused_other_method():
    given = wf.part_b(decline_reason="Not necessary", delivery_method_other="Courier")
    shaped = rules.part_b_for_outcome(given, agreed=True)
    assert shaped["decline_reason"] == ""
    assert shaped["delivery_method_other"] == ""
    assert shaped["information_disclosed"] == given["information_disclosed"]
    other = rules.part_b_for_outcome(given | {"delivery_method": "other"}, agreed=True)
    assert other["delivery_method_other"] == "Courier"


@pytest.mark.parametrize(
    ("overrides", "problem"),
    [
        ({"subject_informed": ""}, Problem("subject_informed", rules.SUBJECT_INFORMED_MISSING)),
        (
            {"subject_informed": "no", "subject_not_informed_reason": ""},
            Problem("subject_not_informed_reason", rules.SUBJECT_NOT_INFORMED_REASON_MISSING),
        ),
    ],
)
def test_without_consent_the_subject_informed_question_is_answered(overrides, problem):
    part_b = wf.part_b(**overrides)
    assert rules.subject_informed_answered(part_b, with_consent=False) == [problem]
    assert rules.subject_informed_answered(part_b, with_consent=True) == []


@pytest.mark.django_db
def test_a_complete_disclosure_has_no_problems(alice, bob, met):
    req = wf.under_review(alice, met, bob)
    part_b = wf.part_b(signature_name=bob.full_name)
    assert rules.unmet_for_disclosure(req, part_b=part_b, signer=bob, attached=False) == []


@pytest.mark.django_db
def test_an_empty_disclosure_lists_every_problem(alice, bob, met):
    req = wf.under_review(alice, met, bob)
    empty = dict.fromkeys(wf.part_b(), "")
    assert rules.unmet_for_disclosure(req, part_b=empty, signer=bob, attached=False) == [
        *(Problem(name, message) for name, message in rules.WHEN_TO_SHARE_UNANSWERED.items()),
        Problem("checks", rules.CHECKS_UNCONFIRMED),
        Problem("decision_reasons", rules.DECISION_REASONS_MISSING),
        Problem("information_disclosed", rules.INFORMATION_DISCLOSED_MISSING),
        Problem("information_type", rules.INFORMATION_TYPE_MISSING),
        Problem("delivery_method", rules.DELIVERY_METHOD_MISSING),
        Problem("subject_informed", rules.SUBJECT_INFORMED_MISSING),
        Problem("signature_name", rules.SIGNATURE_MISSING),
    ]


@pytest.mark.django_db
def test_attached_information_counts_as_disclosed(alice, bob, met):
    req = wf.under_review(alice, met, bob)
    part_b = wf.part_b(signature_name=bob.full_name, information_disclosed="")
    assert rules.unmet_for_disclosure(req, part_b=part_b, signer=bob, attached=True) == []


@pytest.mark.django_db
def test_without_consent_or_public_interest_there_is_no_lawful_basis(alice, bob, met):
    req = wf.under_review(alice, met, bob)
    req.public_interest_reason = ""
    assert rules.lawful_basis_stated(req, with_consent=False) == [
        Problem("disclosure_agreed", rules.NO_LAWFUL_BASIS_MESSAGE)
    ]
    assert rules.lawful_basis_stated(req, with_consent=True) == []


@pytest.mark.django_db
def test_submit_judges_the_saved_answers(alice, met):
    req = wf.draft(alice, met)
    req.required_by = datetime.date(2000, 1, 1)
    assert rules.unmet_for_submit(req, today=TODAY) == [
        Problem("required_by", rules.REQUIRED_BY_PAST)
    ]


@pytest.mark.django_db
def test_signing_adds_the_signature_rule(alice, met):
    req = wf.draft(alice, met)
    today = datetime.date.today()
    assert (
        rules.unmet_for_signing(req, today=today, signature_name=alice.full_name, signer=alice)
        == []
    )
    assert rules.unmet_for_signing(req, today=today, signature_name="Bob Brown", signer=alice) == [
        Problem("signature_name", rules.SIGNATURE_MISMATCH)
    ]
