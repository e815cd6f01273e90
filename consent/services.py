"""Recording a consent and its withdrawal. Each writes its audit event in the same transaction."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.db import transaction
from django.utils import timezone

from consent import permissions, rules
from consent.models import WITHDRAWAL_FIELDS, ConsentRecord, Inability, WithdrawalMethod
from governance.audit import trail as audit
from governance.audit.models import AuditAction
from governance.people.access import AccessRefused
from governance.people.models import User
from requests_app.models import InformationRequest
from ui.problems import ProblemsError

# What the person wrote on the form, copied onto the record as given.
FORM_FIELDS = (
    "disclosing_officer_ref",
    "consent_given_to",
    "disclose_to",
    "purposes",
    "signer_name",
    "signer_address",
    "signer_dob",
    "signed_on",
    "signature_method",
    "signed_form_location",
    "witnessed_on",
)

# The answers the rules read (rules.ConsentAnswers); `unable_to` is stage 2 of the capacity test.
ANSWER_FIELDS = (
    "about_signer",
    "signer_capacity",
    "signer_capacity_other",
    "reasons_explained",
    "child_sufficient_understanding",
    "no_parental_consent_reason",
    "capacity_in_doubt",
    "capacity_impairment",
    "unable_to",
)
# The only keys a Consent form gives. Who witnessed it, the request, and the withdrawal are never
# taken from input: the services write them.
CONSENT_FORM_FIELDS = FORM_FIELDS + ANSWER_FIELDS
UNKNOWN_FIELDS_MESSAGE = "The Consent form does not have these fields: {fields}"

INABILITY_FIELDS = {
    Inability.UNDERSTAND: "unable_to_understand",
    Inability.RETAIN: "unable_to_retain",
    Inability.USE_OR_WEIGH: "unable_to_use_or_weigh",
    Inability.COMMUNICATE: "unable_to_communicate",
}


CANNOT_RECORD_MESSAGE = "Consent cannot be recorded on a closed or withdrawn request"
ALREADY_WITHDRAWN_MESSAGE = "This consent has already been withdrawn"


class ConsentNotRecorded(ProblemsError):
    """The form breaks a consent rule, or the request no longer takes consent."""


class WithdrawalNotRecorded(ProblemsError):
    """The withdrawal breaks a rule of protocol 5.1 (rules.unmet_for_withdrawal)."""


class ConsentAlreadyWithdrawn(WithdrawalNotRecorded):
    """protocol 5.1: a consent is withdrawn once; its record then stays as it is."""


def _consent_form_values(data: dict[str, Any]) -> dict[str, Any]:
    """Refuse any key that is not on the Consent form (e.g. witnessed_by), rather than copy it."""
    unknown = sorted(set(data) - set(CONSENT_FORM_FIELDS))
    if unknown:
        raise ValueError(UNKNOWN_FIELDS_MESSAGE.format(fields=", ".join(unknown)))
    return data


@transaction.atomic
def consent_record_create(
    *, reference: str, actor: User, data: dict[str, Any], today: datetime.date | None = None
) -> ConsentRecord:
    """Record a signed Consent form (Appendix B) on a request, witnessed by its requester.

    `data` holds the form's answers, with `unable_to` a set of Inability values (None when stage 2
    of the capacity test was not answered).
    """
    data = _consent_form_values(data)
    req = InformationRequest.objects.select_for_update().get(reference=reference)
    if not permissions.can_record_consent(actor, req):
        raise AccessRefused(obj=req, detail="record consent")
    if not rules.consent_can_be_recorded(req):
        raise ConsentNotRecorded(CANNOT_RECORD_MESSAGE)
    today = today or timezone.localdate()
    subject_is_child = rules.is_child(req.subject_dob, today)
    answers = rules.answers_from(data, subject_is_child=subject_is_child)
    # protocol 5.1: the record is written once and kept, so a date that has not come is refused
    # here as the form refuses it.
    unmet = rules.unmet_for_consent_dates(
        signer_dob=data.get("signer_dob"),
        signed_on=data.get("signed_on"),
        witnessed_on=data.get("witnessed_on"),
        today=today,
    )
    unmet += rules.unmet_for_consent(answers)
    if unmet:
        raise ConsentNotRecorded(unmet)

    kept = rules.applicable_answers(answers)
    record = ConsentRecord(
        request=req,
        witnessed_by=actor,
        witness_name=actor.full_name,
        witness_position=actor.job_title,
        about_signer=kept.about_signer,
        signer_capacity=kept.signer_capacity,
        signer_capacity_other=kept.signer_capacity_other,
        reasons_explained=kept.reasons_explained,
        subject_is_child=kept.subject_is_child,
        child_sufficient_understanding=kept.child_sufficient_understanding,
        no_parental_consent_reason=kept.no_parental_consent_reason,
        capacity_in_doubt=kept.capacity_in_doubt,
        capacity_impairment=kept.capacity_impairment,
        **{name: data.get(name, "") for name in FORM_FIELDS},
        **{field: value in (kept.unable_to or ()) for value, field in INABILITY_FIELDS.items()},
    )
    record.full_clean(exclude=["request", "witnessed_by"], validate_unique=False)
    record.save()
    audit.record(
        action=AuditAction.CONSENT_RECORDED,
        actor=actor,
        obj=record,
        detail=f"consent record {record.public_id} (protocol 5.1)",
    )
    return record


@transaction.atomic
def consent_withdraw(
    *,
    reference: str,
    public_id: uuid.UUID,
    actor: User,
    withdrawn_on: datetime.date,
    method: str,
    method_other: str = "",
) -> ConsentRecord:
    """protocol 5.1: the person has withdrawn their consent. The record is kept, inactive."""
    req = InformationRequest.objects.get(reference=reference)
    record = ConsentRecord.objects.select_for_update().get(request=req, public_id=public_id)
    record.request = req
    if not permissions.can_record_withdrawal(actor, req):
        raise AccessRefused(obj=record, detail="record consent withdrawal")
    if not rules.consent_is_active(record):
        raise ConsentAlreadyWithdrawn(ALREADY_WITHDRAWN_MESSAGE)
    if unmet := rules.unmet_for_withdrawal(
        method=method,
        method_other=method_other,
        withdrawn_on=withdrawn_on,
        signed_on=record.signed_on,
        today=timezone.localdate(),
    ):
        raise WithdrawalNotRecorded(unmet)
    record.withdrawn_at = timezone.now()
    record.withdrawn_by = actor
    record.withdrawn_on = withdrawn_on
    record.withdrawal_method = method
    record.withdrawal_method_other = method_other if method == WithdrawalMethod.OTHER else ""
    record.save(update_fields=list(WITHDRAWAL_FIELDS))
    audit.record(
        action=AuditAction.CONSENT_WITHDRAWN,
        actor=actor,
        obj=record,
        detail=f"consent record {record.public_id} (protocol 5.1)",
    )
    return record
