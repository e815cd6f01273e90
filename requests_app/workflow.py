"""The request workflow: one table of legal moves, and transition(), the only writer of .status.

draft -> submitted -> under review (assigned) -> more information needed -> under review
-> disclosed / declined -> closed; the requester may withdraw a sent request before a decision,
and deletes a draft that will not be sent (draft_delete); the assigned officer who cannot take a
request on gives it back to the queue (under review -> submitted).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import pgtrigger
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from guardian.shortcuts import assign_perm, remove_perm

from governance.audit import trail as audit
from governance.audit.models import AuditAction
from governance.people.access import AccessRefused
from governance.people.models import User
from requests_app import deadlines, notifications, permissions, rules
from requests_app.models import (
    ClockStop,
    DecisionRecord,
    DeliveryMethod,
    Disclosure,
    InformationRequest,
    PartAVersion,
    RequestMessage,
    Status,
    YesNo,
)
from ui.problems import NON_FIELD, Problem, ProblemsError

S = Status


class TransitionNotAllowed(ProblemsError):
    """A move the table does not allow from the request's state, or whose preconditions fail.

    `.problems` holds the unmet rules, each on its question; `str()` joins them for pages that
    show one line."""


# The button styles of GOV.UK Frontend a move's button takes on the request page.
PRIMARY = "primary"
SECONDARY = "secondary"
WARNING = "warning"

# The generic confirm page (/requests/<ref>/<action>/): for moves with no data of their own.
CONFIRM_PAGE = "requests_app:action"

Effect = Callable[[InformationRequest, User, dict[str, Any]], Any]


@dataclass(frozen=True)
class Transition:
    """One legal move: where it may start, where it ends, who may make it, what else it writes,
    how it is audited and on which protocol section it rests, and how the request page offers it.
    """

    source: frozenset[Status]
    target: Status
    allowed: Callable[[Any, InformationRequest], bool]
    effect: Effect | None
    audit_action: AuditAction
    protocol_ref: str
    # The move's name on the confirm page and in refusals ("You cannot close a request ...").
    label: str
    # The URL name of the page the button opens: the move's own page or CONFIRM_PAGE.
    page: str
    style: str = PRIMARY
    # What the confirm page (or the signature form) tells the person before they go ahead.
    confirm_text: str = ""
    # The button's text where it differs from label: moves that share a page share a button.
    button: str | Callable[[InformationRequest], str] = ""
    # Appendix B "signature of requesting officer": the page shows a signature form, not a
    # button, and the move needs the requester's typed full name.
    signed: bool = False

    def button_label(self, req: InformationRequest) -> str:
        if callable(self.button):
            return self.button(req)
        return self.button or self.label


@dataclass(frozen=True)
class PageAction:
    """A control on the request page: a button to a page, or a signature form posting to it.
    Moves that open the same page (disclose and decline: the decision page) share one."""

    actions: tuple[str, ...]
    label: str
    url: str
    style: str
    signed: bool
    explanation: str

    @property
    def css_class(self) -> str:
        return button_class(self.style)


def button_class(style: str) -> str:
    return "govuk-button" if style == PRIMARY else f"govuk-button govuk-button--{style}"


def _page_url(name: str, t: Transition, req: InformationRequest) -> str:
    if t.page == CONFIRM_PAGE:
        return reverse(CONFIRM_PAGE, args=[req.reference, name])
    return reverse(t.page, args=[req.reference])


def available_actions(user: Any, req: InformationRequest) -> list[PageAction]:
    """The moves this person may make on this request now, in table order, as the request page
    offers them."""
    offered: dict[str, PageAction] = {}
    for name, t in TRANSITIONS.items():
        if req.status not in t.source or not t.allowed(user, req):
            continue
        url = _page_url(name, t, req)
        if url in offered:
            offered[url] = replace(offered[url], actions=(*offered[url].actions, name))
            continue
        offered[url] = PageAction(
            (name,), t.button_label(req), url, t.style, t.signed, t.confirm_text
        )
    return list(offered.values())


def state_allows(action: str, req: InformationRequest) -> bool:
    """Whether the table allows this move from the request's state (who may is separate)."""
    return req.status in TRANSITIONS[action].source


def confirm_page_actions() -> tuple[str, ...]:
    """The moves whose button opens the generic confirm page (the action URL's pattern)."""
    return tuple(name for name, t in TRANSITIONS.items() if t.page == CONFIRM_PAGE)


def cannot_message(action: str, req: InformationRequest) -> str:
    label = TRANSITIONS[action].label
    return f"{label}: not possible now, the request is {req.get_status_display().lower()}."


@transaction.atomic
def transition(*, reference: str, action: str, actor: User, **data: Any) -> InformationRequest:
    t = TRANSITIONS[action]  # an unknown action fails closed with KeyError
    req = (
        # The request's row only: locking the joined organisation rows too would block every
        # audit event's foreign-key check on them while this waits for the chain's lock.
        InformationRequest.objects.select_for_update(of=("self",))
        .select_related("requesting_organisation", "receiving_organisation", "requester")
        .get(reference=reference)
    )
    if not t.allowed(actor, req):
        raise AccessRefused(obj=req, detail=action)
    if req.status not in t.source:
        raise TransitionNotAllowed(cannot_message(action, req))
    audit_action = t.audit_action
    detail = f"protocol {t.protocol_ref}"
    if t.effect is not None:
        audit_action, extra = t.effect(req, actor, data) or (audit_action, "")
        if extra:
            detail = f"{detail}; {extra}"
    req.status = t.target
    req.save()
    audit.record(action=audit_action, actor=actor, obj=req, detail=detail)
    # Written to the outbox with the change; a worker sends it once this commits, and a mail
    # server that is down delays it without turning a saved change into an error page.
    notifications.notify(req=req, action=action, actor=actor)
    return req


DRAFT_DELETE_REFUSED = "Only a draft can be deleted. Withdraw a request that has been sent."


DRAFT_IN_BREACH_REFUSED = (
    "This draft is named in a breach report, so it is kept with the breach record. Ask your SPOC "
    "if it should be removed."
)


def draft_delete_refusal(actor: User, req: InformationRequest) -> str:
    """Why this draft cannot be deleted now, or "" if it can. UK GDPR Art 33(5): a breach's
    record keeps what it concerns, so a draft a breach names stays."""
    if not permissions.can_delete_draft(actor, req):
        return DRAFT_DELETE_REFUSED
    if req.breaches.exists():
        return DRAFT_IN_BREACH_REFUSED
    return ""


@transaction.atomic
def draft_delete(*, reference: str, actor: User) -> None:
    """The requester deletes a draft that will not be sent (protocol 8.3; UK GDPR Art 5(1)(c):
    a request never sent is not kept). Its consent forms go with it: nothing was shared under
    them. The audit trail keeps the events, which hold the reference only."""
    req = (
        InformationRequest.objects.select_for_update(of=("self",))
        .select_related("requesting_organisation", "receiving_organisation")
        .get(reference=reference)
    )
    if not permissions.is_requester(actor, req):
        raise AccessRefused(obj=req, detail="delete draft")
    if refusal := draft_delete_refusal(actor, req):
        raise TransitionNotAllowed(refusal)
    consent_forms = req.consent_records.all()
    detail = f"protocol 8.3; {consent_forms.count()} consent form(s) deleted with it"
    with pgtrigger.ignore("consent.ConsentRecord:consent_record_never_deleted"):
        consent_forms.delete()
    audit.record(action=AuditAction.REQUEST_DRAFT_DELETED, actor=actor, obj=req, detail=detail)
    req.delete()  # guardian's grants on it go too (direct foreign keys, CASCADE)


def _submit(req: InformationRequest, actor: User, data: dict[str, Any]) -> None:
    signature = " ".join((data.get("signature_name") or "").split())
    if unmet := rules.unmet_for_signing(
        req, today=timezone.localdate(), signature_name=signature, signer=actor
    ):
        raise TransitionNotAllowed(unmet)
    now = timezone.now()
    req.signature_name = signature
    req.signed_by = actor
    req.signed_at = now
    # Part B "date request received": the moment the request reaches the partner.
    req.received_at = now
    # protocol 9.2: the reply is due within the agreed timescale from receipt.
    req.due_date = deadlines.due_date_on_receipt(
        received=timezone.localdate(now), urgent=req.is_urgent, required_by=req.required_by
    )
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


def _request_more_information(
    req: InformationRequest, actor: User, data: dict[str, Any]
) -> tuple[AuditAction, str]:
    note = (data.get("note") or "").strip()
    if not note:
        raise TransitionNotAllowed("Enter what more information you need")
    req.more_information_note = note
    now = timezone.now()
    RequestMessage.objects.create(
        request=req, kind=RequestMessage.Kind.QUESTION, text=note, author=actor, created_at=now
    )
    # protocol 9.2: the clock stops while the requester is asked for more information.
    req.clock_stopped_at = now
    ClockStop.objects.create(request=req, stopped_at=now)
    # protocol 9.2: Part A as the officer sent it back, so they later see what the requester
    # changed in answer (it cannot change between being sent and being sent back).
    PartAVersion.objects.create(
        request=req,
        kind=PartAVersion.Kind.SENT_BACK,
        answers=req.part_a_answers(),
        recorded_by=actor,
        recorded_at=timezone.now(),
    )
    return AuditAction.MORE_INFORMATION_REQUESTED, "clock stopped"


def _restart_clock(req: InformationRequest, now: datetime.datetime) -> str:
    """The requester answered: the clock restarts and the due date moves on by the working days
    it stood (protocol 9.2)."""
    stop = req.clock_stops.filter(restarted_at__isnull=True).order_by("-stopped_at").first()
    if stop is None or req.clock_stopped_at is None:
        return ""
    stood = max(
        deadlines.working_days_between(
            timezone.localdate(stop.stopped_at), timezone.localdate(now)
        ),
        0,
    )
    stop.restarted_at = now
    stop.working_days_added = stood
    stop.save(update_fields=["restarted_at", "working_days_added"])
    if req.due_date is not None:
        req.due_date = deadlines.due_date_after_restart(req.due_date, stood)
    req.clock_stopped_at = None
    due = f"; reply due by {req.due_date:%Y-%m-%d}" if req.due_date else ""
    return f"clock restarted, {stood} working day(s) added{due}"


PART_A_UNCHANGED = "Change your request to give the information asked for before you send it again"
REPLY_REQUIRED = "Enter your reply to the disclosing officer's question"
REPLY_MAX_LENGTH = 2000


def _provide_more_information(
    req: InformationRequest, actor: User, data: dict[str, Any]
) -> tuple[AuditAction, str]:
    # Appendix B: the requesting officer signs Part A; a changed Part A is signed again.
    signature = " ".join((data.get("signature_name") or "").split())
    problems = rules.unmet_for_signing(
        req, today=timezone.localdate(), signature_name=signature, signer=actor
    )
    # protocol 9.2: the officer asked a question in the conversation; the requester answers it
    # there before the request goes back, so the thread holds both sides.
    reply = (data.get("reply") or "").strip()
    if not reply:
        problems.insert(0, Problem("reply", REPLY_REQUIRED))
    elif len(reply) > REPLY_MAX_LENGTH:
        problems.insert(
            0, Problem("reply", f"Reply must be {REPLY_MAX_LENGTH} characters or fewer")
        )
    # protocol 9.2: the officer asked a question; a request sent back unchanged answers nothing.
    changes = PartAVersion.changes_since_sent_back(req)
    if changes is not None and not changes:
        problems.insert(0, Problem(NON_FIELD, PART_A_UNCHANGED))
    if problems:
        raise TransitionNotAllowed(problems)
    now = timezone.now()
    req.signature_name = signature
    req.signed_by = actor
    req.signed_at = now
    RequestMessage.objects.create(
        request=req, kind=RequestMessage.Kind.REPLY, text=reply, author=actor, created_at=now
    )
    restarted = _restart_clock(req, now)
    PartAVersion.objects.create(
        request=req,
        kind=PartAVersion.Kind.RESENT,
        answers=req.part_a_answers(),
        recorded_by=actor,
        recorded_at=now,
    )
    return AuditAction.MORE_INFORMATION_PROVIDED, restarted


# The only Part B fields the disclosing officer writes. Who disclosed, to whom, when, and the
# request itself are never taken from input: _decide writes them.
PART_B_FIELDS = (
    *rules.DISCLOSURE_CHECKS,
    rules.CONSENT_EVIDENCE_CHECK,
    "share_legitimate_purpose",
    "share_identifiable",
    "share_confidential",
    "share_consent",
    "share_other_lawful_reason",
    "decline_reason",
    "decision_reasons",
    "information_disclosed",
    "information_type",
    "delivery_method",
    "delivery_method_other",
    "subject_informed",
    "subject_not_informed_reason",
    "authorised_by",
    "signature_name",
)
UNKNOWN_PART_B_FIELDS_MESSAGE = "Part B does not have these fields: {fields}"


def _part_b_values(part_b: dict[str, Any]) -> dict[str, Any]:
    """Refuse any key that is not a Part B field (e.g. disclosed_by), rather than copy it."""
    unknown = sorted(set(part_b) - set(PART_B_FIELDS))
    if unknown:
        raise ValueError(UNKNOWN_PART_B_FIELDS_MESSAGE.format(fields=", ".join(unknown)))
    return dict(part_b)


def _decide(req: InformationRequest, actor: User, data: dict[str, Any], *, agreed: bool) -> None:
    # App. G 9: the permanent record holds only what belongs to the decision made (a decline
    # keeps no information "disclosed"), shaped by the rule the decision page uses.
    part_b = rules.part_b_for_outcome(_part_b_values(data.get("part_b") or {}), agreed=agreed)
    attachments = data.get("attachments") or []
    # The rules the decision page shows, so a call from anywhere is held to them; nothing is
    # written until they are met.
    if agreed:
        unmet = rules.unmet_for_disclosure(
            req, part_b=part_b, signer=actor, attached=bool(attachments)
        )
    else:
        unmet = rules.unmet_for_decline(part_b=part_b, signer=actor)
    if unmet:
        raise TransitionNotAllowed(unmet)
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
    # DPA 2018 s.62(3)(c): the recipients of a disclosure, as far as possible.
    recipient = (
        f"recipient {req.requesting_organisation.name}, {req.requester.full_name} "
        f"(user {req.requester_id})"
    )
    return AuditAction.REQUEST_DECIDED, f"disclosed; {recipient}"


def _decline(req: InformationRequest, actor: User, data: dict[str, Any]) -> tuple[AuditAction, str]:
    _decide(req, actor, data, agreed=False)
    return AuditAction.REQUEST_DECIDED, "declined"


GIVE_BACK_REASON_REQUIRED = "Enter why you cannot take this request on"
GIVE_BACK_REASON_MAX_LENGTH = 2000


def _give_back(req: InformationRequest, actor: User, data: dict[str, Any]) -> None:
    """The assigned disclosing officer cannot take the request on: it goes back to the
    receiving organisation's queue with their reason, and their sight of it ends (protocol 7.4:
    the SPOC manages the queue; 10.5.2: need to know ends with the assignment)."""
    reason = (data.get("reason") or "").strip()
    if not reason:
        raise TransitionNotAllowed([Problem("reason", GIVE_BACK_REASON_REQUIRED)])
    if len(reason) > GIVE_BACK_REASON_MAX_LENGTH:
        raise TransitionNotAllowed(
            [Problem("reason", f"Reason must be {GIVE_BACK_REASON_MAX_LENGTH} characters or fewer")]
        )
    RequestMessage.objects.create(
        request=req,
        kind=RequestMessage.Kind.GIVEN_BACK,
        text=reason,
        author=actor,
        created_at=timezone.now(),
    )
    remove_perm("view_personal_details", actor, req)
    remove_perm("decide_request", actor, req)
    req.assigned_officer = None
    return None


def _close(req: InformationRequest, actor: User, data: dict[str, Any]) -> None:
    req.closed_at = timezone.now()
    return None


def _assign_button(req: InformationRequest) -> str:
    # protocol 7.4: the SPOC assigns a new request and reassigns one an officer holds.
    return "Reassign" if req.assigned_officer_id else "Assign"


# The workflow, one row per move, in the order the request page offers them (primary first).
TRANSITIONS: dict[str, Transition] = {
    "submit": Transition(
        source=frozenset({S.DRAFT}),
        target=S.SUBMITTED,
        allowed=permissions.is_requester,
        effect=_submit,
        audit_action=AuditAction.REQUEST_SUBMITTED,
        protocol_ref="8.3",
        label="Submit",
        page="requests_app:submit",
        button="Sign and send request",
        signed=True,
    ),
    "take": Transition(
        source=frozenset({S.SUBMITTED}),
        target=S.UNDER_REVIEW,
        allowed=permissions.can_take,
        effect=_take,
        audit_action=AuditAction.REQUEST_ASSIGNED,
        protocol_ref="9.1",
        label="Take this request",
        page=CONFIRM_PAGE,
        confirm_text="You will be assigned this request and will see the personal details it "
        "holds.",
    ),
    "disclose": Transition(
        source=frozenset({S.UNDER_REVIEW}),
        target=S.DISCLOSED,
        allowed=permissions.is_assigned_discloser,
        effect=_disclose,
        audit_action=AuditAction.REQUEST_DECIDED,
        protocol_ref="9.2-9.3; App. G 9",
        label="Disclose",
        page="requests_app:decide",
        button="Decide (Part B)",
    ),
    "decline": Transition(
        source=frozenset({S.UNDER_REVIEW}),
        target=S.DECLINED,
        allowed=permissions.is_assigned_discloser,
        effect=_decline,
        audit_action=AuditAction.REQUEST_DECIDED,
        protocol_ref="9.2; App. G 9",
        label="Decline",
        page="requests_app:decide",
        button="Decide (Part B)",
    ),
    "request_more_information": Transition(
        source=frozenset({S.UNDER_REVIEW}),
        target=S.MORE_INFORMATION,
        allowed=permissions.is_assigned_discloser,
        effect=_request_more_information,
        audit_action=AuditAction.MORE_INFORMATION_REQUESTED,
        protocol_ref="9.2",
        label="Ask for more information",
        page="requests_app:more_information",
        style=SECONDARY,
    ),
    "provide_more_information": Transition(
        source=frozenset({S.MORE_INFORMATION}),
        target=S.UNDER_REVIEW,
        allowed=permissions.is_requester,
        effect=_provide_more_information,
        audit_action=AuditAction.MORE_INFORMATION_PROVIDED,
        protocol_ref="9.2",
        label="Send the updated request",
        page="requests_app:provide_more_information",
        confirm_text="The disclosing officer will be told the request has been updated, and "
        "will see what you changed.",
        button="Sign and send the updated request",
        signed=True,
    ),
    "give_back": Transition(
        source=frozenset({S.UNDER_REVIEW}),
        target=S.SUBMITTED,
        allowed=permissions.can_give_back,
        effect=_give_back,
        audit_action=AuditAction.REQUEST_GIVEN_BACK,
        protocol_ref="7.4; 10.5.2",
        label="Give back",
        page="requests_app:give_back",
        style=SECONDARY,
        confirm_text="The request goes back to your organisation's queue for another disclosing "
        "officer, and your SPOC and back-up SPOC are told. You will no longer see its personal "
        "details.",
    ),
    "assign": Transition(
        source=frozenset({S.SUBMITTED, S.UNDER_REVIEW}),
        target=S.UNDER_REVIEW,
        allowed=permissions.can_assign,
        effect=_assign,
        audit_action=AuditAction.REQUEST_ASSIGNED,
        protocol_ref="7.4",
        label="Assign",
        page="requests_app:assign",
        style=SECONDARY,
        button=_assign_button,
    ),
    "close": Transition(
        source=frozenset({S.DISCLOSED, S.DECLINED}),
        target=S.CLOSED,
        allowed=permissions.can_close,
        effect=_close,
        audit_action=AuditAction.REQUEST_CLOSED,
        protocol_ref="10.3",
        label="Close",
        page=CONFIRM_PAGE,
        style=SECONDARY,
        confirm_text="Close this request once the information is no longer needed. Return or "
        "destroy what was shared, as the protocol's provisions require.",
    ),
    # A draft is never withdrawn: it never reached the partner, so it is deleted (draft_delete).
    "withdraw": Transition(
        source=frozenset({S.SUBMITTED, S.UNDER_REVIEW, S.MORE_INFORMATION}),
        target=S.WITHDRAWN,
        allowed=permissions.is_requester,
        effect=None,
        audit_action=AuditAction.REQUEST_WITHDRAWN,
        protocol_ref="8.3",
        label="Withdraw",
        page=CONFIRM_PAGE,
        style=WARNING,
        confirm_text="The receiving organisation will no longer act on this request.",
    ),
}
