"""Reads of the audit trail for the SPOC's review page (protocol 7.3, 7.4).

The SPOC and back-up SPOC of an organisation see the events that involve it: its people's actions,
and anything done to a request from or to it. Other organisations' internal events stay hidden.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, models
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import ExtractHour
from django.db.models.lookups import In
from django.utils import timezone

from governance.audit.models import AuditAction, AuditEvent
from governance.people.models import User
from requests_app import permissions as request_permissions
from requests_app.models import DecisionRecord, InformationRequest

# A page the SPOC reads at a glance; filters and highlights narrow the rest.
PAGE_SIZE = 25
# The page counts the events it lists up to this many; beyond, it says "more than" (counting
# a decade of events would cost more than the page).
COUNT_CAP = 1000
# Highlights look back this far: the SPOC's regular review covers the last month.
HIGHLIGHT_DAYS = 30
# A page number beyond this is not served: nobody pages through 500,000 events; they filter.
MAX_PAGE = 10_000

# The three ways an event involves an organisation. Each has an (organisation, occurred_at)
# index, which the newest-first list reads one branch at a time (docs/performance.md).
_ORGANISATION_COLUMNS = (
    "actor_organisation_id",
    "requesting_organisation_id",
    "receiving_organisation_id",
)
_NEWEST_FIRST = ("-occurred_at", "-id")


class Highlight(models.TextChoices):
    """What a SPOC should look at first, each a preset of the filters (protocol 7.4)."""

    REFUSED = "refused", "Refused accesses"
    OVERDUE = "overdue", "Requests overdue"
    WITHOUT_CONSENT = "without_consent", "Decisions without consent"
    OUT_OF_HOURS = "out_of_hours", "Personal details viewed out of hours"


@dataclass(frozen=True)
class AuditFilters:
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    person: User | None = None
    action: str = ""
    reference: str = ""
    highlight: str = ""


@dataclass(frozen=True)
class AuditPage:
    events: list[AuditEvent]
    number: int
    has_previous: bool
    has_next: bool
    # How many events the filters match, when known: exact up to COUNT_CAP, else None with
    # `more_than_cap` set. Unknown (None) for a page past the last.
    count: int | None = None
    more_than_cap: bool = False
    count_cap: int = COUNT_CAP
    page_size: int = PAGE_SIZE

    @property
    def start_index(self) -> int:
        return (self.number - 1) * self.page_size + 1

    @property
    def end_index(self) -> int:
        return self.start_index + len(self.events) - 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1


@dataclass(frozen=True)
class AuditHighlights:
    since: datetime.date
    refused: int
    overdue: int
    without_consent: int
    out_of_hours: int


def _local_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def _local_midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=_local_zone())


def out_of_hours_q() -> Q:
    """Events outside the working day (settings.AUDIT_WORKING_HOURS, local time): access to
    personal details then is unusual enough for the SPOC to check it was needed (10.5.2).

    Written as a list of hours so that PostgreSQL reads it from the audit_pdv_hour_time index
    (one short range per hour) rather than converting every event's time."""
    start, end = settings.AUDIT_WORKING_HOURS
    hours = [hour for hour in range(24) if not start <= hour < end]
    return Q(In(ExtractHour("occurred_at", tzinfo=_local_zone()), hours))


def _organisation_q(organisation_id: int | None) -> Q:
    return (
        Q(actor_organisation_id=organisation_id)
        | Q(requesting_organisation_id=organisation_id)
        | Q(receiving_organisation_id=organisation_id)
    )


def _requests_of(organisation_id: int | None) -> QuerySet[InformationRequest]:
    return InformationRequest.objects.filter(
        Q(requesting_organisation_id=organisation_id) | Q(receiving_organisation_id=organisation_id)
    )


def _highlight_q(highlight: str, organisation_id: int | None, today: datetime.date) -> Q:
    if highlight == Highlight.REFUSED:
        return Q(action=AuditAction.PERMISSION_DENIED)
    if highlight == Highlight.OUT_OF_HOURS:
        return Q(action=AuditAction.PERSONAL_DETAILS_VIEWED) & out_of_hours_q()
    if highlight == Highlight.WITHOUT_CONSENT:
        # App. G 9(e)-(g): a decision to share without consent must say why; the SPOC checks it.
        # Read from the decision events (few), each checked against its decision record; the
        # event's own organisation columns already tie it to the SPOC's organisation.
        without_consent = DecisionRecord.objects.filter(
            request__reference=OuterRef("object_reference"), with_consent=False
        )
        return Q(action=AuditAction.REQUEST_DECIDED) & Q(Exists(without_consent))
    if highlight == Highlight.OVERDUE:
        # protocol 9.2: a reply is due by the date required; these requests have none yet.
        overdue = _requests_of(organisation_id).overdue(today).values("reference")
        return Q(object_reference__in=overdue)
    return Q()


def _filters_q(filters: AuditFilters, organisation_id: int | None, today: datetime.date) -> Q:
    q = Q()
    if filters.date_from:
        q &= Q(occurred_at__gte=_local_midnight(filters.date_from))
    if filters.date_to:
        q &= Q(occurred_at__lt=_local_midnight(filters.date_to + datetime.timedelta(days=1)))
    if filters.person is not None:
        q &= Q(actor_id=filters.person.pk)
    if filters.action:
        q &= Q(action=filters.action)
    if filters.reference:
        q &= Q(object_reference=filters.reference)
    if filters.highlight:
        q &= _highlight_q(filters.highlight, organisation_id, today)
    return q


def _led_by_own_index(filters: AuditFilters) -> bool:
    """True when a filter picks few events through its own index: one person's (actor, occurred_at)
    or one request's (object_reference, occurred_at), whatever the size of the trail."""
    return bool(
        filters.person is not None or filters.reference or filters.highlight == Highlight.OVERDUE
    )


def _ids_newest_first(
    organisation_id: int | None, q: Q, *, offset: int, limit: int, merge_branches: bool
) -> list[int]:
    """The ids of one page of the organisation's events, newest first.

    An OR across the three organisation columns cannot be read in order from any one index, so
    PostgreSQL would collect and sort every event of the organisation before the LIMIT. With
    `merge_branches`, each column is read from its own (organisation, occurred_at) index, newest
    first, stopping after offset + limit rows; the UNION merges the three short lists and drops
    an event that involves the organisation twice. The cost then depends on the page, not on the
    size of the trail (docs/performance.md). Without it (a person's or a request's events), the
    filter's own index leads and the organisation test only filters the few rows it finds.
    """
    if merge_branches and connection.features.supports_slicing_ordering_in_compound:
        branches = [
            AuditEvent.objects.filter(q, **{column: organisation_id})
            .order_by(*_NEWEST_FIRST)
            .values_list("id", "occurred_at")[: offset + limit]
            for column in _ORGANISATION_COLUMNS
        ]
        rows = branches[0].union(*branches[1:]).order_by(*_NEWEST_FIRST)
    else:
        # Also SQLite's way (development only): it cannot LIMIT the branches of a UNION.
        rows = (
            AuditEvent.objects.filter(q, _organisation_q(organisation_id))
            .order_by(*_NEWEST_FIRST)
            .values_list("id", "occurred_at")
        )
    return [event_id for event_id, _ in rows[offset : offset + limit]]


def _events_by_id(ids: list[int], *related: str) -> list[AuditEvent]:
    if not ids:
        return []
    return list(
        AuditEvent.objects.filter(id__in=ids).select_related(*related).order_by(*_NEWEST_FIRST)
    )


def audit_event_page_for_spoc(
    *,
    user: User,
    filters: AuditFilters,
    number: int = 1,
    page_size: int = PAGE_SIZE,
    today: datetime.date | None = None,
) -> AuditPage:
    """/audit/: one page of the events involving the SPOC's organisation, newest first.

    Two queries whatever the page or the size of the trail. The ids read for the page run on to
    COUNT_CAP, so the same query counts the events up to it ("more than 1,000" beyond): an
    exact count of a decade of events would cost more than the page. Previous and Next only.
    """
    today = today or timezone.localdate()
    number = min(max(number, 1), MAX_PAGE)
    organisation_id = user.organisation_id
    offset = (number - 1) * page_size
    limit = max(page_size + 1, COUNT_CAP + 1 - offset)
    ids = _ids_newest_first(
        organisation_id,
        _filters_q(filters, organisation_id, today),
        offset=offset,
        limit=limit,
        merge_branches=not _led_by_own_index(filters),
    )
    reached_end = len(ids) < limit
    return AuditPage(
        events=_events_by_id(ids[:page_size], "actor_organisation"),
        number=number,
        has_previous=number > 1,
        has_next=len(ids) > page_size,
        count=offset + len(ids) if reached_end and (ids or number == 1) else None,
        more_than_cap=not reached_end,
        count_cap=COUNT_CAP,
        page_size=page_size,
    )


def audit_openable_references(*, user: User, events: list[AuditEvent]) -> set[str]:
    """The request references among these events that this person may open (one query): a
    row links to its request only where requests_app.permissions lets its reader see it."""
    references = {event.object_reference for event in events if event.object_reference}
    if not references:
        return set()
    requests = InformationRequest.objects.filter(reference__in=references).only(
        "reference",
        "requester_id",
        "requesting_organisation_id",
        "receiving_organisation_id",
        "received_at",
    )
    return {req.reference for req in requests if request_permissions.can_view_summary(user, req)}


def audit_event_iter_for_spoc(
    *,
    user: User,
    filters: AuditFilters,
    batch_size: int = 1000,
    today: datetime.date | None = None,
) -> Iterator[AuditEvent]:
    """The CSV export: every event of the filtered view, newest first, read in batches that each
    start where the last ended (constant cost per batch, however deep into the trail)."""
    today = today or timezone.localdate()
    organisation_id = user.organisation_id
    q = _filters_q(filters, organisation_id, today)
    merge_branches = not _led_by_own_index(filters)
    after = Q()
    while True:
        ids = _ids_newest_first(
            organisation_id, q & after, offset=0, limit=batch_size, merge_branches=merge_branches
        )
        events = _events_by_id(
            ids, "actor_organisation", "requesting_organisation", "receiving_organisation"
        )
        yield from events
        if len(ids) < batch_size:
            return
        last = events[-1]
        # The range condition lets each index scan start at the last event; the OR breaks ties.
        after = Q(occurred_at__lte=last.occurred_at) & (
            Q(occurred_at__lt=last.occurred_at) | Q(id__lt=last.id)
        )


def audit_highlights_for_spoc(*, user: User, today: datetime.date | None = None) -> AuditHighlights:
    """The counts behind each highlight, over the last HIGHLIGHT_DAYS (requests overdue: now).

    Each count is of the same events its preset lists, so a link's count and its page agree. One
    query per highlight: each reads its own index (action and time; the out-of-hours hour index)
    and touches only the events it counts, however busy the month."""
    today = today or timezone.localdate()
    since = today - datetime.timedelta(days=HIGHLIGHT_DAYS)
    organisation_id = user.organisation_id
    recent = AuditEvent.objects.filter(
        _organisation_q(organisation_id), occurred_at__gte=_local_midnight(since)
    )

    def count(highlight: Highlight) -> int:
        return recent.filter(_highlight_q(highlight, organisation_id, today)).count()

    return AuditHighlights(
        since=since,
        refused=count(Highlight.REFUSED),
        # protocol 9.2: the disclosing officer replies within the agreed timescale.
        overdue=_requests_of(organisation_id).overdue(today).count(),
        without_consent=count(Highlight.WITHOUT_CONSENT),
        out_of_hours=count(Highlight.OUT_OF_HOURS),
    )


def audit_people_for_spoc(*, user: User) -> QuerySet[User]:
    """The people of the SPOC's organisation, for the person filter (including deactivated
    people: their past actions stay attributable)."""
    return User.objects.filter(organisation_id=user.organisation_id).order_by("full_name", "pk")
