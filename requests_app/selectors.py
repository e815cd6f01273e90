"""The querysets each page lists or shows. Every list is filtered in the database."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from governance.audit.models import AuditAction, AuditEvent
from governance.people.models import User
from requests_app.models import OPEN_STATUSES, InformationRequest, PersonalDetailsAccess


def request_list_for_requester(*, user: User) -> QuerySet[InformationRequest]:
    """/requests/: the requests this officer has made, newest first."""
    return (
        InformationRequest.objects.filter(requester=user)
        .select_related("receiving_organisation")
        .order_by("-created_at")
    )


@dataclass(frozen=True)
class InboxFilters:
    status: str = ""
    due_before: datetime.date | None = None
    reference: str = ""
    assigned_to_me: bool = False


def request_list_for_inbox(
    *, user: User, filters: InboxFilters, today: datetime.date | None = None
) -> QuerySet[InformationRequest]:
    """/inbox/: requests addressed to the officer's organisation, overdue and urgent first, then
    the earliest date required. Only requests sent to the organisation (10.5.2)."""
    today = today or timezone.localdate()
    qs = InformationRequest.objects.reached_partner().filter(
        receiving_organisation_id=user.organisation_id
    )
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.due_before:
        qs = qs.filter(required_by__lte=filters.due_before)
    if filters.reference:
        qs = qs.filter(reference__icontains=filters.reference.strip())
    if filters.assigned_to_me:
        # Guardian's direct foreign-key permission table: the requests this officer may decide.
        qs = qs.filter(
            informationrequestuserobjectpermission__user=user,
            informationrequestuserobjectpermission__permission__codename="decide_request",
        )
    overdue_first = Case(
        When(Q(required_by__lt=today) & Q(status__in=OPEN_STATUSES), then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return (
        qs.annotate(overdue_rank=overdue_first)
        .select_related("requesting_organisation", "assigned_officer")
        .prefetch_related("legislation")
        .order_by("overdue_rank", "-is_urgent", "required_by", "reference")
    )


def request_detail(*, reference: str) -> InformationRequest:
    return (
        InformationRequest.objects.select_related(
            "requester",
            "signed_by",
            "requesting_organisation",
            "receiving_organisation",
            "assigned_officer",
            "decision_record",
            "disclosure",
        )
        .prefetch_related("legislation", "attachments", "consent_records")
        .get(reference=reference)
    )


# The request's own story: the moves of its workflow and its consent forms. Reads and refusals
# are not part of it: they belong to the SPOC's audit (protocol 7.4), where a flood of refused
# attempts cannot push the real events out of sight or name the people refused.
HISTORY_ACTIONS = (
    AuditAction.REQUEST_CREATED,
    AuditAction.REQUEST_UPDATED,
    AuditAction.REQUEST_SUBMITTED,
    AuditAction.REQUEST_ASSIGNED,
    AuditAction.REQUEST_REASSIGNED,
    AuditAction.MORE_INFORMATION_REQUESTED,
    AuditAction.MORE_INFORMATION_PROVIDED,
    AuditAction.REQUEST_WITHDRAWN,
    AuditAction.REQUEST_DECIDED,
    AuditAction.REQUEST_CLOSED,
    AuditAction.CONSENT_RECORDED,
    AuditAction.CONSENT_WITHDRAWN,
)
HISTORY_PAGE_SIZE = 20


def request_history(*, req: InformationRequest, page_number: object = None) -> Page:
    """The History on the request page, newest first, a page at a time."""
    events = (
        AuditEvent.objects.filter(object_reference=req.reference, action__in=HISTORY_ACTIONS)
        .select_related("actor_organisation")
        .order_by("-occurred_at", "-id")
    )
    return Paginator(events, HISTORY_PAGE_SIZE).get_page(page_number)


def details_accesses_for_review(*, req: InformationRequest) -> QuerySet[PersonalDetailsAccess]:
    """The receiving SPOCs' recorded reasons for opening this request's details, newest first."""
    return req.details_accesses.select_related("user").order_by("-granted_at")
