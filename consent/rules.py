"""The rules of consent (protocol 5, Appendix B's Consent form, App. F and App. G): pure functions,
no writes. Forms, services, pages and the PDF call these; none of them restates a rule.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from consent.choices import SignerCapacity, WithdrawalMethod
from requests_app.models import Status, YesNo
from requests_app.rules import date_of_birth_is_valid
from ui.problems import Problem

if TYPE_CHECKING:
    from consent.models import ConsentRecord
    from requests_app.models import InformationRequest

# App. G: a child or young person is anyone under 18 (Children Act 1989 s.105(1)).
ADULT_AGE = 18

# Appendix B groups "Parent/Guardian/Carer": people who may hold parental responsibility.
PARENTAL_CAPACITIES = frozenset(
    {SignerCapacity.PARENT, SignerCapacity.GUARDIAN, SignerCapacity.CARER}
)
# App. F (MCA 2005 ss.9-20): only an attorney or a deputy with that authority may consent for a
# person who lacks capacity; anyone else acts in their best interests, which is not consent.
ON_BEHALF_CAPACITIES = frozenset({SignerCapacity.ATTORNEY, SignerCapacity.DEPUTY})

# Requests on which a consent can no longer be recorded: nothing more will be shared (8.3, 10.3).
FINISHED_STATUSES = frozenset({Status.CLOSED, Status.WITHDRAWN})


@dataclass(frozen=True)
class ConsentAnswers:
    """The answers of a Consent form that the rules read.

    `unable_to` is None when stage 2 of the capacity test has not been answered, and an empty set
    when the person can do all four things it asks about.
    """

    about_signer: str
    signer_capacity: str
    signer_capacity_other: str
    reasons_explained: str
    subject_is_child: bool
    child_sufficient_understanding: str = ""
    no_parental_consent_reason: str = ""
    capacity_in_doubt: str = ""
    capacity_impairment: str = ""
    unable_to: frozenset[str] | None = None


def answers_from(data: Mapping[str, Any], *, subject_is_child: bool) -> ConsentAnswers:
    """The answers of a cleaned Consent form (`unable_to`: a set of Inability values, or None)."""
    return ConsentAnswers(
        about_signer=data.get("about_signer", ""),
        signer_capacity=data.get("signer_capacity", ""),
        signer_capacity_other=data.get("signer_capacity_other", ""),
        reasons_explained=data.get("reasons_explained", ""),
        subject_is_child=subject_is_child,
        child_sufficient_understanding=data.get("child_sufficient_understanding", ""),
        no_parental_consent_reason=data.get("no_parental_consent_reason", ""),
        capacity_in_doubt=data.get("capacity_in_doubt", ""),
        capacity_impairment=data.get("capacity_impairment", ""),
        unable_to=data.get("unable_to"),
    )


def eighteenth_birthday(dob: datetime.date) -> datetime.date:
    try:
        return dob.replace(year=dob.year + ADULT_AGE)
    except ValueError:  # born on 29 February: of age on 1 March in a year that has none
        return datetime.date(dob.year + ADULT_AGE, 3, 1)


def is_child(dob: datetime.date | None, today: datetime.date) -> bool:
    """App. G: the children's rules apply to a subject under 18. Without a date of birth the
    request gives no ground to treat the subject as a child, and the adult rules apply."""
    return dob is not None and today < eighteenth_birthday(dob)


def consent_can_be_recorded(req: InformationRequest) -> bool:
    """protocol 8.3, 10.3: consent is recorded for a request still in use, not a closed or
    withdrawn one."""
    return req.status not in FINISHED_STATUSES


def consent_is_active(record: ConsentRecord) -> bool:
    """protocol 5.1: "Consent lasts as long as required - unless it is withdrawn"."""
    return record.is_active


def reasons_were_explained(answers: ConsentAnswers) -> list[Problem]:
    """protocol 5.1 ("informed consent should be sought"), App. G 3 and 8: the person must
    understand why, what, with whom and the implications before consenting."""
    if answers.reasons_explained == YesNo.NO:
        return [
            Problem(
                "reasons_explained",
                "Explain the reasons for requesting consent before you record it: consent must "
                "be informed",
            )
        ]
    return []


def lacks_capacity(answers: ConsentAnswers) -> bool:
    """App. F, the two-stage test (MCA 2005 ss.2-3): a person lacks capacity only if there is an
    impairment of, or disturbance in, the mind or brain (stage 1) and, because of it, they cannot
    understand, retain, use or weigh the information, or communicate the decision (stage 2).
    Capacity is presumed unless both are established (s.1(2))."""
    return (
        not answers.subject_is_child
        and answers.capacity_in_doubt == YesNo.YES
        and answers.capacity_impairment == YesNo.YES
        and bool(answers.unable_to)
    )


def capacity_test_answered(answers: ConsentAnswers) -> list[Problem]:
    """App. F: where there is doubt about an adult's capacity, both stages are answered."""
    if answers.subject_is_child:
        return []
    if not answers.capacity_in_doubt:
        return [
            Problem(
                "capacity_in_doubt",
                "Select yes if there is any doubt about the person's capacity to consent",
            )
        ]
    if answers.capacity_in_doubt == YesNo.NO:
        return []
    if not answers.capacity_impairment:
        return [
            Problem(
                "capacity_impairment",
                "Select yes if the person has an impairment of, or a disturbance in the "
                "functioning of, the mind or brain",
            )
        ]
    if answers.capacity_impairment == YesNo.YES and answers.unable_to is None:
        return [
            Problem(
                "unable_to",
                "Select what the person cannot do for this decision, or select that they can do "
                "all of these",
            )
        ]
    return []


def child_consent_answered(answers: ConsentAnswers) -> list[Problem]:
    """App. G 2: consent comes from a child of sufficient age and understanding, or a parent.
    App. G 7: a decision to proceed without parental consent must be recorded, with its reason."""
    if not answers.subject_is_child:
        return []
    if not answers.child_sufficient_understanding:
        return [
            Problem(
                "child_sufficient_understanding",
                "Select yes if the child is of sufficient age and understanding to consent "
                "themselves",
            )
        ]
    child_signed = answers.about_signer == YesNo.YES
    if child_signed and answers.child_sufficient_understanding == YesNo.NO:
        return [
            Problem(
                "about_signer",
                "A child who is not of sufficient age and understanding cannot consent "
                "themselves: a parent, guardian or carer with parental responsibility must sign",
            )
        ]
    if child_signed and not answers.no_parental_consent_reason.strip():
        return [
            Problem(
                "no_parental_consent_reason",
                "Enter why you are proceeding without the consent of a parent",
            )
        ]
    return []


def valid_signer(answers: ConsentAnswers) -> list[Problem]:
    """Who may sign. Appendix B: someone other than the subject says in what capacity they act.
    App. G 2: for a child, the child (see child_consent_answered) or a parent, guardian or carer
    with parental responsibility. App. F: for a person who lacks capacity, only an attorney or a
    deputy. An adult is presumed to have capacity and may sign for themselves."""
    if answers.about_signer == YesNo.NO:
        if not answers.signer_capacity:
            return [Problem("signer_capacity", "Select the capacity in which the signer is acting")]
        if (
            answers.signer_capacity == SignerCapacity.OTHER
            and not answers.signer_capacity_other.strip()
        ):
            return [
                Problem(
                    "signer_capacity_other", "Describe the capacity in which the signer is acting"
                )
            ]
        if answers.subject_is_child and answers.signer_capacity not in PARENTAL_CAPACITIES:
            return [
                Problem(
                    "signer_capacity",
                    "For a child, select parent, guardian or carer: only someone with parental "
                    "responsibility can consent for a child",
                )
            ]
    if lacks_capacity(answers):
        if answers.about_signer == YesNo.YES:
            return [
                Problem(
                    "about_signer",
                    "The person lacks capacity to make this decision, so cannot consent "
                    "themselves: an attorney or a deputy must sign for them",
                )
            ]
        if answers.signer_capacity not in ON_BEHALF_CAPACITIES:
            return [
                Problem(
                    "signer_capacity",
                    "For a person who lacks capacity, select attorney or deputy: only they can "
                    "consent on the person's behalf",
                )
            ]
    elif not answers.subject_is_child and answers.about_signer == YesNo.NO:
        # App. F: an adult is presumed to have capacity, and an adult with capacity gives or
        # refuses consent themselves; nobody else can consent for them.
        return [
            Problem(
                "about_signer",
                "An adult who has capacity consents for themselves: someone else can sign only "
                "for a child, or for an adult who lacks capacity",
            )
        ]
    return []


def unmet_for_consent(answers: ConsentAnswers) -> list[Problem]:
    """Every rule a Consent form must meet before it is recorded, at most one problem a question."""
    problems: list[Problem] = []
    seen: set[str] = set()
    for problem in (
        *reasons_were_explained(answers),
        *child_consent_answered(answers),
        *capacity_test_answered(answers),
        *valid_signer(answers),
    ):
        if problem.field not in seen:
            seen.add(problem.field)
            problems.append(problem)
    return problems


def applicable_answers(answers: ConsentAnswers) -> ConsentAnswers:
    """The answers with those to questions that did not apply left out, so a record never holds
    an answer that no rule read (a capacity for a person who signed for themselves, the capacity
    test for a child, stage 2 without stage 1)."""
    about_self = answers.about_signer == YesNo.YES
    capacity = "" if about_self else answers.signer_capacity
    child = answers.subject_is_child
    in_doubt = "" if child else answers.capacity_in_doubt
    impairment = answers.capacity_impairment if in_doubt == YesNo.YES else ""
    return ConsentAnswers(
        about_signer=answers.about_signer,
        signer_capacity=capacity,
        signer_capacity_other=(
            answers.signer_capacity_other if capacity == SignerCapacity.OTHER else ""
        ),
        reasons_explained=answers.reasons_explained,
        subject_is_child=child,
        child_sufficient_understanding=answers.child_sufficient_understanding if child else "",
        no_parental_consent_reason=(
            answers.no_parental_consent_reason if child and about_self else ""
        ),
        capacity_in_doubt=in_doubt,
        capacity_impairment=impairment,
        unable_to=answers.unable_to if impairment == YesNo.YES else None,
    )


def answers_of(record: ConsentRecord) -> ConsentAnswers:
    """The answers a saved record holds, so a record can be checked against the same rules."""
    return ConsentAnswers(
        about_signer=record.about_signer,
        signer_capacity=record.signer_capacity,
        signer_capacity_other=record.signer_capacity_other,
        reasons_explained=record.reasons_explained,
        subject_is_child=record.subject_is_child,
        child_sufficient_understanding=record.child_sufficient_understanding,
        no_parental_consent_reason=record.no_parental_consent_reason,
        capacity_in_doubt=record.capacity_in_doubt,
        capacity_impairment=record.capacity_impairment,
        unable_to=record.inabilities if record.capacity_impairment == YesNo.YES else None,
    )


# Appendix B, Consent form: the dates written on the paper form and the witness's own.
SIGNER_DOB_IN_FUTURE = "Signer's date of birth must be today or in the past"
SIGNER_DOB_NOT_REAL = "Signer's date of birth must be a real date in the past"
SIGNED_ON_IN_FUTURE = "Date the form was signed must be today or in the past"
WITNESSED_ON_IN_FUTURE = "Date you witnessed the signature must be today or in the past"
WITNESSED_BEFORE_SIGNED = (
    "Date you witnessed the signature must be the same as or after the date the form was signed"
)


def unmet_for_consent_dates(
    *,
    signer_dob: datetime.date | None,
    signed_on: datetime.date | None,
    witnessed_on: datetime.date | None,
    today: datetime.date,
) -> list[Problem]:
    """protocol 5.1, Appendix B: consent is recorded once it has been given, so the form was
    signed, and its signature witnessed, on a day that has come, and witnessed no earlier than
    signed; the signer's date of birth is a real past date. The record cannot be changed later,
    so a date in the future is refused rather than kept. A date not given is left to the form's
    own "Enter" message (and the record's required field)."""
    problems: list[Problem] = []
    if signer_dob is not None:
        if signer_dob > today:
            problems.append(Problem("signer_dob", SIGNER_DOB_IN_FUTURE))
        elif not date_of_birth_is_valid(signer_dob, today):
            problems.append(Problem("signer_dob", SIGNER_DOB_NOT_REAL))
    signed_in_time = signed_on is not None and signed_on <= today
    if signed_on is not None and not signed_in_time:
        problems.append(Problem("signed_on", SIGNED_ON_IN_FUTURE))
    if witnessed_on is not None:
        if witnessed_on > today:
            problems.append(Problem("witnessed_on", WITNESSED_ON_IN_FUTURE))
        elif signed_in_time and witnessed_on < signed_on:
            problems.append(Problem("witnessed_on", WITNESSED_BEFORE_SIGNED))
    return problems


WITHDRAWAL_METHOD_OTHER_MISSING = "Enter how the person withdrew their consent"
WITHDRAWN_BEFORE_SIGNED = (
    "Date the person withdrew their consent must be the same as or after the date the form was "
    "signed"
)
WITHDRAWN_IN_FUTURE = "Date the person withdrew their consent must be today or in the past"


def unmet_for_withdrawal(
    *,
    method: str,
    method_other: str,
    withdrawn_on: datetime.date | None,
    signed_on: datetime.date,
    today: datetime.date,
) -> list[Problem]:
    """protocol 5.1: a withdrawal is recorded with how the person withdrew (in their words when
    "other") and when: a day that has come (a consent ends when it is withdrawn, not in advance
    of it), and not before the consent it withdraws was given."""
    problems = []
    if method == WithdrawalMethod.OTHER and not method_other.strip():
        problems.append(Problem("method_other", WITHDRAWAL_METHOD_OTHER_MISSING))
    if withdrawn_on is not None and withdrawn_on > today:
        problems.append(Problem("withdrawn_on", WITHDRAWN_IN_FUTURE))
    elif withdrawn_on is not None and withdrawn_on < signed_on:
        problems.append(Problem("withdrawn_on", WITHDRAWN_BEFORE_SIGNED))
    return problems
