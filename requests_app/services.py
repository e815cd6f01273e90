"""Writes to a request that are not workflow transitions: creating and editing Part A."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from guardian.shortcuts import assign_perm

from governance import audit
from governance.access import AccessRefused
from governance.models import AuditAction, User
from requests_app import permissions, rules
from requests_app.models import (
    InformationRequest,
    InformationRequestUserObjectPermission,
    ReferenceCounter,
)

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


def reference_next(*, year: int) -> str:
    """Hand out the next human reference for the year (ISP-2026-000123), under a row lock."""
    counter, _ = ReferenceCounter.objects.select_for_update().get_or_create(year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return f"ISP-{year}-{counter.last_number:06d}"


@transaction.atomic
def request_create(*, requester: User, data: dict[str, Any]) -> InformationRequest:
    """Save a new draft of Part A for the requester (protocol 8.3.1)."""
    if not permissions.roles.can_request(requester):
        raise AccessRefused(detail="create request")
    legislation = data.pop("legislation", [])
    req = InformationRequest(
        reference=reference_next(year=timezone.localdate().year),
        requester=requester,
        requesting_organisation=requester.organisation,
        requester_name=requester.full_name,
        requester_position=requester.job_title,
        requester_email=requester.email,
    )
    for field, value in data.items():
        setattr(req, field, value)
    req.save()
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
    legislation = data.pop("legislation", None)
    for field in rules.fixed_part_a_fields(req):
        data.pop(field, None)
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
    of the requests assigned to them (their SPOC reassigns those). Returns how many went."""
    grants = InformationRequestUserObjectPermission.objects.filter(user=after)
    if before.organisation_id == after.organisation_id:
        if not (before.is_disclosing_officer and not after.is_disclosing_officer):
            return 0
        grants = grants.exclude(content_object__requester=after)
    deleted, _ = grants.delete()
    return deleted
