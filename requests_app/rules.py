"""Data preconditions of the Request/Disclosure form: pure functions, no writes.

Forms and the workflow call these; they are the one home of each rule.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection, Mapping
from typing import TYPE_CHECKING, Any

from requests_app.models import VIW_OR_CO, DeliveryMethod, YesNo
from ui.problems import NON_FIELD, Problem

if TYPE_CHECKING:
    from governance.people.models import User
    from requests_app.models import InformationRequest


def consent_question_applies(subject_role: str) -> bool:
    """Appendix B: "If a VIW or CO, has consent been obtained and included?"."""
    return subject_role in VIW_OR_CO


def public_interest_reason_required(*, subject_role: str, consent_obtained: str) -> bool:
    """Appendix B, protocol 6: if not a VIW or CO, or no consent was obtained, the requester states
    whether disclosure is in the public interest and why."""
    return not (consent_question_applies(subject_role) and consent_obtained == YesNo.YES)


def required_by_is_valid(required_by: datetime.date, today: datetime.date) -> bool:
    """The date the information is required by cannot be in the past."""
    return required_by >= today


def date_of_birth_is_valid(dob: datetime.date, today: datetime.date) -> bool:
    """A date of birth is a real date in the past, within a human lifetime."""
    return datetime.date(today.year - 130, 1, 1) <= dob < today


def shared_with_consent(req: InformationRequest) -> bool:
    """App. G 9(e): a disclosure is with consent when consent was obtained and included, and
    (protocol 5.1) not since withdrawn: if consent records are held for the request, at least
    one of them is still active. Reads `req.consent_records`, so a prefetch serves it."""
    if not (consent_question_applies(req.subject_role) and req.consent_obtained == YesNo.YES):
        return False
    records = list(req.consent_records.all())
    return not records or any(record.is_active for record in records)


def consented_or_authorised_by(
    req: InformationRequest, *, with_consent: bool, authorised_by: str
) -> str:
    """App. G 9(g): who consented (the signers of the active consent records, or the consent
    Part A says was obtained) or, without consent, who authorised the sharing."""
    if not with_consent:
        return authorised_by
    signers = [r.consented_by for r in req.consent_records.all() if r.is_active]
    if signers:
        return "; ".join(signers)
    return f"Consent obtained and included by the requester, {req.requester_name} (Part A)"


def public_interest_stated(req: InformationRequest) -> bool:
    """protocol 6: without consent, the request states that disclosure is in the public
    interest, and why."""
    return req.public_interest == YesNo.YES and bool(req.public_interest_reason.strip())


SENT_REASON = (
    "The request has been sent to this organisation. To ask another partner, make a new request."
)
CONSENT_REASON = (
    "Consent has been recorded for this person and this organisation. To change it, make a new "
    "request."
)
SUBJECT_FIELDS = ("subject_name", "subject_address", "subject_dob")


def fixed_part_a_fields(req: InformationRequest) -> dict[str, str]:
    """Part A answers that can no longer change, with the reason shown to the requester.

    Once sent, a request stays with its partner and assigned officer. Once consent is recorded
    (Appendix B), it was given for this person and this organisation only (protocol 5.1)."""
    fixed: dict[str, str] = {}
    if req.reached_partner:
        fixed["receiving_organisation"] = SENT_REASON
    if req.consent_records.exists():
        fixed["receiving_organisation"] = CONSENT_REASON
        fixed.update(dict.fromkeys(SUBJECT_FIELDS, CONSENT_REASON))
    return fixed


# Part A: what the requester must answer before a draft is saved or sent. The forms show these and
# the services and transition() refuse with them, so the words are the same everywhere.
DEPARTMENT_MISSING = "Enter your organisation or department"
REQUESTER_ADDRESS_MISSING = "Enter your work address"
REQUESTER_PHONE_MISSING = "Enter your contact phone number"
RECEIVING_ORGANISATION_MISSING = "Select the organisation you are asking"
RECEIVING_ORGANISATION_INACTIVE = "Select an organisation that is a current partner"
SUBJECT_ADDRESS_MISSING = "Enter the address of the person the information is about"
DESCRIPTION_MISSING = "Describe the information you need and why"
SUBJECT_NAME_MISSING = "Enter the name of the person the information is about"
SUBJECT_ROLE_MISSING = (
    "Select whether the person is a victim, informant, witness, suspect or convicted offender"
)
REQUIRED_BY_MISSING = "Enter the date the information is required by"
REQUIRED_BY_PAST = "Date the information is required by must be today or in the future"
URGENCY_REASON_MISSING = "Enter the reason the request is urgent"
CONSENT_ANSWER_MISSING = "Select whether consent has been obtained"
PUBLIC_INTEREST_NOT_STATED = (
    "Without consent, select yes if disclosure is in the public interest: otherwise the "
    "information cannot be requested under the protocol"
)
PUBLIC_INTEREST_REASON_MISSING = "Enter the reason disclosure is in the public interest"
LEGISLATION_MISSING = "Select at least one piece of legislation"
OTHER_LEGISLATION_MISSING = "Enter the other legislation"
SIGNATURE_MISSING = "Type your full name to sign"
SIGNATURE_MISMATCH = "Type your full name exactly as it appears on your account"

# The Part A answers the rules read, as the model holds them.
PART_A_RULE_FIELDS = (
    "requester_department",
    "requester_address",
    "requester_phone",
    "information_description",
    "subject_name",
    "subject_address",
    "subject_role",
    "required_by",
    "is_urgent",
    "urgency_reason",
    "consent_obtained",
    "public_interest",
    "public_interest_reason",
    "legislation_other",
)


def _blank(value: Any) -> bool:
    return not str(value or "").strip()


# Appendix B, Part A: who is asking and how the partner reaches them, and the person the
# information is about. The partner replies to these and checks its records against them.
PART_A_REQUIRED_TEXT = (
    ("requester_department", DEPARTMENT_MISSING),
    ("requester_address", REQUESTER_ADDRESS_MISSING),
    ("requester_phone", REQUESTER_PHONE_MISSING),
    ("information_description", DESCRIPTION_MISSING),
    ("subject_name", SUBJECT_NAME_MISSING),
    ("subject_address", SUBJECT_ADDRESS_MISSING),
)


def receiving_organisation_current(values: Mapping[str, Any]) -> list[Problem]:
    """Appendix A (the signatories): a request goes only to a current partner organisation; one
    the administrator has deactivated no longer shares under the protocol. Judged only when the
    answer is given: once sent, the partner is fixed (fixed_part_a_fields) and not asked again."""
    if "receiving_organisation" not in values:
        return []
    organisation = values["receiving_organisation"]
    if organisation is None or organisation == "":
        return [Problem("receiving_organisation", RECEIVING_ORGANISATION_MISSING)]
    if not getattr(organisation, "is_active", False):
        return [Problem("receiving_organisation", RECEIVING_ORGANISATION_INACTIVE)]
    return []


def required_by_in_time(
    required_by: datetime.date | None, *, today: datetime.date
) -> list[Problem]:
    """Appendix B "Date information required by": the partner needs a date it can still meet."""
    if required_by is None:
        return [Problem("required_by", REQUIRED_BY_MISSING)]
    if not required_by_is_valid(required_by, today):
        return [Problem("required_by", REQUIRED_BY_PAST)]
    return []


def urgency_reason_given(*, is_urgent: bool, urgency_reason: str) -> list[Problem]:
    """Appendix B "Is this request urgent? If yes, please state reason": the partner puts an
    urgent request first only for a stated reason."""
    if is_urgent and _blank(urgency_reason):
        return [Problem("urgency_reason", URGENCY_REASON_MISSING)]
    return []


def consent_answered(*, subject_role: str, consent_obtained: str) -> list[Problem]:
    """Appendix B footnote 1: for a VIW or CO the requester says whether consent was obtained."""
    if consent_question_applies(subject_role) and not consent_obtained:
        return [Problem("consent_obtained", CONSENT_ANSWER_MISSING)]
    return []


def public_interest_given(
    *, subject_role: str, consent_obtained: str, public_interest: str, public_interest_reason: str
) -> list[Problem]:
    """protocol 6, Appendix B: without consent, information is requested only where disclosure is
    in the public interest, and the request says why."""
    if not public_interest_reason_required(
        subject_role=subject_role, consent_obtained=consent_obtained
    ):
        return []
    if public_interest != YesNo.YES:
        return [Problem("public_interest", PUBLIC_INTEREST_NOT_STATED)]
    if _blank(public_interest_reason):
        return [Problem("public_interest_reason", PUBLIC_INTEREST_REASON_MISSING)]
    return []


def legislation_given(
    *, legislation: Collection[Any], legislation_other: str, other_selected: bool = False
) -> list[Problem]:
    """protocol 4, Appendix B "Under which piece of legislation?": every request names its lawful
    power, from the list or stated in words when "Other" is ticked."""
    if other_selected and _blank(legislation_other):
        return [Problem("legislation_other", OTHER_LEGISLATION_MISSING)]
    if not legislation and _blank(legislation_other):
        return [Problem("legislation", LEGISLATION_MISSING)]
    return []


def signature_matches(signature_name: str, signer: User) -> list[Problem]:
    """Appendix B, Parts A and B: each part is signed by the officer who completes it. A typed
    name stands for a signature only when it is the signed-in officer's own."""
    typed = " ".join((signature_name or "").split())
    if not typed:
        return [Problem("signature_name", SIGNATURE_MISSING)]
    if typed.casefold() != " ".join(signer.full_name.split()).casefold():
        return [Problem("signature_name", SIGNATURE_MISMATCH)]
    return []


def unmet_for_part_a(
    values: Mapping[str, Any], *, today: datetime.date, other_legislation_selected: bool = False
) -> list[Problem]:
    """protocol 8.3.1, Appendix B: what Part A must hold, whether saved as a draft or sent.

    `values` holds the answers as the model stores them (`is_urgent` a bool, `legislation` the
    chosen Acts, `receiving_organisation` an Organisation); a missing answer counts as blank,
    except the receiving organisation, judged only when given."""
    problems = receiving_organisation_current(values)
    problems += [
        Problem(name, message) for name, message in PART_A_REQUIRED_TEXT if _blank(values.get(name))
    ]
    role = values.get("subject_role") or ""
    if not role:
        problems.append(Problem("subject_role", SUBJECT_ROLE_MISSING))
    problems += required_by_in_time(values.get("required_by"), today=today)
    problems += urgency_reason_given(
        is_urgent=bool(values.get("is_urgent")), urgency_reason=values.get("urgency_reason", "")
    )
    if role:
        consent_obtained = values.get("consent_obtained") or ""
        problems += consent_answered(subject_role=role, consent_obtained=consent_obtained)
        problems += public_interest_given(
            subject_role=role,
            consent_obtained=consent_obtained,
            public_interest=values.get("public_interest") or "",
            public_interest_reason=values.get("public_interest_reason") or "",
        )
    problems += legislation_given(
        legislation=values.get("legislation") or [],
        legislation_other=values.get("legislation_other") or "",
        other_selected=other_legislation_selected,
    )
    return problems


def part_a_values(req: InformationRequest) -> dict[str, Any]:
    """The Part A answers a saved request holds, for the rules above. The receiving organisation
    is among them until the request reaches it; after that it cannot change, so a partner that
    has since left the protocol does not stop the requester answering its questions."""
    values: dict[str, Any] = {name: getattr(req, name) for name in PART_A_RULE_FIELDS}
    values["legislation"] = list(req.legislation.values_list("pk", flat=True))
    if not req.reached_partner:
        values["receiving_organisation"] = req.receiving_organisation
    return values


def unmet_for_submit(req: InformationRequest, *, today: datetime.date) -> list[Problem]:
    """protocol 8.3.1-8.3.2, 9.2: a request is complete before it goes to a partner, judged on
    the answers saved, as a date may have passed since the draft was saved."""
    return unmet_for_part_a(part_a_values(req), today=today)


def unmet_for_signing(
    req: InformationRequest, *, today: datetime.date, signature_name: str, signer: User
) -> list[Problem]:
    """protocol 8.3.1: the requester signs a complete Part A with their own name before it goes
    to a partner."""
    return unmet_for_submit(req, today=today) + signature_matches(signature_name, signer)


# Part B: what the disclosing officer must record before a decision is written (App. G 9).
DECLINE_REASON_MISSING = "Enter the reason for declining the request"
CHECKS_UNCONFIRMED = "Confirm every check before disclosing"
DECISION_REASONS_MISSING = "Enter the reasons for the decision to share"
INFORMATION_DISCLOSED_MISSING = "Enter the information disclosed or attach it"
INFORMATION_TYPE_MISSING = "Enter the type of information shared"
DELIVERY_METHOD_MISSING = "Select how the information is delivered"
DELIVERY_METHOD_OTHER_MISSING = "Enter the other delivery method"
SUBJECT_INFORMED_MISSING = "Select yes if the person or their family has been informed"
SUBJECT_NOT_INFORMED_REASON_MISSING = "Enter why the person or their family has not been informed"
# Appendix B, Part B "When to share": the five questions, each answered yes or no.
WHEN_TO_SHARE_UNANSWERED = {
    "share_legitimate_purpose": "Answer whether there is a legitimate purpose",
    "share_identifiable": "Answer whether the person can be identified",
    "share_confidential": "Answer whether the information is confidential",
    "share_consent": "Answer whether you have consent to share",
    "share_other_lawful_reason": "Answer whether there is another lawful reason to share",
}
# Part B's yes/no answers, with what the page says when one is not yes or no.
PART_B_YES_NO = {**WHEN_TO_SHARE_UNANSWERED, "subject_informed": SUBJECT_INFORMED_MISSING}
NO_LAWFUL_BASIS_MESSAGE = (
    "There is no consent (it was not obtained or has been withdrawn) and the request gives no "
    "public-interest reason: ask the requester for more information before disclosing"
)

# protocol 9.2 (the form is complete; consent evidence) and 9.3 (necessary, accurate,
# depersonalised, need to know, secure): the checks confirmed before disclosing.
DISCLOSURE_CHECKS = (
    "check_form_complete",
    "check_necessary",
    "check_accurate",
    "check_depersonalised",
    "check_need_to_know",
    "check_secure",
)
CONSENT_EVIDENCE_CHECK = "check_consent_evidence"


def checks_confirmed(part_b: Mapping[str, Any], *, with_consent: bool) -> list[Problem]:
    """protocol 9.2-9.3: the disclosing officer confirms every check before disclosing, and the
    consent evidence when sharing with consent.

    A check counts as confirmed only when it is True itself: the record keeps each as a boolean,
    and a value such as "False" or "0" is truthy but would be saved as a check not made."""
    required = DISCLOSURE_CHECKS + ((CONSENT_EVIDENCE_CHECK,) if with_consent else ())
    if all(part_b.get(name) is True for name in required):
        return []
    return [Problem("checks", CHECKS_UNCONFIRMED)]


def lawful_basis_stated(req: InformationRequest, *, with_consent: bool) -> list[Problem]:
    """protocol 5.1 and 6: a disclosure without consent needs the public-interest reason,
    including when consent given at the time of the request has since been withdrawn."""
    if not with_consent and not public_interest_stated(req):
        return [Problem("disclosure_agreed", NO_LAWFUL_BASIS_MESSAGE)]
    return []


def delivery_method_given(part_b: Mapping[str, Any]) -> list[Problem]:
    """App. G 9(i): the record says how the information was shared, as one of the methods the
    form offers (the decision record copies it as the sharing method)."""
    method = part_b.get("delivery_method") or ""
    if method not in DeliveryMethod.values:
        return [Problem("delivery_method", DELIVERY_METHOD_MISSING)]
    if method == DeliveryMethod.OTHER and _blank(part_b.get("delivery_method_other")):
        return [Problem("delivery_method_other", DELIVERY_METHOD_OTHER_MISSING)]
    return []


def subject_informed_answered(part_b: Mapping[str, Any], *, with_consent: bool) -> list[Problem]:
    """App. G 9(f): sharing without consent records whether the person or their family were
    informed and, if not, why not."""
    if with_consent:
        return []
    informed = part_b.get("subject_informed") or ""
    if not informed:
        return [Problem("subject_informed", SUBJECT_INFORMED_MISSING)]
    if informed == YesNo.NO and _blank(part_b.get("subject_not_informed_reason")):
        return [Problem("subject_not_informed_reason", SUBJECT_NOT_INFORMED_REASON_MISSING)]
    return []


def yes_no_answers_valid(part_b: Mapping[str, Any]) -> list[Problem]:
    """Appendix B, Part B: "When to share" and "has the person or their family been informed"
    (App. G 9(f)) are answered yes or no. An answer given as anything else is refused rather
    than kept on a record that cannot change."""
    return [
        Problem(name, message)
        for name, message in PART_B_YES_NO.items()
        if part_b.get(name) not in (None, "") and part_b.get(name) not in YesNo.values
    ]


# What Part B holds only for one outcome (Appendix B, Part B; App. G 9(d), (h), (i)): a decline
# gives its reason; a disclosure gives its reasons, the information, its type and how it went.
DISCLOSED_ONLY = (
    "decision_reasons",
    "information_disclosed",
    "information_type",
    "delivery_method",
    "delivery_method_other",
)
DECLINED_ONLY = ("decline_reason",)


def part_b_for_outcome(part_b: Mapping[str, Any], *, agreed: bool) -> dict[str, Any]:
    """Part B as it is kept for the decision made: the answers that belong to the other outcome
    are blanked, as is the other delivery method unless "Other" was chosen. App. G 9: the
    decision record is permanent, so a decline never holds information "disclosed" and a
    disclosure never holds a reason for declining. Pure: returns a new dict."""
    shaped = dict(part_b)
    for name in DECLINED_ONLY if agreed else DISCLOSED_ONLY:
        if name in shaped:
            shaped[name] = ""
    if shaped.get("delivery_method") != DeliveryMethod.OTHER and "delivery_method_other" in shaped:
        shaped["delivery_method_other"] = ""
    return shaped


def when_to_share_answered(part_b: Mapping[str, Any]) -> list[Problem]:
    """Appendix D/H (HM Government "when to share"): every question is answered before any
    decision, to share or not, so the record shows the decision was weighed."""
    return [
        Problem(name, message)
        for name, message in WHEN_TO_SHARE_UNANSWERED.items()
        if part_b.get(name) in (None, "")
    ]


def unmet_for_decline(*, part_b: Mapping[str, Any], signer: User) -> list[Problem]:
    """App. G 9(d): a decision not to share is recorded with its reasons, signed by the deciding
    officer (Appendix B, Part B)."""
    problems = when_to_share_answered(part_b) + yes_no_answers_valid(part_b)
    if _blank(part_b.get("decline_reason")):
        problems.append(Problem("decline_reason", DECLINE_REASON_MISSING))
    return problems + signature_matches(part_b.get("signature_name") or "", signer)


def unmet_for_disclosure(
    req: InformationRequest, *, part_b: Mapping[str, Any], signer: User, attached: bool
) -> list[Problem]:
    """protocol 9.2-9.3 and App. G 9: what Part B must hold before information is disclosed.

    `part_b` holds Part B as the model stores it (the checks as booleans); `attached` says whether
    the information goes as attached files."""
    with_consent = shared_with_consent(req)
    problems = lawful_basis_stated(req, with_consent=with_consent)
    problems += when_to_share_answered(part_b) + yes_no_answers_valid(part_b)
    problems += checks_confirmed(part_b, with_consent=with_consent)
    # App. G 9(d): the reasons for the decision to share.
    if _blank(part_b.get("decision_reasons")):
        problems.append(Problem("decision_reasons", DECISION_REASONS_MISSING))
    # Appendix B, Part B "Information disclosed", in the form or attached to it.
    if _blank(part_b.get("information_disclosed")) and not attached:
        problems.append(Problem("information_disclosed", INFORMATION_DISCLOSED_MISSING))
    # App. G 9(h): what type of information was shared (not the content).
    if _blank(part_b.get("information_type")):
        problems.append(Problem("information_type", INFORMATION_TYPE_MISSING))
    problems += delivery_method_given(part_b)
    problems += subject_informed_answered(part_b, with_consent=with_consent)
    return problems + signature_matches(part_b.get("signature_name") or "", signer)


EXTENSION_CLOCK_NOT_RUNNING = (
    "An extension can be recorded only while the clock runs: the request is waiting for a reply "
    "from the disclosing organisation"
)
EXTENSION_DATE_REQUIRED = "Enter the new due date"
EXTENSION_REASON_REQUIRED = "Enter why the due date is extended"
EXTENSION_AGREED_WITH_REQUIRED = "Enter the name of the person the extension was agreed with"
EXTENSION_TEXT_MAX_LENGTH = 2000
EXTENSION_NAME_MAX_LENGTH = 200


def unmet_for_extension(
    *,
    req: InformationRequest,
    new_due_date: datetime.date | None,
    reason: str,
    agreed_with: str,
) -> list[Problem]:
    """protocol 9.2 "a reply ... within an agreed timescale": an extension is agreed with the
    requester, has its reason, and moves the due date later while the clock runs."""
    problems: list[Problem] = []
    if not req.clock_running or req.due_date is None:
        return [Problem(NON_FIELD, EXTENSION_CLOCK_NOT_RUNNING)]
    if new_due_date is None:
        problems.append(Problem("new_due_date", EXTENSION_DATE_REQUIRED))
    elif new_due_date <= req.due_date:
        problems.append(
            Problem(
                "new_due_date",
                "The new due date must be later than the current due date, "
                f"{req.due_date.day} {req.due_date:%B %Y}",
            )
        )
    if not reason:
        problems.append(Problem("reason", EXTENSION_REASON_REQUIRED))
    elif len(reason) > EXTENSION_TEXT_MAX_LENGTH:
        problems.append(
            Problem("reason", f"Reason must be {EXTENSION_TEXT_MAX_LENGTH} characters or fewer")
        )
    if not agreed_with:
        problems.append(Problem("agreed_with", EXTENSION_AGREED_WITH_REQUIRED))
    elif len(agreed_with) > EXTENSION_NAME_MAX_LENGTH:
        problems.append(
            Problem("agreed_with", f"Name must be {EXTENSION_NAME_MAX_LENGTH} characters or fewer")
        )
    return problems
