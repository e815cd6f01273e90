"""The audit trail at scale: seeding, the SPOC page's queries, appends and verify_audit.

    DATABASE_URL=postgres://... DEBUG=0 SECRET_KEY=x uv run python benchmarks/audit.py [N]
    ... benchmarks/audit.py 1000000 --sizes 100000 1000000
    ... benchmarks/audit.py 1000000 --sizes 1000000 --years 0.5  # at 20 M in 10 years' density

A borough over ten years writes ~20 million events. This script builds a throwaway test database
(the real one is never touched), then grows the trail to each size in turn (default: 100,000 and
N, N = 1,000,000) with made-up people of the nine partners and requests between them: ten years
of events (`--years`) at the density of the largest size, hash-chained exactly as record() chains
them, and written with COPY. At each size it prints, for the SPOC of the busiest organisation:

- the audit page's event list (the selector's two queries) for the first page, one person and one
  month, and the highlight presets, with the EXPLAIN (ANALYZE, BUFFERS) plan of the list query and,
  for comparison, the plan of the plain OR query the list avoids;
- the highlights' four counts with their plans, and the whole page through Django's test client;
- verify_audit's time, per million events.

Then, at the largest size, the append throughput through record() with one writer and with four
(each its own connection), next to plain one-row transactions into a scratch table in the same run.
"""

from __future__ import annotations

import argparse
import bisect
import datetime
import io
import math
import os
import random
import statistics
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[0] = str(ROOT)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "isp_portal.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key")
# The page is fetched over http by the test client: no redirect to https.
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")

import django

django.setup()

import time_machine
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from benchmarks.signed_in import verified_client
from governance.audit import trail as audit
from governance.audit.models import AuditAction, AuditEvent
from governance.oversight import selectors
from governance.people.models import Organisation, SpocRole, User
from requests_app.models import (
    DecisionRecord,
    InformationRequest,
    Status,
    SubjectRole,
)

A = AuditAction
YEARS = 10
PEOPLE_PER_ORGANISATION = 40
EVENTS_PER_REQUEST = 100  # ~200,000 requests for ~20 million events
ROUNDS = 15
WARM_UP = 3
COPY_BATCH = 50_000
# Share of the partnership's work: the Met and the Council make and answer most requests.
ORGANISATION_WEIGHTS = {
    "met": 30,
    "council": 30,
    "lfb": 6,
    "ccg": 6,
    "nps": 6,
    "crc": 5,
    "beh": 7,
    "hfh": 7,
    "brt": 3,
}
# How often each action happens, and which side of a request does it ("" = not a request).
ACTIONS: list[tuple[AuditAction, float, str]] = [
    (A.SIGNED_IN, 16, ""),
    (A.SIGNED_OUT, 10, ""),
    (A.SIGN_IN_FAILED, 1, ""),
    (A.REQUEST_CREATED, 1, "requesting"),
    (A.REQUEST_UPDATED, 2, "requesting"),
    (A.REQUEST_SUBMITTED, 1, "requesting"),
    (A.REQUEST_VIEWED, 8, "receiving"),
    (A.REQUEST_ASSIGNED, 1, "receiving"),
    (A.REQUEST_REASSIGNED, 0.3, "receiving"),
    (A.MORE_INFORMATION_REQUESTED, 0.5, "receiving"),
    (A.MORE_INFORMATION_PROVIDED, 0.5, "requesting"),
    (A.REQUEST_WITHDRAWN, 0.1, "requesting"),
    (A.REQUEST_DECIDED, 1, "receiving"),
    (A.REQUEST_CLOSED, 1, "requesting"),
    (A.PERSONAL_DETAILS_VIEWED, 40, "either"),
    (A.ATTACHMENT_DOWNLOADED, 4, "requesting"),
    (A.PDF_PRINTED, 4, "either"),
    (A.CONSENT_RECORDED, 1, "requesting"),
    (A.CONSENT_WITHDRAWN, 0.05, "requesting"),
    (A.BREACH_REPORTED, 0.02, ""),
    (A.BREACH_UPDATED, 0.05, ""),
    (A.PERMISSION_DENIED, 1, "either"),
    (A.EXPORT_MADE, 0.05, ""),
    (A.ACCOUNT_CREATED, 0.02, ""),
    (A.ACCOUNT_CHANGED, 0.05, ""),
]
USER_AGENTS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_7) AppleWebKit/605.1.15 Version/18.1 Safari/605.1",
]


@dataclass
class Partnership:
    """The made-up people and requests the events are about."""

    organisations: list[Organisation]
    weights: list[float]
    people: dict[int, list[User]]
    days: int
    expected_requests: int
    requests: list[tuple[str, int, int]]  # (reference, requesting id, receiving id), in time order
    request_times: list[datetime.datetime]


# Seeding ------------------------------------------------------------------------------------


def seed_people(organisations: list[Organisation]) -> dict[int, list[User]]:
    password = make_password(None)
    people = []
    for org in organisations:
        for number in range(PEOPLE_PER_ORGANISATION):
            people.append(
                User(
                    email=f"person{number}@{org.short_code}.bench.example",
                    full_name=f"Bench {org.short_code.upper()} Person {number:02d}",
                    organisation=org,
                    password=password,
                    is_requesting_officer=number % 2 == 0,
                    is_disclosing_officer=number % 2 == 1,
                    spoc_role={0: SpocRole.SPOC, 1: SpocRole.BACKUP}.get(number, SpocRole.NONE),
                )
            )
    User.objects.bulk_create(people, batch_size=1000)
    by_org: dict[int, list[User]] = {}
    for person in User.objects.filter(email__endswith=".bench.example").order_by("email"):
        by_org.setdefault(person.organisation_id, []).append(person)
    return by_org


def seed_requests(
    partnership: Partnership, rng: random.Random, start: datetime.datetime, count: int
) -> None:
    """`count` more requests, spread over the years like the events; a few left open (some
    overdue), the rest decided, a third of the decisions made without consent."""
    span = datetime.timedelta(days=partnership.days)
    already = len(partnership.requests)
    rows = []
    decided = []
    for number in range(already, already + count):
        created = start + span * (number / partnership.expected_requests)
        requesting, receiving = rng.choices(partnership.organisations, partnership.weights, k=2)
        while receiving == requesting:
            receiving = rng.choices(partnership.organisations, partnership.weights)[0]
        requester = rng.choice(partnership.people[requesting.pk])
        reference = f"ISP-{created.year}-{number + 1:06d}"
        status = Status.SUBMITTED if rng.random() < 0.01 else Status.CLOSED
        rows.append(
            InformationRequest(
                reference=reference,
                status=status,
                requester=requester,
                requesting_organisation=requesting,
                requester_name=requester.full_name,
                requester_position="Officer",
                requester_department="Community Safety",
                requester_address="1 Bench Road",
                requester_phone="020 7946 0000",
                requester_email=requester.email,
                information_description="Benchmark request.",
                subject_name="Bench Subject",
                subject_address="1 Bench Road",
                subject_role=SubjectRole.SUSPECT,
                required_by=(created + datetime.timedelta(days=14)).date(),
                receiving_organisation=receiving,
            )
        )
        partnership.requests.append((reference, requesting.pk, receiving.pk))
        partnership.request_times.append(created)
        if status == Status.CLOSED:
            decided.append((reference, created, rng.choice(partnership.people[receiving.pk])))
    InformationRequest.objects.bulk_create(rows, batch_size=2000)
    ids = dict(
        InformationRequest.objects.filter(reference__in=[r for r, _, _ in decided]).values_list(
            "reference", "pk"
        )
    )
    with_consent = [rng.random() > 0.33 for _ in decided]
    DecisionRecord.objects.bulk_create(
        [
            # Complete as App. G 9 and the table's constraints ask.
            DecisionRecord(
                request_id=ids[reference],
                decided_at=created + datetime.timedelta(days=5),
                information_summary="Benchmark request.",
                requester_name="Bench",
                requester_job_title="Officer",
                requester_organisation="Bench",
                decision="share",
                reasons="Benchmark.",
                with_consent=consented,
                subject_informed="" if consented else "yes",
                consented_or_authorised_by="Bench",
                information_type="Benchmark summaries",
                sharing_method="Through the portal",
                decided_by=decider,
            )
            for (reference, created, decider), consented in zip(decided, with_consent, strict=True)
        ],
        batch_size=2000,
    )


def _day_times(day_number: int, day: datetime.datetime, count: int) -> list[datetime.datetime]:
    """Times of one day's events: most in the working day, some in the evening and night. The
    same for a day whichever size the trail is grown to next, so times follow ids."""
    rng = random.Random(day_number)
    seconds = []
    for _ in range(count):
        if rng.random() < 0.9:
            seconds.append(rng.uniform(8 * 3600, 18 * 3600))
        else:
            seconds.append(rng.uniform(0, 86400))
    seconds.sort()
    return [day + datetime.timedelta(seconds=s) for s in seconds]


def seed_events(
    partnership: Partnership,
    rng: random.Random,
    start: datetime.datetime,
    n_max: int,
    first: int,
    last: int,
) -> None:
    """Events [first, last) of a trail that will hold n_max events over the years, written with
    COPY and chained from the current head exactly as record() chains them."""
    actions = [a for a, _, _ in ACTIONS]
    weights = [w for _, w, _ in ACTIONS]
    sides = {a: side for a, _, side in ACTIONS}
    previous = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
    previous = previous or audit.GENESIS_HASH
    columns = (
        "occurred_at",
        "actor_id",
        "actor_name",
        "actor_organisation_id",
        "action",
        "object_type",
        "object_reference",
        "requesting_organisation_id",
        "receiving_organisation_id",
        "ip_address",
        "user_agent",
        "detail",
        "previous_hash",
        "hash",
    )
    per_day = n_max / partnership.days
    index = first
    buffer = io.StringIO()
    buffered = 0
    while index < last:
        day_number = int(index / per_day)
        day_start_index = math.ceil(day_number * per_day)
        day_end_index = math.ceil((day_number + 1) * per_day)
        times = _day_times(
            day_number,
            start + datetime.timedelta(days=day_number),
            day_end_index - day_start_index,
        )[index - day_start_index :]
        for occurred_at in times:
            if index >= last:
                break
            action = rng.choices(actions, weights)[0]
            side = sides[action]
            reference, requesting_id, receiving_id = "", None, None
            if side:
                newest = bisect.bisect_right(partnership.request_times, occurred_at) - 1
                pick = max(0, newest - rng.randint(0, 60))
                reference, requesting_id, receiving_id = partnership.requests[pick]
                acting_org = {
                    "requesting": requesting_id,
                    "receiving": receiving_id,
                    "either": rng.choice((requesting_id, receiving_id)),
                }[side]
                if action == A.PERMISSION_DENIED and rng.random() < 0.5:
                    acting_org = rng.choice(partnership.organisations).pk
            else:
                acting_org = rng.choices(partnership.organisations, partnership.weights)[0].pk
            actor = (
                None if action == A.SIGN_IN_FAILED else rng.choice(partnership.people[acting_org])
            )
            values = (
                occurred_at.replace(microsecond=rng.randrange(1_000_000)),
                actor.pk if actor else None,
                actor.full_name if actor else "",
                actor.organisation_id if actor else None,
                action.value,
                "informationrequest" if reference else "",
                reference,
                requesting_id,
                receiving_id,
                f"10.{acting_org}.{rng.randrange(256)}.{rng.randrange(1, 255)}",
                rng.choice(USER_AGENTS),
                "protocol 9.2" if side == "receiving" else "",
            )
            digest = audit.content_hash(values, previous)
            fields = [
                values[0].isoformat(),
                *values[1:],
                previous,
                digest,
            ]
            buffer.write("\t".join(r"\N" if v is None else str(v) for v in fields) + "\n")
            previous = digest
            buffered += 1
            index += 1
            if buffered >= COPY_BATCH:
                _copy(buffer, columns)
                buffer, buffered = io.StringIO(), 0
    if buffered:
        _copy(buffer, columns)


def _copy(buffer: io.StringIO, columns: tuple[str, ...]) -> None:
    buffer.seek(0)
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(
            f"COPY governance_auditevent ({', '.join(columns)}) FROM STDIN", buffer
        )


def grow_to(
    partnership: Partnership,
    rng: random.Random,
    start: datetime.datetime,
    n_max: int,
    size: int,
) -> float:
    current = AuditEvent.objects.count()
    wanted_requests = size // EVENTS_PER_REQUEST
    began = time.perf_counter()
    with transaction.atomic():
        seed_requests(partnership, rng, start, wanted_requests - len(partnership.requests))
        seed_events(partnership, rng, start, n_max, current, size)
        # Requests left unanswered are chased: only the last two months' may still be open.
        newest = AuditEvent.objects.order_by("-id").values_list("occurred_at", flat=True).first()
        assert newest is not None
        InformationRequest.objects.filter(
            status=Status.SUBMITTED, required_by__lt=newest.date() - datetime.timedelta(days=60)
        ).update(status=Status.CLOSED)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE governance_auditevent")
        cursor.execute("ANALYZE requests_app_informationrequest")
        cursor.execute("ANALYZE requests_app_decisionrecord")
    return time.perf_counter() - began


# Measuring ----------------------------------------------------------------------------------


def timed(run: Callable[[], Any], rounds: int = ROUNDS) -> tuple[float, float]:
    for _ in range(WARM_UP):
        run()
    times = []
    for _ in range(rounds):
        began = time.perf_counter()
        run()
        times.append(time.perf_counter() - began)
    return statistics.median(times) * 1000, max(times) * 1000


@dataclass(frozen=True)
class Plan:
    text: str
    execution_ms: float
    buffers: int  # shared blocks hit + read: the work done, whatever the machine's load

    @property
    def indexes(self) -> str:
        names = {w.strip('"') for w in self.text.split() if w.startswith(("audit_", "req_"))}
        return ", ".join(sorted(names)) or "-"


def explain(sql: str) -> Plan:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) {sql}")
        lines = [row[0] for row in cursor.fetchall()]
    execution = next(
        float(line.split(":")[1].split()[0]) for line in lines if line.startswith("Execution Time")
    )
    # The top node's buffers are the whole query's (the first "Buffers:" line; planning's follow).
    first = next((line for line in lines if line.strip().startswith("Buffers:")), "")
    blocks = sum(int(part.split("=")[1]) for part in first.split() if "=" in part)
    return Plan("\n".join(lines), execution, blocks)


def queries_of(run: Callable[[], Any]) -> list[str]:
    """The SQL a call sends, as PostgreSQL received it."""
    with CaptureQueriesContext(connection) as queries:
        run()
    return [query["sql"] for query in queries.captured_queries]


def plain_or_sql(organisation_id: int, extra: str) -> str:
    """The query the list avoids: one OR across the organisation columns, ORDER BY, LIMIT."""
    o = organisation_id
    return (
        f"SELECT id FROM governance_auditevent WHERE (actor_organisation_id = {o} OR "
        f"requesting_organisation_id = {o} OR receiving_organisation_id = {o}) {extra}"
        "ORDER BY occurred_at DESC, id DESC LIMIT 51"
    )


# The highlight selector's queries, in the order it sends them.
HIGHLIGHT_QUERIES = ("refused", "overdue", "without consent", "out of hours")
ROW = "{:40} {:>9} {:>8} {:>9} {:>8} {:>5}  {}"


def measure(size: int, spoc: User, person: User, show_plans: bool) -> dict[str, float]:
    newest = AuditEvent.objects.order_by("-id").values_list("occurred_at", flat=True).first()
    assert newest is not None
    today = timezone.localtime(newest).date()
    month_end = today.replace(day=1) - datetime.timedelta(days=1)
    month_start = month_end.replace(day=1)
    since = today - datetime.timedelta(days=selectors.HIGHLIGHT_DAYS)
    H = selectors.Highlight
    F = selectors.AuditFilters
    scenarios: list[tuple[str, selectors.AuditFilters, int, str | None]] = [
        ("first page", F(), 1, ""),
        ("one person", F(person=person), 1, f"AND actor_id = {person.pk} "),
        (
            "one month",
            F(date_from=month_start, date_to=month_end),
            1,
            f"AND occurred_at >= '{month_start}' AND occurred_at < '{month_end}'::date + 1 ",
        ),
        ("page 20", F(), 20, None),
        ("preset: refused accesses", F(highlight=H.REFUSED, date_from=since), 1, None),
        ("preset: out of hours", F(highlight=H.OUT_OF_HOURS, date_from=since), 1, None),
        ("preset: requests overdue", F(highlight=H.OVERDUE), 1, None),
        ("preset: without consent", F(highlight=H.WITHOUT_CONSENT, date_from=since), 1, None),
    ]
    results: dict[str, float] = {}
    print(
        f"\n## {size:,} events (newest {timezone.localtime(newest):%d %B %Y}; "
        f"SPOC of {spoc.organisation.name})\n"
    )
    print(
        ROW.format(
            "list (the selector: 2 queries)",
            "median ms",
            "max ms",
            "SQL ms",
            "buffers",
            "rows",
            "indexes used by the list query",
        )
    )
    plans = []
    for label, filters, number, or_extra in scenarios:

        def run(filters: selectors.AuditFilters = filters, number: int = number) -> Any:
            return selectors.audit_event_page_for_spoc(
                user=spoc, filters=filters, number=number, today=today
            )

        median, worst = timed(run)
        rows = len(run().events)
        plan = explain(queries_of(run)[0])
        print(
            ROW.format(
                label,
                f"{median:.2f}",
                f"{worst:.2f}",
                f"{plan.execution_ms:.2f}",
                plan.buffers,
                rows,
                plan.indexes,
            )
        )
        results[f"{label}: selector ms"] = median
        results[f"{label}: SQL ms"] = plan.execution_ms
        results[f"{label}: buffers"] = plan.buffers
        plans.append((label, plan))
        if or_extra is not None:
            or_plan = explain(plain_or_sql(spoc.organisation_id, or_extra))
            print(
                ROW.format(
                    f"  {label}, as one plain OR query",
                    "",
                    "",
                    f"{or_plan.execution_ms:.2f}",
                    or_plan.buffers,
                    "",
                    or_plan.indexes,
                )
            )
            plans.append((f"{label}: plain OR query, for comparison", or_plan))
            results[f"{label}: plain OR SQL ms"] = or_plan.execution_ms
            results[f"{label}: plain OR buffers"] = or_plan.buffers

    def highlights() -> Any:
        return selectors.audit_highlights_for_spoc(user=spoc, today=today)

    median, worst = timed(highlights)
    counts = highlights()
    for number, sql in enumerate(queries_of(highlights)):
        plan = explain(sql)
        label = f"highlights: {HIGHLIGHT_QUERIES[number]} count"
        plans.append((label, plan))
        print(ROW.format(label, "", "", f"{plan.execution_ms:.2f}", plan.buffers, "", plan.indexes))
        results[f"{label}: SQL ms"] = plan.execution_ms
    print(
        ROW.format(
            "highlights (the selector: 4 queries)", f"{median:.2f}", f"{worst:.2f}", "", "", "", ""
        )
    )
    print(
        f"  counts: refused {counts.refused}, overdue {counts.overdue}, without consent "
        f"{counts.without_consent}, out of hours {counts.out_of_hours}"
    )
    results["highlights: selector ms"] = median

    client = verified_client(spoc, HTTP_HOST="localhost")
    with time_machine.travel(newest, tick=True):
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/audit/").status_code == 200
        page_queries = len(queries)
        median, worst = timed(lambda: client.get("/audit/"))
    print(
        ROW.format(
            "whole /audit/ page (test client)",
            f"{median:.2f}",
            f"{worst:.2f}",
            "",
            "",
            "",
            f"{page_queries} queries",
        )
    )
    results["whole page ms"] = median

    began = time.perf_counter()
    checked, broken = audit.verify_chain()
    seconds = time.perf_counter() - began
    assert broken is None, broken
    print(
        f"\nverify_audit: {checked:,} events in {seconds:.1f}s = "
        f"{seconds / checked * 1_000_000:.1f}s per million ({checked / seconds:,.0f} events/s)"
    )
    results["verify_audit s per million"] = seconds / checked * 1_000_000
    if show_plans:
        for label, plan in plans:
            print(f"\n### {label} (EXPLAIN ANALYZE: {plan.execution_ms:.2f} ms)\n")
            print(plan.text)
    return results


def append_throughput(people: list[User], events: int, writers: int) -> float:
    """Events per second through record(), one transaction per event, `writers` in parallel."""
    each = events // writers
    barrier = threading.Barrier(writers + 1)
    failures: list[BaseException] = []

    def write(writer: int) -> None:
        try:
            actor = people[writer % len(people)]
            connection.ensure_connection()
            barrier.wait()
            for number in range(each):
                with transaction.atomic():
                    audit.record(
                        action=A.PERSONAL_DETAILS_VIEWED, actor=actor, detail=f"bench {number}"
                    )
        except BaseException as exc:
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    barrier.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - began
    if failures:
        raise failures[0]
    return each * writers / seconds


def plain_insert_throughput(rows: int) -> float:
    """The machine's floor: one-row transactions into a scratch table, same connection kind."""
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE bench_plain (id bigserial PRIMARY KEY, payload text)")
    began = time.perf_counter()
    for number in range(rows):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("INSERT INTO bench_plain (payload) VALUES (%s)", [f"row {number}"])
    seconds = time.perf_counter() - began
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_plain")
    return rows / seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("events", nargs="?", type=int, default=1_000_000, help="N (1,000,000)")
    parser.add_argument("--sizes", type=int, nargs="+", help="sizes to measure (100,000 and N)")
    parser.add_argument("--appends", type=int, default=4000, help="events appended per run")
    parser.add_argument(
        "--years", type=float, default=YEARS, help="years the largest size spans (10)"
    )
    parser.add_argument("--plans", action="store_true", help="print every EXPLAIN plan")
    parser.add_argument("--keep", action="store_true", help="keep the test database")
    args = parser.parse_args()
    sizes = sorted(
        set(args.sizes or ([100_000, args.events] if args.events > 100_000 else [args.events]))
    )
    n_max = max(sizes)
    if connection.vendor != "postgresql":
        sys.exit("benchmarks/audit.py needs PostgreSQL: set DATABASE_URL (see `make bench`).")
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }

    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        call_command(
            "loaddata", "fixtures/organisations.json", "fixtures/legislation.json", verbosity=0
        )
        with connection.cursor() as cursor:
            cursor.execute("SELECT version()")
            version = cursor.fetchone()[0].split(",")[0]
        print(
            f"# Audit trail benchmark: sizes {', '.join(f'{s:,}' for s in sizes)}; "
            f"{version}; {os.cpu_count()} CPUs"
        )
        rng = random.Random(20261126)
        organisations = list(Organisation.objects.order_by("pk"))
        partnership = Partnership(
            organisations=organisations,
            weights=[ORGANISATION_WEIGHTS.get(o.short_code, 3) for o in organisations],
            people=seed_people(organisations),
            days=round(args.years * 365.25),
            expected_requests=n_max // EVENTS_PER_REQUEST,
            requests=[],
            request_times=[],
        )
        start = (timezone.now() - datetime.timedelta(days=partnership.days)).replace(
            hour=0, minute=0, second=0, microsecond=0
        )
        met = next(o for o in organisations if o.short_code == "met")
        spoc = next(p for p in partnership.people[met.pk] if p.spoc_role == SpocRole.SPOC)
        person = partnership.people[met.pk][5]
        summary = {}
        for size in sizes:
            seconds = grow_to(partnership, rng, start, n_max, size)
            print(
                f"\nSeeded to {size:,} events ({len(partnership.requests):,} requests) "
                f"in {seconds:.0f}s"
            )
            summary[size] = measure(size, spoc, person, show_plans=args.plans or size == n_max)

        print("\n## Append throughput through record() (one transaction per event)\n")
        people = [p for group in partnership.people.values() for p in group]
        plain = plain_insert_throughput(args.appends)
        one = append_throughput(people, args.appends, writers=1)
        four = append_throughput(people, args.appends, writers=4)
        print(f"plain one-row INSERT transactions (floor): {plain:8,.0f} rows/s")
        print(f"record(), 1 writer:                       {one:8,.0f} events/s")
        print(f"record(), 4 writers:                      {four:8,.0f} events/s")
        checked, broken = audit.verify_chain()
        print(
            f"chain after the appends: {checked:,} events, {'intact' if broken is None else broken}"
        )

        if len(sizes) > 1:
            print("\n## Summary (median ms)\n")
            keys = list(summary[sizes[0]])
            print(f"{'':48}" + "".join(f"{s:>14,}" for s in sizes))
            for key in keys:
                print(f"{key:48}" + "".join(f"{summary[s][key]:14.2f}" for s in sizes))
    finally:
        if not args.keep:
            connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
