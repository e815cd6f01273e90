"""The consent rules (protocol 5.1, App. F, App. G) as pure functions."""

from __future__ import annotations

import datetime

import pytest

from consent import rules
from consent.models import ConsentRecord

ADULT = rules.ConsentAnswers(
    about_signer="yes",
    signer_capacity="",
    signer_capacity_other="",
    reasons_explained="yes",
    subject_is_child=False,
    capacity_in_doubt="no",
)
CHILD = rules.ConsentAnswers(
    about_signer="yes",
    signer_capacity="",
    signer_capacity_other="",
    reasons_explained="yes",
    subject_is_child=True,
    child_sufficient_understanding="yes",
    no_parental_consent_reason="Asked not to involve her parents; Gillick competent.",
)
LACKING_CAPACITY = rules.ConsentAnswers(
    about_signer="no",
    signer_capacity="attorney",
    signer_capacity_other="",
    reasons_explained="yes",
    subject_is_child=False,
    capacity_in_doubt="yes",
    capacity_impairment="yes",
    unable_to=frozenset({"retain"}),
)


def fields(answers: rules.ConsentAnswers) -> dict[str, str]:
    return {p.field: p.message for p in rules.unmet_for_consent(answers)}


@pytest.mark.parametrize(
    ("dob", "today", "child"),
    [
        (datetime.date(2010, 6, 15), datetime.date(2028, 6, 14), True),
        (datetime.date(2010, 6, 15), datetime.date(2028, 6, 15), False),
        (datetime.date(2008, 2, 29), datetime.date(2026, 2, 28), True),
        (datetime.date(2008, 2, 29), datetime.date(2026, 3, 1), False),
        (None, datetime.date(2026, 1, 1), False),
    ],
)
def test_a_child_is_under_18_on_the_day(dob, today, child):
    assert rules.is_child(dob, today) is child


def test_a_complete_adult_consent_meets_every_rule():
    assert rules.unmet_for_consent(ADULT) == []


def test_consent_must_be_informed():
    answers = rules.ConsentAnswers(**{**ADULT.__dict__, "reasons_explained": "no"})
    assert "must be informed" in fields(answers)["reasons_explained"]


def test_someone_else_signing_must_say_in_what_capacity():
    answers = rules.ConsentAnswers(**{**ADULT.__dict__, "about_signer": "no"})
    assert fields(answers) == {
        "signer_capacity": "Select the capacity in which the signer is acting"
    }


def test_other_capacity_must_be_described():
    answers = rules.ConsentAnswers(
        **{**ADULT.__dict__, "about_signer": "no", "signer_capacity": "other"}
    )
    assert list(fields(answers)) == ["signer_capacity_other"]


def test_a_child_of_sufficient_understanding_may_consent_with_a_recorded_reason():
    assert rules.unmet_for_consent(CHILD) == []
    answers = rules.ConsentAnswers(**{**CHILD.__dict__, "no_parental_consent_reason": " "})
    assert fields(answers) == {
        "no_parental_consent_reason": "Enter why you are proceeding without the consent of a parent"
    }


def test_a_child_without_sufficient_understanding_cannot_consent_themselves():
    answers = rules.ConsentAnswers(**{**CHILD.__dict__, "child_sufficient_understanding": "no"})
    assert "a parent, guardian or carer" in fields(answers)["about_signer"]


@pytest.mark.parametrize("capacity", ["parent", "guardian", "carer"])
def test_a_parent_may_consent_for_a_child(capacity):
    answers = rules.ConsentAnswers(
        **{
            **CHILD.__dict__,
            "about_signer": "no",
            "signer_capacity": capacity,
            "child_sufficient_understanding": "no",
            "no_parental_consent_reason": "",
        }
    )
    assert rules.unmet_for_consent(answers) == []


@pytest.mark.parametrize("capacity", ["attorney", "deputy"])
def test_only_someone_with_parental_responsibility_consents_for_a_child(capacity):
    answers = rules.ConsentAnswers(
        **{**CHILD.__dict__, "about_signer": "no", "signer_capacity": capacity}
    )
    assert "parental responsibility" in fields(answers)["signer_capacity"]


def test_the_child_question_is_answered_for_a_child():
    answers = rules.ConsentAnswers(**{**CHILD.__dict__, "child_sufficient_understanding": ""})
    assert list(fields(answers)) == ["child_sufficient_understanding"]


def test_capacity_is_presumed_unless_both_stages_are_met():
    assert rules.lacks_capacity(LACKING_CAPACITY)
    for change in (
        {"capacity_in_doubt": "no"},
        {"capacity_impairment": "no"},
        {"unable_to": frozenset()},
    ):
        assert not rules.lacks_capacity(
            rules.ConsentAnswers(**{**LACKING_CAPACITY.__dict__, **change})
        )


def test_the_capacity_test_is_answered_stage_by_stage():
    doubt_unanswered = rules.ConsentAnswers(**{**ADULT.__dict__, "capacity_in_doubt": ""})
    assert list(fields(doubt_unanswered)) == ["capacity_in_doubt"]
    stage_1 = rules.ConsentAnswers(**{**ADULT.__dict__, "capacity_in_doubt": "yes"})
    assert list(fields(stage_1)) == ["capacity_impairment"]
    stage_2 = rules.ConsentAnswers(
        **{**ADULT.__dict__, "capacity_in_doubt": "yes", "capacity_impairment": "yes"}
    )
    assert list(fields(stage_2)) == ["unable_to"]


def test_a_person_who_lacks_capacity_cannot_sign_for_themselves():
    answers = rules.ConsentAnswers(
        **{**LACKING_CAPACITY.__dict__, "about_signer": "yes", "signer_capacity": ""}
    )
    assert "attorney or a deputy must sign" in fields(answers)["about_signer"]


@pytest.mark.parametrize("capacity", ["parent", "guardian", "carer", "other"])
def test_only_an_attorney_or_deputy_consents_for_a_person_who_lacks_capacity(capacity):
    answers = rules.ConsentAnswers(
        **{
            **LACKING_CAPACITY.__dict__,
            "signer_capacity": capacity,
            "signer_capacity_other": "Friend",
        }
    )
    assert "select attorney or deputy" in fields(answers)["signer_capacity"]


@pytest.mark.parametrize("capacity", ["attorney", "deputy"])
def test_an_attorney_or_deputy_consents_for_a_person_who_lacks_capacity(capacity):
    answers = rules.ConsentAnswers(**{**LACKING_CAPACITY.__dict__, "signer_capacity": capacity})
    assert rules.unmet_for_consent(answers) == []


def test_answers_that_did_not_apply_are_left_out():
    answers = rules.ConsentAnswers(
        **{
            **CHILD.__dict__,
            "signer_capacity": "other",
            "signer_capacity_other": "Aunt",
            "capacity_in_doubt": "yes",
            "capacity_impairment": "yes",
            "unable_to": frozenset({"retain"}),
        }
    )
    kept = rules.applicable_answers(answers)
    assert (kept.signer_capacity, kept.signer_capacity_other) == ("", "")
    assert (kept.capacity_in_doubt, kept.capacity_impairment, kept.unable_to) == ("", "", None)
    assert kept.no_parental_consent_reason == CHILD.no_parental_consent_reason


def test_consent_is_active_until_withdrawn():
    record = ConsentRecord()
    assert rules.consent_is_active(record)
    record.withdrawn_at = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    assert not rules.consent_is_active(record)


def test_nobody_else_consents_for_an_adult_with_capacity():
    """App. F: an adult with capacity consents themselves; a carer cannot sign for them."""
    answers = rules.ConsentAnswers(
        **{**ADULT.__dict__, "about_signer": "no", "signer_capacity": "carer"}
    )
    problems = rules.valid_signer(answers)
    assert [p.field for p in problems] == ["about_signer"]
    assert "consents for themselves" in problems[0].message


TODAY = datetime.date(2026, 3, 4)


@pytest.mark.parametrize(
    ("dates", "expected"),
    [
        ({}, []),
        ({"signed_on": TODAY, "witnessed_on": TODAY, "signer_dob": datetime.date(1990, 1, 1)}, []),
        (
            {"signed_on": TODAY + datetime.timedelta(days=30), "witnessed_on": TODAY},
            [("signed_on", rules.SIGNED_ON_IN_FUTURE)],
        ),
        (
            {"signed_on": TODAY, "witnessed_on": TODAY + datetime.timedelta(days=1)},
            [("witnessed_on", rules.WITNESSED_ON_IN_FUTURE)],
        ),
        (
            {"signed_on": TODAY, "witnessed_on": TODAY - datetime.timedelta(days=1)},
            [("witnessed_on", rules.WITNESSED_BEFORE_SIGNED)],
        ),
        (
            {"signer_dob": TODAY + datetime.timedelta(days=1)},
            [("signer_dob", rules.SIGNER_DOB_IN_FUTURE)],
        ),
        ({"signer_dob": TODAY}, [("signer_dob", rules.SIGNER_DOB_NOT_REAL)]),
        ({"signer_dob": datetime.date(1800, 1, 1)}, [("signer_dob", rules.SIGNER_DOB_NOT_REAL)]),
    ],
)
def test_the_consent_form_dates_have_come(dates, expected):
    given = {"signer_dob": None, "signed_on": None, "witnessed_on": None} | dates
    problems = rules.unmet_for_consent_dates(**given, today=TODAY)
    assert [(p.field, p.message) for p in problems] == expected
