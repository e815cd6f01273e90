"""Writes to a request that are not workflow transitions: creating and editing Part A."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from guardian.shortcuts import assign_perm

from governance.audit import trail as audit
from governance.audit.models import AuditAction
from governance.people.access import AccessRefused
from governance.people.models import User
from governance.people.references import reference_next
from requests_app import permissions, rules
from requests_app.models import (
    Extension,
    InformationRequest,
    InformationRequestUserObjectPermission,
    PersonalDetailsAccess,
)
from ui.problems import ProblemsError

# The only fields a requester writes through Part A. Status, requester, organisations, signature
# and workflow facts are never taken from input: the workflow writes them.
PART_A_FIELDS = (
    "requester_department",
    "requester_address",
    "requester_phone",
    "information_description",
    "subject_name",
    "subject_address",
    "subject_dob",
    "subject_role",
    "required_by",
    "is_urgent",
    "urgency_reason",
    "consent_obtained",
    "public_interest",
    "public_interest_reason",
    "legislation_other",
    "receiving_organisation",
)
UNKNOWN_FIELDS_MESSAGE = "Part A does not have these fields: {fields}"


def _part_a_values(data: dict[str, Any]) -> dict[str, Any]:
    """Refuse any key that is not a Part A field (e.g. status), rather than copy it."""
    unknown = sorted(set(data) - set(PART_A_FIELDS))
    if unknown:
        raise ValueError(UNKNOWN_FIELDS_MESSAGE.format(fields=", ".join(unknown)))
    return data


class PartAIncomplete(ProblemsError):
    """Part A breaks a rule the form enforces (rules.unmet_for_part_a): nothing is saved."""


def _draft_new(*, requester: User, data: dict) -> InformationRequest:
    """A new draft with its reference, the requester's own details and the given answers."""
    req = InformationRequest(
        reference=reference_next(prefix="ISP", year=timezone.localdate().year, digits=6),
        requester=requester,
        requesting_organisation=requester.organisation,
        requester_name=requester.full_name,
        requester_position=requester.job_title,
        requester_email=requester.email,
    )
    for field, value in data.items():
        setattr(req, field, value)
    req.save()
    return req


@transaction.atomic
def request_create(*, requester: User, data: dict[str, Any]) -> InformationRequest:
    """Save a new draft of Part A for the requester (protocol 8.3.1)."""
    if not permissions.roles.can_request(requester):
        raise AccessRefused(detail="create request")
    data = dict(data)
    legislation = data.pop("legislation", [])
    data = _part_a_values(data)
    if unmet := rules.unmet_for_part_a(
        {**data, "legislation": legislation}, today=timezone.localdate()
    ):
        raise PartAIncomplete(unmet)
    req = _draft_new(requester=requester, data=data)
    req.legislation.set(legislation)
    # The requester sees their own request's personal details (10.5.2).
    assign_perm("view_personal_details", requester, req)
    audit.record(action=AuditAction.REQUEST_CREATED, actor=requester, obj=req)
    return req


@transaction.atomic
def request_update(*, reference: str, editor: User, data: dict[str, Any]) -> InformationRequest:
    """Change Part A of a draft, or of a request sent back for more information."""
    req = InformationRequest.objects.select_for_update().get(reference=reference)
    if not permissions.can_edit(editor, req):
        raise AccessRefused(obj=req, detail="edit request")
    data = dict(data)
    legislation = data.pop("legislation", None)
    data = _part_a_values(data)
    for field in rules.fixed_part_a_fields(req):
        data.pop(field, None)
    values = rules.part_a_values(req) | data
    if legislation is not None:
        values["legislation"] = legislation
    if unmet := rules.unmet_for_part_a(values, today=timezone.localdate()):
        raise PartAIncomplete(unmet)
    for field, value in data.items():
        setattr(req, field, value)
    req.save()
    if legislation is not None:
        req.legislation.set(legislation)
    audit.record(action=AuditAction.REQUEST_UPDATED, actor=editor, obj=req)
    return req


def _unmet_in_section(values: dict[str, Any], fields: set[str]) -> list[Any]:
    """The Part A rules (rules.unmet_for_part_a) on the questions of one section only: the task
    list saves a draft a section at a time, and the rest is judged when it is sent."""
    return [
        p for p in rules.unmet_for_part_a(values, today=timezone.localdate()) if p.field in fields
    ]


@transaction.atomic
def request_draft_start(*, requester: User, data: dict[str, Any]) -> InformationRequest:
    """The first section of the Part A task list (who is asking, and whom) creates the draft
    (protocol 8.3.1); the other sections fill it in, and the whole is judged when it is sent."""
    if not permissions.roles.can_request(requester):
        raise AccessRefused(detail="create request")
    data = _part_a_values(dict(data))
    if unmet := _unmet_in_section(data, set(data)):
        raise PartAIncomplete(unmet)
    req = _draft_new(requester=requester, data=data)
    # The requester sees their own request's personal details (10.5.2).
    assign_perm("view_personal_details", requester, req)
    audit.record(action=AuditAction.REQUEST_CREATED, actor=requester, obj=req)
    return req


@transaction.atomic
def request_section_update(
    *, reference: str, editor: User, data: dict[str, Any]
) -> InformationRequest:
    """Save one section of Part A's task list to a draft: the rules are judged on that section's
    questions, with the answers already saved (a role decides whether consent is asked)."""
    req = InformationRequest.objects.select_for_update().get(reference=reference)
    if not permissions.can_edit(editor, req):
        raise AccessRefused(obj=req, detail="edit request")
    data = dict(data)
    legislation = data.pop("legislation", None)
    data = _part_a_values(data)
    for field in rules.fixed_part_a_fields(req):
        data.pop(field, None)
    values = rules.part_a_values(req) | data
    fields = set(data)
    if legislation is not None:
        values["legislation"] = legislation
        fields.add("legislation")
    if unmet := _unmet_in_section(values, fields):
        raise PartAIncomplete(unmet)
    for field, value in data.items():
        setattr(req, field, value)
    req.save()
    if legislation is not None:
        req.legislation.set(legislation)
    audit.record(action=AuditAction.REQUEST_UPDATED, actor=editor, obj=req)
    return req


def request_grants_revoke_after_account_change(*, before: User, after: User) -> int:
    """protocol 10.5.2: need-to-know ends with the role. An officer who moves organisation
    loses every grant on requests; one who stops being a disclosing officer loses the grants
    of the requests assigned to them (their SPOC reassigns those), as does one whose account is
    deactivated. A requester's own grants stay (permissions.is_requester already ends their use
    with the role), so the requests come back with the role. Returns how many went."""
    grants = InformationRequestUserObjectPermission.objects.filter(user=after)
    if before.organisation_id == after.organisation_id:
        stops_disclosing = before.is_disclosing_officer and not after.is_disclosing_officer
        deactivated = before.is_active and not after.is_active
        if not (stops_disclosing or deactivated):
            return 0
        grants = grants.exclude(content_object__requester=after)
    deleted, _ = grants.delete()
    return deleted


# protocol 10.5.2 / DPA 2018 s.62: how long a SPOC's recorded reason opens the details.
SPOC_DETAILS_ACCESS = datetime.timedelta(hours=1)
DETAILS_REASON_REQUIRED = "Enter why you need to see the personal details of this request"
DETAILS_REASON_MIN_LENGTH = 10
DETAILS_REASON_TOO_SHORT = "Reason must be 10 characters or more: say what you need them for"


@transaction.atomic
def personal_details_access_open(
    *, reference: str, user: User, reason: str
) -> PersonalDetailsAccess:
    """The receiving SPOC records why they need a request's personal details (7.4 oversight
    meets 10.5.2 need to know); the details open to them for SPOC_DETAILS_ACCESS."""
    req = InformationRequest.objects.select_related(
        "requesting_organisation", "receiving_organisation"
    ).get(reference=reference)
    if not permissions.can_open_personal_details(user, req):
        raise AccessRefused(obj=req, detail="open personal details")
    reason = reason.strip()
    if not reason:
        raise ValueError(DETAILS_REASON_REQUIRED)
    if len(reason) < DETAILS_REASON_MIN_LENGTH:
        raise ValueError(DETAILS_REASON_TOO_SHORT)
    now = timezone.now()
    access = PersonalDetailsAccess.objects.create(
        request=req, user=user, reason=reason, granted_at=now, expires_at=now + SPOC_DETAILS_ACCESS
    )
    # The reason itself may name people: it stays on the access record, not in the trail.
    audit.record(
        action=AuditAction.PERSONAL_DETAILS_JUSTIFIED,
        actor=user,
        obj=req,
        detail=f"protocol 10.5.2; reason recorded ({access.pk}), open for one hour",
    )
    return access


class ExtensionRefused(ProblemsError):
    """An extension that cannot be recorded (clock not running, date not later, no reason):
    nothing is saved."""


@transaction.atomic
def extension_record(
    *,
    reference: str,
    actor: User,
    new_due_date: datetime.date | None,
    reason: str,
    agreed_with: str,
) -> Extension:
    """Record an extension of the reply's due date agreed with the requester (protocol 9.2),
    by the assigned disclosing officer or the receiving SPOC, and move the due date."""
    req = (
        InformationRequest.objects.select_for_update()
        .select_related("requesting_organisation", "receiving_organisation")
        .get(reference=reference)
    )
    if not permissions.can_extend(actor, req):
        raise AccessRefused(obj=req, detail="extend due date")
    reason = (reason or "").strip()
    agreed_with = " ".join((agreed_with or "").split())
    if problems := rules.unmet_for_extension(
        req=req, new_due_date=new_due_date, reason=reason, agreed_with=agreed_with
    ):
        raise ExtensionRefused(problems)
    previous = req.due_date
    extension = Extension.objects.create(
        request=req,
        previous_due_date=previous,
        new_due_date=new_due_date,
        reason=reason,
        agreed_with=agreed_with,
        recorded_by=actor,
        recorded_at=timezone.now(),
    )
    req.due_date = new_due_date
    req.save(update_fields=["due_date", "updated_at"])
    # The reason and the name stay on the extension record: the trail holds the dates only.
    audit.record(
        action=AuditAction.DUE_DATE_EXTENDED,
        actor=actor,
        obj=req,
        detail=f"protocol 9.2; from {previous.isoformat()} to {new_due_date.isoformat()}",
    )
    return extension
