"""The querysets each page lists or shows. Every list is filtered in the database."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    TextChoices,
    Value,
    When,
)
from django.utils import timezone

from governance.audit.models import AuditAction, AuditEvent
from governance.people import roles
from governance.people.models import User
from requests_app.models import (
    OPEN_STATUSES,
    InformationRequest,
    InformationRequestUserObjectPermission,
    PersonalDetailsAccess,
    Status,
    overdue_q,
)

# The Open / Closed split of every list: open while someone still has to act on it (the
# receiving side to decide, or the requester to answer a question); closed once decided,
# withdrawn or closed. Drafts have their own tab: they never left the requester.
CLOSED_STATUSES = (Status.DISCLOSED, Status.DECLINED, Status.WITHDRAWN, Status.CLOSED)


class InboxTab(TextChoices):
    OPEN = "open", "Open"
    MINE = "mine", "My cases"
    UNASSIGNED = "unassigned", "Unassigned"
    CLOSED = "closed", "Closed"


class MineTab(TextChoices):
    OPEN = "open", "Open"
    DRAFTS = "drafts", "Drafts"
    CLOSED = "closed", "Closed"


@dataclass(frozen=True)
class ListFilters:
    """What a list page was asked for: its tab, and filters that narrow every tab alike."""

    tab: str = ""
    status: str = ""
    due_before: datetime.date | None = None
    search: str = ""


@dataclass(frozen=True)
class TabCounts:
    """How many requests each tab of a list holds (with the page's filters), and how many of
    them are overdue: one query, whatever the number of requests."""

    counts: dict[str, int]
    overdue: int = 0
    mine_overdue: int = 0
    awaiting_reply: int = 0
    # Tabs counted only up to CLOSED_COUNT_CAP: they hold more than that.
    over_cap: frozenset[str] = frozenset()

    def of(self, tab: str) -> int:
        return self.counts.get(tab, 0)

    def text_of(self, tab: str) -> str:
        """The count as a tab shows it: "1,000+" past the cap."""
        if tab in self.over_cap:
            return f"{CLOSED_COUNT_CAP:,}+"
        return f"{self.of(tab):,}"


@dataclass(frozen=True)
class RequestList:
    page: Page
    tab: str
    counts: TabCounts


def _has_grant(user: User, codename: str) -> Exists:
    """Guardian's direct foreign-key permission table: this person holds the grant on the row
    (one indexed lookup per row, never a check per object in Python)."""
    return Exists(
        InformationRequestUserObjectPermission.objects.filter(
            content_object=OuterRef("pk"), user=user, permission__codename=codename
        )
    )


def _inbox_personal_details_q(user: User) -> Q | None:
    """permissions.can_view_personal_details, for the rows of this person's inbox (all sent to
    their organisation): the disclosing officer holding the grant, or the receiving SPOC with an
    open, recorded reason (10.5.2, ADR 0002). None when the person may see none of them."""
    q: Q | None = None
    if roles.can_disclose(user):
        q = Q(_has_grant(user, "view_personal_details"))
    if roles.is_spoc(user):
        spoc = Q(
            Exists(
                PersonalDetailsAccess.objects.filter(
                    request=OuterRef("pk"), user=user, expires_at__gt=timezone.now()
                )
            )
        )
        q = spoc if q is None else q | spoc
    return q


def _requester_personal_details_q(user: User) -> Q:
    """permissions.can_view_personal_details for the requester's own list: their grant, while
    they still request for the organisation the request came from (10.5.2)."""
    return Q(requesting_organisation_id=user.organisation_id) & Q(
        _has_grant(user, "view_personal_details")
    )


def _reference_text(term: str) -> str:
    return "".join(term.split())


def _search_q(
    term: str, *, partner: str, officers: tuple[str, ...], personal_details: Q | None
) -> Q:
    """Reference, partner organisation, officer name, and the subject's name only on the rows
    whose personal details this person may see: a name never finds a request it may not show."""
    q = Q(reference__icontains=_reference_text(term))
    q |= Q(**{f"{partner}__name__icontains": term}) | Q(**{f"{partner}__short_code__iexact": term})
    for officer in officers:
        q |= Q(**{f"{officer}__icontains": term})
    if personal_details is not None:
        q |= Q(subject_name__icontains=term) & personal_details
    return q


def _filters_q(filters: ListFilters) -> Q:
    q = Q()
    if filters.status:
        q &= Q(status=filters.status)
    if filters.due_before:
        q &= Q(due_date__lte=filters.due_before)
    return q


def _page_of(qs: QuerySet, count: int, number: object, page_size: int) -> Page:
    paginator = Paginator(qs, page_size)
    # The tab count is the same filter's count, already read with the others: no second COUNT.
    paginator.__dict__["count"] = count
    return paginator.get_page(number)


def _inbox_tab_q(tab: str, user: User) -> Q:
    if tab == InboxTab.CLOSED:
        return Q(status__in=CLOSED_STATUSES)
    open_q = Q(status__in=OPEN_STATUSES)
    if tab == InboxTab.MINE:
        # The officer the request is assigned to (who holds its decide grant: workflow._assign_to
        # grants and removes both together); a column of the row, so no lookup per row.
        return open_q & Q(assigned_officer_id=user.pk)
    if tab == InboxTab.UNASSIGNED:
        return open_q & Q(assigned_officer__isnull=True)
    return open_q


def inbox_tabs_for(user: User) -> list[str]:
    """The inbox's tabs for this person: My cases only for the officers who decide (SPOCs
    oversee the queue and decide nothing)."""
    tabs = [InboxTab.OPEN]
    if roles.can_disclose(user):
        tabs.append(InboxTab.MINE)
    return [*tabs, InboxTab.UNASSIGNED, InboxTab.CLOSED]


def _inbox_base(user: User, filters: ListFilters) -> QuerySet[InformationRequest]:
    # Only requests sent to the officer's organisation (10.5.2).
    qs = InformationRequest.objects.reached_partner().filter(
        receiving_organisation_id=user.organisation_id
    )
    qs = qs.filter(_filters_q(filters))
    if filters.search:
        qs = qs.filter(
            _search_q(
                filters.search,
                partner="requesting_organisation",
                officers=("requester_name", "assigned_officer__full_name"),
                personal_details=_inbox_personal_details_q(user),
            )
        )
    return qs


# The closed tab holds every request the organisation ever finished: counting all of them on
# every inbox page grows with its history. Away from that tab they are counted up to this.
CLOSED_COUNT_CAP = 1000


def inbox_counts(
    *,
    user: User,
    filters: ListFilters | None = None,
    today: datetime.date | None = None,
    exact_closed: bool = False,
) -> TabCounts:
    """The count of each inbox tab, and the overdue among the open and among my cases; the
    closed tab exactly only when asked (its own page numbers need it)."""
    today = today or timezone.localdate()
    tabs = inbox_tabs_for(user)
    overdue = overdue_q(today)
    base = _inbox_base(user, filters or ListFilters())
    # Two queries: the open tabs' counts over the open rows only, and the closed rows (most of
    # an organisation's requests over the years) counted from the req_inbox_received index alone.
    open_tabs = [tab for tab in tabs if tab != InboxTab.CLOSED]
    # COUNT(status), a key of req_inbox_received (never null): the counts read that index alone.
    aggregates = {tab: Count("status", filter=_inbox_tab_q(tab, user)) for tab in open_tabs}
    aggregates["overdue"] = Count("status", filter=overdue)
    if InboxTab.MINE in tabs:
        aggregates["mine_overdue"] = Count(
            "status", filter=_inbox_tab_q(InboxTab.MINE, user) & overdue
        )
    row = base.filter(status__in=OPEN_STATUSES).aggregate(**aggregates)
    closed = base.filter(_inbox_tab_q(InboxTab.CLOSED, user))
    over_cap: frozenset[str] = frozenset()
    if exact_closed:
        row[InboxTab.CLOSED] = closed.count()
    else:
        # COUNT over a LIMITed, unordered subquery: req_inbox_received is read for at most
        # CAP + 1 entries (the model's default order would sort every closed row first).
        capped = closed.order_by().values("pk")[: CLOSED_COUNT_CAP + 1]
        row[InboxTab.CLOSED] = capped.count()
        if row[InboxTab.CLOSED] > CLOSED_COUNT_CAP:
            over_cap = frozenset({InboxTab.CLOSED})
    return TabCounts(
        counts={tab: row[tab] for tab in tabs},
        overdue=row["overdue"],
        mine_overdue=row.get("mine_overdue", 0),
        over_cap=over_cap,
    )


def request_list_for_inbox(
    *,
    user: User,
    filters: ListFilters,
    page_number: object = None,
    page_size: int = 25,
    today: datetime.date | None = None,
) -> RequestList:
    """/inbox/: requests addressed to the officer's organisation, in tabs. Open tabs: overdue
    and urgent first, then the earliest due date; closed: the latest first."""
    today = today or timezone.localdate()
    tabs = inbox_tabs_for(user)
    tab = filters.tab if filters.tab in tabs else InboxTab.OPEN
    counts = inbox_counts(
        user=user, filters=filters, today=today, exact_closed=tab == InboxTab.CLOSED
    )
    qs = _inbox_base(user, filters).filter(_inbox_tab_q(tab, user))
    if tab == InboxTab.CLOSED:
        qs = qs.order_by("-updated_at", "-reference")
    else:
        overdue_first = Case(When(overdue_q(today), then=Value(0)), default=Value(1))
        qs = qs.annotate(overdue_rank=overdue_first).order_by(
            "overdue_rank",
            "-is_urgent",
            F("due_date").asc(nulls_last=True),
            F("required_by").asc(nulls_last=True),
            "reference",
        )
    # The page's ids are sorted from the req_inbox_received index alone (every column of the
    # order is in it), then only those rows are read: the heap is not read for every open row.
    page = _page_of(qs.values_list("pk", flat=True), counts.of(tab), page_number, page_size)
    ids = list(page.object_list)
    rows = InformationRequest.objects.filter(pk__in=ids).select_related(
        "requesting_organisation", "assigned_officer"
    )
    by_id = {row.pk: row for row in rows}
    page.object_list = [by_id[pk] for pk in ids if pk in by_id]
    return RequestList(page, tab, counts)


def _mine_tab_q(tab: str) -> Q:
    if tab == MineTab.DRAFTS:
        return Q(status=Status.DRAFT)
    if tab == MineTab.CLOSED:
        return Q(status__in=CLOSED_STATUSES)
    return Q(status__in=OPEN_STATUSES)


def _mine_base(user: User, filters: ListFilters) -> QuerySet[InformationRequest]:
    # 10.5.2: the requests this officer made for the organisation they still request for.
    qs = InformationRequest.objects.filter(
        requester=user, requesting_organisation_id=user.organisation_id
    ).filter(_filters_q(filters))
    if filters.search:
        qs = qs.filter(
            _search_q(
                filters.search,
                partner="receiving_organisation",
                officers=("assigned_officer__full_name",),
                personal_details=_requester_personal_details_q(user),
            )
        )
    return qs


def requester_counts(*, user: User, filters: ListFilters | None = None) -> TabCounts:
    """The count of each tab of My requests, and how many await the requester's reply."""
    aggregates = {tab: Count("pk", filter=_mine_tab_q(tab)) for tab in MineTab.values}
    aggregates["awaiting_reply"] = Count("pk", filter=Q(status=Status.MORE_INFORMATION))
    row = _mine_base(user, filters or ListFilters()).aggregate(**aggregates)
    return TabCounts(
        counts={tab: row[tab] for tab in MineTab.values}, awaiting_reply=row["awaiting_reply"]
    )


def request_list_for_requester(
    *,
    user: User,
    filters: ListFilters | None = None,
    page_number: object = None,
    page_size: int = 25,
) -> RequestList:
    """/requests/: the requests this officer has made, in tabs. Open: those awaiting their
    reply first, then the newest; drafts and closed: the latest first."""
    filters = filters or ListFilters()
    tab = filters.tab if filters.tab in MineTab.values else MineTab.OPEN
    counts = requester_counts(user=user, filters=filters)
    qs = (
        _mine_base(user, filters)
        .filter(_mine_tab_q(tab))
        .select_related("receiving_organisation", "assigned_officer")
    )
    if tab == MineTab.OPEN:
        awaiting_first = Case(When(status=Status.MORE_INFORMATION, then=Value(0)), default=Value(1))
        qs = qs.annotate(awaiting_rank=awaiting_first).order_by(
            "awaiting_rank", "-created_at", "-reference"
        )
    else:
        qs = qs.order_by("-updated_at", "-reference")
    return RequestList(_page_of(qs, counts.of(tab), page_number, page_size), tab, counts)


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
