"""The DPA 2018 s.62 log of an organisation, for the Information Commissioner's Office.

s.62(1) asks a controller to log collection, alteration, consultation, disclosure (including
transfers), combination and erasure of personal data; s.62(2)-(3) ask, for consultation and
disclosure, the justification, the date and time, and as far as possible who consulted or
disclosed the data and who received it. The audit trail holds every such event; this module
sorts the events into those categories and joins what is stored elsewhere, write-once: the
receiving SPOC's reason for opening a request's personal details (PersonalDetailsAccess) and the
decision record's reasons and requester (DecisionRecord, App. G 9). Nothing is copied into the
events.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass

from django.db import models
from django.db.models import Case, Exists, OuterRef, Q, Subquery, Value, When

from governance.audit.models import AuditAction, AuditEvent
from governance.oversight.selectors import _local_midnight, _organisation_q
from governance.people import roles
from governance.people.models import Organisation
from governance.people.roles import AnyUser
from requests_app.models import DecisionRecord, PersonalDetailsAccess

# An export covers at most this many days, first and last included: a year of events at most
# per file, which an office spreadsheet still opens.
MAX_DAYS = 366
# Rows read per query: each batch costs one query, however many batches.
BATCH_SIZE = 1000


class Category(models.TextChoices):
    """The kinds of processing DPA 2018 s.62(1) asks to be logged."""

    COLLECTION = "collection", "Collection"
    ALTERATION = "alteration", "Alteration"
    CONSULTATION = "consultation", "Consultation"
    DISCLOSURE = "disclosure", "Disclosure"
    ERASURE = "erasure", "Erasure"


# Each audited action that processes a subject's personal data, with its s.62 category. Actions
# absent here touch no subject's data (sign-in, accounts, refusals, a request's summary page).
CATEGORY_OF: dict[AuditAction, Category] = {
    AuditAction.REQUEST_CREATED: Category.COLLECTION,
    AuditAction.CONSENT_RECORDED: Category.COLLECTION,
    AuditAction.BREACH_REPORTED: Category.COLLECTION,
    AuditAction.REQUEST_UPDATED: Category.ALTERATION,
    AuditAction.MORE_INFORMATION_PROVIDED: Category.ALTERATION,
    AuditAction.CONSENT_WITHDRAWN: Category.ALTERATION,
    AuditAction.BREACH_UPDATED: Category.ALTERATION,
    AuditAction.PERSONAL_DETAILS_VIEWED: Category.CONSULTATION,
    AuditAction.ATTACHMENT_DOWNLOADED: Category.CONSULTATION,
    AuditAction.PDF_PRINTED: Category.CONSULTATION,
    AuditAction.SEARCH_MADE: Category.CONSULTATION,
    # Part A is transferred to the receiving organisation when the request is sent (8.3).
    AuditAction.REQUEST_SUBMITTED: Category.DISCLOSURE,
    # Only a decision to share discloses (9.3); a decline is left out below.
    AuditAction.REQUEST_DECIDED: Category.DISCLOSURE,
    AuditAction.REQUEST_DRAFT_DELETED: Category.ERASURE,
}

RECORD_TYPES = {
    "informationrequest": "Request",
    "consentrecord": "Consent record",
    "breach": "Breach",
}

_CONSULTATIONS = [a for a, c in CATEGORY_OF.items() if c == Category.CONSULTATION]


def can_export(user: AnyUser, organisation: Organisation) -> bool:
    """protocol 7.4: the SPOC and back-up SPOC answer for their own organisation's compliance;
    the portal administrator answers the ICO for any partner."""
    if roles.is_portal_admin(user):
        return True
    return roles.is_spoc(user) and user.organisation_id == organisation.pk


@dataclass(frozen=True)
class LogRow:
    occurred_at: datetime.datetime
    person: str
    person_organisation: str
    category: Category
    event: str
    record_type: str
    record_reference: str
    justification: str
    recipient_organisation: str
    recipient_person: str


def _shared(reference: OuterRef) -> models.QuerySet[DecisionRecord]:
    return DecisionRecord.objects.filter(request__reference=reference, decision="share")


def _events(
    organisation: Organisation, start: datetime.date, end: datetime.date
) -> models.QuerySet[AuditEvent]:
    """The organisation's s.62 events in the date range (local days, both included), oldest
    first, with what the other write-once records add, in one query per slice."""
    reference = OuterRef("object_reference")
    # s.62(3)(a): the receiving SPOC's reason, open at the time of the consultation.
    spoc_reason = PersonalDetailsAccess.objects.filter(
        request__reference=reference,
        user_id=OuterRef("actor_id"),
        granted_at__lte=OuterRef("occurred_at"),
        expires_at__gt=OuterRef("occurred_at"),
    ).order_by("-granted_at")
    decision = _shared(reference).order_by("-decided_at")
    plain = [action for action in CATEGORY_OF if action != AuditAction.REQUEST_DECIDED]
    return (
        AuditEvent.objects.filter(
            _organisation_q(organisation.pk),
            Q(action__in=plain) | Q(Exists(_shared(reference)), action=AuditAction.REQUEST_DECIDED),
            occurred_at__gte=_local_midnight(start),
            occurred_at__lt=_local_midnight(end + datetime.timedelta(days=1)),
        )
        # The columns a row prints: the hash, user agent and detail stay behind.
        .only(
            "occurred_at",
            "actor_id",
            "actor_name",
            "actor_organisation_id",
            "action",
            "object_type",
            "object_reference",
            "requesting_organisation_id",
            "receiving_organisation_id",
        )
        .annotate(
            justification=Case(
                # 7.4: a SPOC's reason is read by their own organisation (the receiving SPOCs),
                # so it is in that organisation's log only.
                When(
                    action__in=_CONSULTATIONS,
                    object_type__in=["informationrequest", "consentrecord"],
                    actor_organisation_id=organisation.pk,
                    then=Subquery(spoc_reason.values("reason")[:1]),
                ),
                When(
                    action=AuditAction.REQUEST_DECIDED,
                    then=Subquery(decision.values("reasons")[:1]),
                ),
                default=Value(""),
                output_field=models.TextField(),
            ),
            recipient_person=Case(
                When(
                    action=AuditAction.REQUEST_DECIDED,
                    then=Subquery(decision.values("requester_name")[:1]),
                ),
                default=Value(""),
                output_field=models.CharField(),
            ),
        )
        .order_by("occurred_at", "id")
    )


def _row(event: AuditEvent, names: dict[int, str]) -> LogRow:
    category = CATEGORY_OF[AuditAction(event.action)]
    recipient = None
    if event.action == AuditAction.REQUEST_DECIDED:
        # 9.3: shared with the requesting organisation's requester.
        recipient = event.requesting_organisation_id
    elif event.action == AuditAction.REQUEST_SUBMITTED:
        # 8.3: sent to the receiving organisation's queue, before any one officer takes it.
        recipient = event.receiving_organisation_id
    return LogRow(
        occurred_at=event.occurred_at,
        person=event.actor_name,
        person_organisation=names.get(event.actor_organisation_id or 0, ""),
        category=category,
        # The label from the enum: get_action_display() flattens the choices on every call.
        event=AuditAction(event.action).label,
        record_type=RECORD_TYPES.get(event.object_type, event.object_type),
        record_reference=event.object_reference,
        justification=event.justification or "",
        recipient_organisation=names.get(recipient or 0, ""),
        recipient_person=event.recipient_person or "",
    )


def s62_log_iter(
    *,
    organisation: Organisation,
    start: datetime.date,
    end: datetime.date,
    batch_size: int = BATCH_SIZE,
) -> Iterator[LogRow]:
    """Every s.62 event involving the organisation (its people's actions, and anything done to a
    request from or to it: the same scope as its SPOC's audit page), oldest first. Read in
    keyset slices, each starting where the last ended: one query per slice, however deep (and
    one for the organisations' names)."""
    events = _events(organisation, start, end)
    # The partners are few: their names are read once, not joined to every candidate row before
    # the slice is sorted.
    names = dict(Organisation.objects.values_list("id", "name"))
    after = Q()
    while True:
        batch = list(events.filter(after)[:batch_size])
        for event in batch:
            yield _row(event, names)
        if len(batch) < batch_size:
            return
        last = batch[-1]
        after = Q(occurred_at__gt=last.occurred_at) | Q(
            occurred_at=last.occurred_at, id__gt=last.id
        )
