"""Data preconditions of the Request/Disclosure form: pure functions, no writes.

Forms and the workflow call these; they are the one home of each rule.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from requests_app.models import SubjectRole, YesNo

if TYPE_CHECKING:
    from requests_app.models import InformationRequest

# Appendix B footnote 1: the consent question applies to a Victim, Informant, Witness or
# Convicted Offender ("VIW or CO").
VIW_OR_CO = frozenset(
    {SubjectRole.VICTIM, SubjectRole.INFORMANT, SubjectRole.WITNESS, SubjectRole.CONVICTED_OFFENDER}
)


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
    from consent.rules import consent_is_active

    if not (consent_question_applies(req.subject_role) and req.consent_obtained == YesNo.YES):
        return False
    records = list(req.consent_records.all())
    return not records or any(consent_is_active(record) for record in records)


def consented_or_authorised_by(
    req: InformationRequest, *, with_consent: bool, authorised_by: str
) -> str:
    """App. G 9(g): who consented (the signers of the active consent records, or the consent
    Part A says was obtained) or, without consent, who authorised the sharing."""
    from consent.rules import consent_is_active

    if not with_consent:
        return authorised_by
    signers = [r.consented_by for r in req.consent_records.all() if consent_is_active(r)]
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


def unmet_for_submit(req: InformationRequest, *, today: datetime.date) -> list[str]:
    """protocol 8.3.1-8.3.2, 9.2: a request is complete before it goes to a partner."""
    unmet = []
    if not req.information_description.strip():
        unmet.append("Describe the information required")
    if not req.subject_name.strip():
        unmet.append("Enter the subject's name")
    if not required_by_is_valid(req.required_by, today):
        unmet.append("The date the information is required by must be today or in the future")
    if req.is_urgent and not req.urgency_reason.strip():
        unmet.append("Enter the reason the request is urgent")
    if consent_question_applies(req.subject_role) and not req.consent_obtained:
        unmet.append("Say whether consent has been obtained")
    if public_interest_reason_required(
        subject_role=req.subject_role, consent_obtained=req.consent_obtained
    ) and not public_interest_stated(req):
        unmet.append("Without consent, disclosure must be in the public interest, with a reason")
    if not req.legislation.exists() and not req.legislation_other.strip():
        unmet.append("Select at least one piece of legislation")
    return unmet


def unmet_for_decision(
    *, agreed: bool, checks: dict[str, bool], consent_applies: bool
) -> list[str]:
    """protocol 9.2-9.3: the disclosing officer confirms the checks before disclosing."""
    if not agreed:
        return []
    required = [
        "check_form_complete",
        "check_necessary",
        "check_accurate",
        "check_depersonalised",
        "check_need_to_know",
        "check_secure",
    ]
    if consent_applies:
        required.append("check_consent_evidence")
    missing = [name for name in required if not checks.get(name)]
    return ["Confirm every check before disclosing"] if missing else []


NO_LAWFUL_BASIS_MESSAGE = (
    "There is no consent (it was not obtained or has been withdrawn) and the request gives no "
    "public-interest reason: ask the requester for more information before disclosing"
)


def unmet_for_disclosure_without_consent(req: InformationRequest, *, agreed: bool) -> list[str]:
    """protocol 5.1 and 6: a disclosure without consent needs the public-interest reason,
    including when consent given at the time of the request has since been withdrawn."""
    if agreed and not shared_with_consent(req) and not public_interest_stated(req):
        return [NO_LAWFUL_BASIS_MESSAGE]
    return []
