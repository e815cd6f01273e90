"""The request workflow: one table of legal moves, and transition(), the only writer of .status.

draft -> submitted -> under review (assigned) -> more information needed -> under review
-> disclosed / declined -> closed; the requester may withdraw a sent request before a decision,
and deletes a draft that will not be sent (draft_delete).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pgtrigger
from django.db import transaction
from django.utils import timezone
from guardian.shortcuts import assign_perm, remove_perm

from governance import audit
from governance.access import AccessRefused
from governance.models import AuditAction, User
from requests_app import notifications, permissions, rules
from requests_app.models import (
    DecisionRecord,
    DeliveryMethod,
    Disclosure,
    InformationRequest,
    Status,
    YesNo,
)

S = Status


class TransitionNotAllowed(Exception):
    """A move the table does not allow from the request's state, or whose preconditions fail."""


@dataclass(frozen=True)
class Transition:
    label: str
    source: frozenset[Status]
    target: Status
    allowed: Callable[[Any, InformationRequest], bool]
    audit_action: AuditAction
    protocol_ref: str


TRANSITIONS: dict[str, Transition] = {
    "submit": Transition(
        "Submit",
        frozenset({S.DRAFT}),
        S.SUBMITTED,
        permissions.is_requester,
        AuditAction.REQUEST_SUBMITTED,
        "8.3",
    ),
    "take": Transition(
        "Take this request",
        frozenset({S.SUBMITTED}),
        S.UNDER_REVIEW,
        permissions.can_take,
        AuditAction.REQUEST_ASSIGNED,
        "9.1",
    ),
    "assign": Transition(
        "Assign",
        frozenset({S.SUBMITTED, S.UNDER_REVIEW}),
        S.UNDER_REVIEW,
        permissions.can_assign,
        AuditAction.REQUEST_ASSIGNED,
        "7.4",
    ),
    "request_more_information": Transition(
        "Ask for more information",
        frozenset({S.UNDER_REVIEW}),
        S.MORE_INFORMATION,
        permissions.is_assigned_discloser,
        AuditAction.MORE_INFORMATION_REQUESTED,
        "9.2",
    ),
    "provide_more_information": Transition(
        "Send the updated request",
        frozenset({S.MORE_INFORMATION}),
        S.UNDER_REVIEW,
        permissions.is_requester,
        AuditAction.MORE_INFORMATION_PROVIDED,
        "9.2",
    ),
    "disclose": Transition(
        "Disclose",
        frozenset({S.UNDER_REVIEW}),
        S.DISCLOSED,
        permissions.is_assigned_discloser,
        AuditAction.REQUEST_DECIDED,
        "9.2-9.3; App. G 9",
    ),
    "decline": Transition(
        "Decline",
        frozenset({S.UNDER_REVIEW}),
        S.DECLINED,
        permissions.is_assigned_discloser,
        AuditAction.REQUEST_DECIDED,
        "9.2; App. G 9",
    ),
    # A draft is never withdrawn: it never reached the partner, so it is deleted (draft_delete).
    "withdraw": Transition(
        "Withdraw",
        frozenset({S.SUBMITTED, S.UNDER_REVIEW, S.MORE_INFORMATION}),
        S.WITHDRAWN,
        permissions.is_requester,
        AuditAction.REQUEST_WITHDRAWN,
        "8.3",
    ),
    "close": Transition(
        "Close",
        frozenset({S.DISCLOSED, S.DECLINED}),
        S.CLOSED,
        permissions.can_close,
        AuditAction.REQUEST_CLOSED,
        "10.3",
    ),
}

# Actions offered as buttons on the request page (decisions have their own page).
PAGE_ACTIONS = ("submit", "take", "withdraw", "close")


def available_actions(user: Any, req: InformationRequest) -> list[str]:
    """The actions this person may take on this request now, in table order."""
    return [
        name for name, t in TRANSITIONS.items() if req.status in t.source and t.allowed(user, req)
    ]


def cannot_message(action: str, req: InformationRequest) -> str:
    label = TRANSITIONS[action].label.lower()
    return f"You cannot {label} a request that is {req.get_status_display().lower()}."


@transaction.atomic
def transition(*, reference: str, action: str, actor: User, **data: Any) -> InformationRequest:
    t = TRANSITIONS[action]  # an unknown action fails closed with KeyError
    req = (
        InformationRequest.objects.select_for_update()
        .select_related("requesting_organisation", "receiving_organisation", "requester")
        .get(reference=reference)
    )
    if not t.allowed(actor, req):
        raise AccessRefused(obj=req, detail=action)
    if req.status not in t.source:
        raise TransitionNotAllowed(cannot_message(action, req))
    effect = _EFFECTS.get(action)
    audit_action = t.audit_action
    detail = f"protocol {t.protocol_ref}"
    if effect is not None:
        audit_action, extra = effect(req, actor, data) or (audit_action, "")
        if extra:
            detail = f"{detail}; {extra}"
    req.status = t.target
    req.save()
    audit.record(action=audit_action, actor=actor, obj=req, detail=detail)
    # robust: a mail server that is down must not turn a saved change into an error page.
    transaction.on_commit(
        lambda: notifications.notify(req=req, action=action, actor=actor), robust=True
    )
    return req


DRAFT_DELETE_REFUSED = "Only a draft can be deleted. Withdraw a request that has been sent."


@transaction.atomic
def draft_delete(*, reference: str, actor: User) -> None:
    """The requester deletes a draft that will not be sent (protocol 8.3; UK GDPR Art 5(1)(c):
    a request never sent is not kept). Its consent forms go with it: nothing was shared under
    them. The audit trail keeps the events, which hold the reference only."""
    req = (
        InformationRequest.objects.select_for_update()
        .select_related("requesting_organisation", "receiving_organisation")
        .get(reference=reference)
    )
    if not permissions.is_requester(actor, req):
        raise AccessRefused(obj=req, detail="delete draft")
    if not permissions.can_delete_draft(actor, req):
        raise TransitionNotAllowed(DRAFT_DELETE_REFUSED)
    consent_forms = req.consent_records.all()
    detail = f"protocol 8.3; {consent_forms.count()} consent form(s) deleted with it"
    with pgtrigger.ignore("consent.ConsentRecord:consent_record_never_deleted"):
        consent_forms.delete()
    audit.record(action=AuditAction.REQUEST_DRAFT_DELETED, actor=actor, obj=req, detail=detail)
    req.delete()  # guardian's grants on it go too (direct foreign keys, CASCADE)


def _submit(req: InformationRequest, actor: User, data: dict[str, Any]) -> None:
    unmet = rules.unmet_for_submit(req, today=timezone.localdate())
    signature = (data.get("signature_name") or "").strip()
    if not signature:
        unmet.append("Type your full name to sign the request")
    if unmet:
        raise TransitionNotAllowed("; ".join(unmet))
    now = timezone.now()
    req.signature_name = signature
    req.signed_by = actor
    req.signed_at = now
    # Part B "date request received": the moment the request reaches the partner.
    req.received_at = now
    return None


def _assign_to(req: InformationRequest, officer: User) -> None:
    previous = req.assigned_officer
    if previous is not None and previous != officer:
        remove_perm("view_personal_details", previous, req)
        remove_perm("decide_request", previous, req)
    assign_perm("view_personal_details", officer, req)
    assign_perm("decide_request", officer, req)
    req.assigned_officer = officer


def _take(req: InformationRequest, actor: User, data: dict[str, Any]) -> None:
    _assign_to(req, actor)


def _assign(req: InformationRequest, actor: User, data: dict[str, Any]) -> tuple[AuditAction, str]:
    officer: User = data["officer"]
    if not permissions.is_receiving_discloser(officer, req):
        raise TransitionNotAllowed(
            "Choose a disclosing officer of the organisation the request is addressed to"
        )
    reassigned = req.assigned_officer is not None and req.assigned_officer != officer
    _assign_to(req, officer)
    action = AuditAction.REQUEST_REASSIGNED if reassigned else AuditAction.REQUEST_ASSIGNED
    return action, f"to user {officer.pk}"


def _request_more_information(req: InformationRequest, actor: User, data: dict[str, Any]) -> None:
    note = (data.get("note") or "").strip()
    if not note:
        raise TransitionNotAllowed("Enter what more information you need")
    req.more_information_note = note
    return None


def _provide_more_information(req: InformationRequest, actor: User, data: dict[str, Any]) -> None:
    unmet = rules.unmet_for_submit(req, today=timezone.localdate())
    if unmet:
        raise TransitionNotAllowed("; ".join(unmet))
    return None


def _decide(req: InformationRequest, actor: User, data: dict[str, Any], *, agreed: bool) -> None:
    part_b: dict[str, Any] = dict(data["part_b"])
    attachments = data.get("attachments", [])
    checks = {k: v for k, v in part_b.items() if k.startswith("check_")}
    unmet = rules.unmet_for_decision(
        agreed=agreed, checks=checks, consent_applies=rules.shared_with_consent(req)
    ) + rules.unmet_for_disclosure_without_consent(req, agreed=agreed)
    if unmet:
        raise TransitionNotAllowed("; ".join(unmet))
    now = timezone.now()
    org = actor.organisation
    disclosure = Disclosure.objects.create(
        request=req,
        disclosure_agreed=agreed,
        disclosed_by=actor,
        discloser_name=actor.full_name,
        discloser_position=actor.job_title,
        discloser_organisation=org.name,
        discloser_department=actor.department or org.department,
        discloser_address=org.address,
        discloser_phone=actor.phone or org.phone,
        discloser_email=actor.email,
        disclosed_to_name=req.requester_name,
        disclosed_to_organisation=(
            f"{req.requesting_organisation.name} / {req.requester_department}"
        ),
        disclosed_to_phone=req.requester_phone,
        date_supplied=timezone.localdate() if agreed else None,
        **part_b,
    )
    for upload in attachments:
        req.attachments.create(file=upload, original_name=upload.name[:200], uploaded_by=actor)
    with_consent = rules.shared_with_consent(req)
    if agreed:
        method = disclosure.get_delivery_method_display()
        if disclosure.delivery_method == DeliveryMethod.OTHER:
            method = f"Other: {disclosure.delivery_method_other}"
    DecisionRecord.objects.create(
        request=req,
        decided_at=now,
        information_summary=req.information_description,
        # App. G 9(c): the requester as they are at the time of the decision.
        requester_name=req.requester.full_name,
        requester_job_title=req.requester.job_title,
        requester_organisation=req.requesting_organisation.name,
        decision="share" if agreed else "decline",
        reasons=disclosure.decision_reasons if agreed else disclosure.decline_reason,
        with_consent=with_consent,
        subject_informed="" if with_consent else disclosure.subject_informed,
        subject_not_informed_reason=(
            ""
            if with_consent or disclosure.subject_informed == YesNo.YES
            else disclosure.subject_not_informed_reason
        ),
        consented_or_authorised_by=rules.consented_or_authorised_by(
            req,
            with_consent=with_consent,
            authorised_by=disclosure.authorised_by
            or f"{actor.full_name}, {actor.job_title}, {org.name}",
        ),
        information_type=disclosure.information_type if agreed else "",
        sharing_method=method if agreed else "",
        decided_by=actor,
    )
    req.decided_at = now
    return None


def _disclose(
    req: InformationRequest, actor: User, data: dict[str, Any]
) -> tuple[AuditAction, str]:
    _decide(req, actor, data, agreed=True)
    return AuditAction.REQUEST_DECIDED, "disclosed"


def _decline(req: InformationRequest, actor: User, data: dict[str, Any]) -> tuple[AuditAction, str]:
    _decide(req, actor, data, agreed=False)
    return AuditAction.REQUEST_DECIDED, "declined"


def _close(req: InformationRequest, actor: User, data: dict[str, Any]) -> None:
    req.closed_at = timezone.now()
    return None


_EFFECTS: dict[str, Callable[[InformationRequest, User, dict[str, Any]], Any]] = {
    "submit": _submit,
    "take": _take,
    "assign": _assign,
    "request_more_information": _request_more_information,
    "provide_more_information": _provide_more_information,
    "disclose": _disclose,
    "decline": _decline,
    "close": _close,
}
