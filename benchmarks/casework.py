"""Case work at 100,000 requests: the periodic chase, the SPOC digest and /inbox/ under load.

    DATABASE_URL=postgres://... DEBUG=0 SECRET_KEY=x uv run python benchmarks/casework.py [N]
    ... benchmarks/casework.py 100000 --workers 3 --clients 8 --seconds 10

The script builds a throwaway test database (the real one is never touched) and seeds N requests
(default 100,000) between the nine partners with bulk_create: 24 made-up people per partner (a
SPOC, a back-up, ten disclosing and twelve requesting officers), most requests decided or closed
over three years, about one in six open (submitted, under review, waiting for more information)
and received in the last weeks, so that a realistic share of the open ones are due soon or
overdue; due dates from requests_app.deadlines, guardian grants as the workflow gives them.

1. chasing.chase(): a first run with reminders and escalations to send, a second with nothing
   left (idempotent), each timed with its query count and the emails it queued (outbox rows, and
   django-q2 tasks in its ORM queue: TASKS_SYNC off, so queueing is one insert); the EXPLAIN
   (ANALYZE, BUFFERS) of each claim query; spoc_digest() the same way.
2. /inbox/ under gunicorn (`--workers`) against the same database: one disclosing officer of the
   busiest partner signed in (one session per client thread), `--clients` threads with
   keep-alive connections on /inbox/ and on a bare view (benchmarks/urls.py: same session, same
   middleware, an indexed first page and a trivial template), interleaved in the same run; req/s,
   p50/p95 latency and the ratio; one /inbox/ page's queries with their plans.
3. The chase again with every one of the N requests open (`--skip-all-open` to leave it out).
"""

from __future__ import annotations

import argparse
import datetime
import functools
import http.client
import io
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[0] = str(ROOT)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings_bench")
os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
# Emails are queued as the portal queues them in production: a task row in django-q2's ORM
# queue (no worker runs here, so nothing is sent).
os.environ["TASKS_SYNC"] = "0"

import logging

import django

django.setup()

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_q.conf import Conf
from django_q.models import OrmQ

from benchmarks.signed_in import verified_client
from benchmarks.urls import BARE_PATH
from governance.outbox.models import Email
from governance.people.models import Organisation, SpocRole, User
from requests_app import chasing, deadlines
from requests_app.models import (
    CLOCK_RUNNING_STATUSES,
    OPEN_STATUSES,
    InformationRequest,
    Status,
    SubjectRole,
)

PEOPLE_PER_ORGANISATION = 24  # 0 SPOC, 1 back-up, 2-11 disclosing, 12-23 requesting officers
DISCLOSING = range(2, 12)
REQUESTING = range(12, 24)
# Share of the partnership's work (as benchmarks/audit.py): the Met and the Council most.
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
# The states a request is in at any one time: most decided or closed; about one in six open.
STATES = {
    Status.CLOSED: 52,
    Status.DISCLOSED: 16,
    Status.DECLINED: 8,
    Status.WITHDRAWN: 6,
    Status.SUBMITTED: 5,
    Status.UNDER_REVIEW: 9,
    Status.MORE_INFORMATION: 4,
}
URGENT_SHARE = 0.08
# Open requests' age in calendar days: most are recent (they get answered), a tail is late.
OPEN_MEAN_AGE_DAYS = 8
CLOSED_YEARS = 3
INBOX = "/inbox/"


# Seeding ------------------------------------------------------------------------------------


def seed_people(organisations: list[Organisation]) -> dict[int, list[User]]:
    password = make_password(None)
    people = [
        User(
            email=f"person{number}@{org.short_code}.bench.example",
            full_name=f"Bench {org.short_code.upper()} Person {number:02d}",
            organisation=org,
            password=password,
            is_requesting_officer=number in REQUESTING,
            is_disclosing_officer=number in DISCLOSING,
            spoc_role={0: SpocRole.SPOC, 1: SpocRole.BACKUP}.get(number, SpocRole.NONE),
        )
        for org in organisations
        for number in range(PEOPLE_PER_ORGANISATION)
    ]
    User.objects.bulk_create(people, batch_size=1000)
    by_org: dict[int, list[User]] = {}
    for person in User.objects.filter(email__endswith=".bench.example").order_by("id"):
        by_org.setdefault(person.organisation_id, []).append(person)
    return by_org


@functools.cache
def _due(received: datetime.date, urgent: bool, required_by: datetime.date) -> datetime.date:
    return deadlines.due_date_on_receipt(received=received, urgent=urgent, required_by=required_by)


def _copy_text(value: object) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def seed_requests(
    count: int,
    organisations: list[Organisation],
    people: dict[int, list[User]],
    now: datetime.datetime,
    rng: random.Random,
) -> float:
    """`count` requests, written with COPY (every column: the model's Python defaults are not
    the table's), and the grants the workflow gives them."""
    began = time.perf_counter()
    fields = [f for f in InformationRequest._meta.concrete_fields if f.column != "id"]
    columns = [f.column for f in fields]
    blank = {f.column: None if f.null else "" for f in fields}
    blank["is_urgent"] = False
    weights = [ORGANISATION_WEIGHTS.get(o.short_code, 3) for o in organisations]
    states = list(STATES)
    state_weights = list(STATES.values())
    buffer = io.StringIO()
    for number in range(1, count + 1):
        requesting, receiving = rng.choices(organisations, weights, k=2)
        while receiving == requesting:
            receiving = rng.choices(organisations, weights)[0]
        requester = people[requesting.pk][rng.choice(REQUESTING)]
        officer = people[receiving.pk][rng.choice(DISCLOSING)]
        status = rng.choices(states, state_weights)[0]
        urgent = rng.random() < URGENT_SHARE
        if status in OPEN_STATUSES:
            age = min(rng.expovariate(1 / OPEN_MEAN_AGE_DAYS), 120)
        else:
            age = rng.uniform(30, CLOSED_YEARS * 365)
        received = now - datetime.timedelta(days=age)
        required_by = received.date() + datetime.timedelta(days=rng.randint(3 if urgent else 7, 60))
        decided = received + datetime.timedelta(days=rng.uniform(1, 15))
        row = dict(blank)
        row.update(
            reference=f"ISP-{received.year}-{number:06d}",
            status=status.value,
            requester_id=requester.pk,
            requesting_organisation_id=requesting.pk,
            requester_name=requester.full_name,
            requester_position="Officer",
            requester_department="Community Safety",
            requester_address="1 Bench Road",
            requester_phone="020 7946 0000",
            requester_email=requester.email,
            information_description="Benchmark request.",
            subject_name=f"Bench Subject {number}",
            subject_address="1 Bench Road",
            subject_role=SubjectRole.SUSPECT.value,
            required_by=required_by,
            is_urgent=urgent,
            urgency_reason="Benchmark." if urgent else "",
            receiving_organisation_id=receiving.pk,
            signature_name=requester.full_name,
            signed_by_id=requester.pk,
            signed_at=received,
            received_at=received,
            due_date=_due(received.date(), urgent, required_by),
        )
        # Submitted requests wait in the queue; the rest were taken (withdrawn ones half the
        # time).
        if status != Status.SUBMITTED and (status != Status.WITHDRAWN or rng.random() < 0.5):
            row["assigned_officer_id"] = officer.pk
        if status == Status.MORE_INFORMATION:
            row["clock_stopped_at"] = received + datetime.timedelta(days=rng.uniform(0, age))
            row["more_information_note"] = "Please give the date of birth."
        if status in (Status.DISCLOSED, Status.DECLINED):
            row["decided_at"] = decided
        if status == Status.CLOSED:
            row["decided_at"] = decided
            row["closed_at"] = decided + datetime.timedelta(days=rng.uniform(1, 10))
        row["created_at"] = received - datetime.timedelta(days=1)
        row["updated_at"] = (
            row["closed_at"] or row["decided_at"] or row["clock_stopped_at"] or received
        )
        buffer.write("\t".join(_copy_text(row[c]) for c in columns) + "\n")
    built = time.perf_counter()
    buffer.seek(0)
    with transaction.atomic(), connection.cursor() as cursor:
        # Generated consistent: no foreign-key or other trigger checks while loading (a
        # throwaway database; the benchmark's own writes below run with every check).
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.cursor.copy_expert(
            f"COPY requests_app_informationrequest ({', '.join(columns)}) FROM STDIN", buffer
        )
        # The grants the workflow gives: the requester sees the personal details; the
        # assigned disclosing officer sees them and decides.
        grant_sql = (
            "INSERT INTO requests_app_informationrequestuserobjectpermission "
            "(permission_id, user_id, content_object_id) SELECT %s, {who}, id "
            "FROM requests_app_informationrequest WHERE {who} IS NOT NULL"
        )
        view = _permission("view_personal_details")
        decide = _permission("decide_request")
        cursor.execute(grant_sql.format(who="requester_id"), [view])
        cursor.execute(grant_sql.format(who="assigned_officer_id"), [view])
        cursor.execute(grant_sql.format(who="assigned_officer_id"), [decide])
    written = time.perf_counter()
    analyze()
    print(
        f"(rows built in {built - began:.0f}s, COPY and grants {written - built:.0f}s, "
        f"ANALYZE {time.perf_counter() - written:.0f}s)"
    )
    return time.perf_counter() - began


def _permission(codename: str) -> int:
    return Permission.objects.get(content_type__app_label="requests_app", codename=codename).pk


def analyze() -> None:
    with connection.cursor() as cursor:
        for table in (
            "requests_app_informationrequest",
            "requests_app_informationrequestuserobjectpermission",
            "governance_user",
        ):
            # As autovacuum leaves a settled table: statistics and the visibility map (which
            # index-only scans rely on).
            cursor.execute(f"VACUUM ANALYZE {table}")


def describe_data(today: datetime.date, busiest: Organisation) -> None:
    by_status = Counter(
        dict(InformationRequest.objects.values_list("status").annotate(n=Count("pk")).order_by())
    )
    print("states: " + ", ".join(f"{s} {n:,}" for s, n in by_status.most_common()))
    running = InformationRequest.objects.filter(
        status__in=CLOCK_RUNNING_STATUSES, clock_stopped_at__isnull=True
    )
    soon = deadlines.add_working_days(today, settings.ISP_DUE_SOON_WORKING_DAYS)
    print(
        f"open {sum(by_status[s] for s in OPEN_STATUSES):,}: clock running "
        f"{running.count():,}, of which overdue {running.filter(due_date__lt=today).count():,}, "
        f"due within {settings.ISP_DUE_SOON_WORKING_DAYS} working days "
        f"{running.filter(due_date__gte=today, due_date__lte=soon).count():,}; urgent and not "
        f"taken {running.filter(status=Status.SUBMITTED, is_urgent=True).count():,}"
    )
    mine = InformationRequest.objects.filter(receiving_organisation=busiest)
    print(
        f"{busiest.name}'s inbox: {mine.count():,} requests, "
        f"{mine.filter(status__in=OPEN_STATUSES).count():,} open"
    )


# Measuring ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    text: str
    execution_ms: float
    buffers: int

    @property
    def indexes(self) -> str:
        """The indexes the plan reads ("-": none, a sequential scan)."""
        names = set()
        for line in self.text.splitlines():
            for marker in ("Index Scan using ", "Index Only Scan using ", "Bitmap Index Scan on "):
                if marker in line:
                    names.add(line.split(marker)[1].split()[0])
        return ", ".join(sorted(names)) or "-"


def explain(sql: str) -> Plan:
    # Inside a transaction that is rolled back: a claim query locks the rows it reads.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) {sql}")
        lines = [row[0] for row in cursor.fetchall()]
        transaction.set_rollback(True)
    execution = next(
        float(line.split(":")[1].split()[0]) for line in lines if line.startswith("Execution Time")
    )
    first = next((line for line in lines if line.strip().startswith("Buffers:")), "")
    blocks = sum(int(part.split("=")[1]) for part in first.split() if "=" in part)
    return Plan("\n".join(lines), execution, blocks)


def indent(text: str) -> str:
    return "\n".join("    " + line for line in text.splitlines())


@dataclass(frozen=True)
class Run:
    seconds: float
    queries: list[str]
    emails: int
    tasks: int
    result: Any


def counted(call: Any) -> Run:
    emails, tasks = Email.objects.count(), OrmQ.objects.count()
    with CaptureQueriesContext(connection) as captured:
        began = time.perf_counter()
        result = call()
        seconds = time.perf_counter() - began
    return Run(
        seconds,
        [q["sql"] for q in captured.captured_queries],
        Email.objects.count() - emails,
        OrmQ.objects.count() - tasks,
        result,
    )


def claim_queries(queries: list[str]) -> list[str]:
    """The first claim (SELECT ... FOR UPDATE SKIP LOCKED) of each of chase()'s three steps."""
    found: dict[str, str] = {}
    for sql in queries:
        if "FOR UPDATE" not in sql:
            continue
        kind = (
            "reminder (due soon, assigned)"
            if "reminded_for" in sql
            else "escalation (overdue)"
            if "escalated_for" in sql
            else "escalation (urgent, not taken)"
        )
        found.setdefault(kind, sql)
    return list(found.items())  # type: ignore[return-value]


def measure_chase(label: str, now: datetime.datetime, show_plans: bool) -> dict[str, float]:
    print(f"\n## chasing.chase() {label}\n")
    # The claim queries with work to do, read in a run that is rolled back.
    with transaction.atomic():
        dry = counted(lambda: chasing.chase(now=now))
        transaction.set_rollback(True)
    plans = [(kind, explain(sql)) for kind, sql in claim_queries(dry.queries)]
    first = counted(lambda: chasing.chase(now=now))
    second = counted(lambda: chasing.chase(now=now))
    figures: dict[str, float] = {}
    for name, run in (("first run", first), ("second run", second)):
        r = run.result
        print(
            f"{name:11} {run.seconds * 1000:9.0f} ms {len(run.queries):6} queries  "
            f"reminded {r.reminded:,}, escalated overdue {r.escalated_overdue:,}, urgent "
            f"{r.escalated_urgent:,}; {r.emails:,} emails: {run.emails:,} outbox rows, "
            f"{run.tasks:,} tasks queued"
        )
        figures[f"{name} ms"] = run.seconds * 1000
        figures[f"{name} queries"] = len(run.queries)
    print("\nclaim queries (first batch of each step, with work to do; then with none left):")
    after = dict(claim_queries(second.queries))
    for kind, plan in plans:
        empty = explain(after[kind]) if kind in after else None
        print(
            f"  {kind:32} {plan.execution_ms:8.2f} ms {plan.buffers:7,} buffers"
            + (
                f"   | none left: {empty.execution_ms:.2f} ms {empty.buffers:,} buffers"
                if empty
                else ""
            )
            + f"   [{plan.indexes}]"
        )
        if show_plans:
            print(indent(plan.text))
    return figures


def measure_digest(now: datetime.datetime) -> None:
    day = timezone.localtime(now)
    while not deadlines.is_working_day(day.date()):
        day += datetime.timedelta(days=1)
    run = counted(lambda: chasing.spoc_digest(now=day))
    print(
        f"\n## chasing.spoc_digest() ({day:%a %d %b}): {run.seconds * 1000:.0f} ms, "
        f"{len(run.queries)} queries, {run.result} emails ({run.tasks} tasks queued)"
    )
    aggregate = next(q for q in run.queries if "requests_app_informationrequest" in q)
    plan = explain(aggregate)
    print(
        f"  its count query: {plan.execution_ms:.2f} ms, {plan.buffers:,} buffers [{plan.indexes}]"
    )


# The inbox under load ------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def signed_in_cookie(user: User) -> str:
    client = verified_client(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def page_queries(user: User, path: str) -> None:
    """One page in-process through the test client: its queries, and the plans of those that
    read requests."""
    client = verified_client(user)
    client.get(path)  # warm
    with CaptureQueriesContext(connection) as captured:
        began = time.perf_counter()
        response = client.get(path)
        ms = (time.perf_counter() - began) * 1000
    assert response.status_code == 200, (path, response.status_code)
    queries = [q["sql"] for q in captured.captured_queries]
    print(f"\n{path}: {len(queries)} queries, {ms:.0f} ms through the test client")
    for sql in queries:
        if "requests_app_informationrequest" not in sql or not sql.lstrip().startswith("SELECT"):
            continue
        plan = explain(sql)
        head = " ".join(sql.split())[:110]
        print(
            f"  {plan.execution_ms:8.2f} ms {plan.buffers:7,} buffers [{plan.indexes}]  {head}..."
        )
        if plan.execution_ms > 5 or plan.buffers > 500:
            print(indent(plan.text))


@dataclass
class Load:
    requests: int = 0
    seconds: float = 0.0
    errors: int = 0

    def __post_init__(self) -> None:
        self.latencies: list[float] = []


def drive(port: int, path: str, cookies: list[str], seconds: float, load: Load | None) -> None:
    """len(cookies) threads, one keep-alive connection and one session each, for `seconds`."""
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def client(cookie: str) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine: list[float] = []
        errors = 0
        while time.perf_counter() < stop:
            began = time.perf_counter()
            try:
                conn.request("GET", path, headers={"Cookie": cookie})
                response = conn.getresponse()
                response.read()
                ok = response.status == 200
                if response.getheader("Connection", "").lower() == "close":
                    conn.close()
            except (OSError, http.client.HTTPException):
                ok = False
                conn.close()
            if ok:
                mine.append(time.perf_counter() - began)
            else:
                errors += 1
        conn.close()
        if load is not None:
            with lock:
                load.latencies.extend(mine)
                load.requests += len(mine)
                load.errors += errors

    threads = [threading.Thread(target=client, args=(c,)) for c in cookies]
    began = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if load is not None:
        load.seconds += time.perf_counter() - began


def measure_inbox(officer: User, workers: int, clients: int, seconds: float) -> dict[str, float]:
    print(
        f"\n## {INBOX} under gunicorn ({workers} sync workers) vs the bare view, "
        f"{clients} clients, signed in as a disclosing officer of {officer.organisation.name}"
    )
    page_queries(officer, INBOX)
    page_queries(officer, "/" + BARE_PATH)

    db = settings.DATABASES["default"]
    url = urllib.parse.urlsplit(os.environ["DATABASE_URL"])
    test_url = url._replace(path="/" + db["NAME"]).geturl()
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": test_url,
        "DJANGO_SETTINGS_MODULE": "benchmarks.settings_bench",
        "PYTHONPATH": str(ROOT),
    }
    server = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "gunicorn",
            "isp_portal.wsgi:application",
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        wait_for(port)
        cookies = [signed_in_cookie(officer) for _ in range(clients)]
        for path in (INBOX, "/" + BARE_PATH):
            check = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            check.request("GET", path, headers={"Cookie": cookies[0]})
            response = check.getresponse()
            body = response.read()
            assert response.status == 200, (path, response.status)
            check.close()
            if path == INBOX:
                assert b"Inbox" in body, "not the inbox: signed in?"
        # Warm every worker on both pages, then interleave two rounds of each.
        for path in (INBOX, "/" + BARE_PATH):
            drive(port, path, cookies, 3, None)
        loads = {INBOX: Load(), "/" + BARE_PATH: Load()}
        for _ in range(2):
            for path, load in loads.items():
                drive(port, path, cookies, seconds / 2, load)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)

    figures = {}
    print(f"\n{'page':16} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'requests':>9} {'errors':>7}")
    for path, load in loads.items():
        lat = sorted(load.latencies)
        rate = load.requests / load.seconds
        p50 = statistics.median(lat) * 1000
        p95 = lat[int(len(lat) * 0.95)] * 1000
        print(f"{path:16} {rate:8.1f} {p50:8.1f} {p95:8.1f} {load.requests:9,} {load.errors:7}")
        figures[path] = rate
    ratio = figures[INBOX] / figures["/" + BARE_PATH]
    print(f"ratio /inbox/ / bare view: {ratio:.0%} (goal >= 25 %)")
    return figures


def wait_for(port: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/healthz")
            if conn.getresponse().status < 500:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not start")


# Every request open ---------------------------------------------------------------------------


def open_everything(today: datetime.date) -> None:
    """Every request open, its due date spread from ten days ago to thirty days ahead, nothing
    yet reminded or escalated: the chase at its worst."""
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE requests_app_informationrequest SET "
            "status = CASE WHEN id %% 20 < 5 THEN 'submitted' WHEN id %% 20 < 16 "
            "THEN 'under_review' ELSE 'more_information' END, "
            "assigned_officer_id = CASE WHEN id %% 20 < 5 THEN NULL "
            "ELSE COALESCE(assigned_officer_id, (SELECT u.id FROM governance_user u "
            "WHERE u.organisation_id = receiving_organisation_id AND u.is_disclosing_officer "
            "ORDER BY u.id LIMIT 1)) END, "
            "due_date = %s::date + (id %% 41 - 10)::int, "
            "received_at = now() - make_interval(days => (id %% 41 + 4)::int), "
            "clock_stopped_at = CASE WHEN id %% 20 >= 16 THEN now() END, "
            "reminded_for = NULL, escalated_for = NULL, urgent_escalated_at = NULL, "
            "decided_at = NULL, closed_at = NULL",
            [today],
        )
    analyze()


# Main -------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("requests", nargs="?", type=int, default=100_000, help="N (100,000)")
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) + 1)
    parser.add_argument("--clients", type=int, default=8, help="concurrent connections (8)")
    parser.add_argument("--seconds", type=float, default=10, help="per page (10)")
    parser.add_argument("--plans", action="store_true", help="print the claim queries' plans")
    parser.add_argument("--skip-all-open", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the test database")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("benchmarks/casework.py needs PostgreSQL: set DATABASE_URL (see `make bench`).")
    assert not Conf.SYNC, "tasks must be queued, not run inline"
    # django-q2 logs each task it queues.
    logging.getLogger("django-q").setLevel(logging.WARNING)
    # The test client's host, in this process only (gunicorn serves 127.0.0.1).
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]

    started = time.perf_counter()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        call_command(
            "loaddata", "fixtures/organisations.json", "fixtures/legislation.json", verbosity=0
        )
        with connection.cursor() as cursor:
            cursor.execute("SELECT version()")
            version = cursor.fetchone()[0].split(",")[0]
        load = os.getloadavg()
        print(
            f"# Case work benchmark: {args.requests:,} requests; {version}; "
            f"{os.cpu_count()} CPUs; load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
        )
        now = timezone.now()
        today = timezone.localdate(now)
        rng = random.Random(20261201)
        organisations = list(Organisation.objects.order_by("pk"))
        people = seed_people(organisations)
        seconds = seed_requests(args.requests, organisations, people, now, rng)
        print(f"\nSeeded {args.requests:,} requests in {seconds:.0f}s (today {today:%a %d %b %Y})")
        busiest = max(
            organisations,
            key=lambda o: InformationRequest.objects.filter(receiving_organisation=o).count(),
        )
        describe_data(today, busiest)

        measure_chase("with reminders and escalations to send", now, args.plans)
        measure_digest(now)
        officer = people[busiest.pk][DISCLOSING[0]]
        # The chase just rewrote thousands of rows; autovacuum would settle them before long.
        analyze()
        measure_inbox(officer, args.workers, args.clients, args.seconds)

        if not args.skip_all_open:
            open_everything(today)
            print(f"\nEvery one of the {args.requests:,} requests opened again:")
            describe_data(today, busiest)
            measure_chase(f"over {args.requests:,} open requests", now, args.plans)
            measure_digest(now)
        load = os.getloadavg()
        print(
            f"\nDone in {time.perf_counter() - started:.0f}s; load average "
            f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
        )
    finally:
        if not args.keep:
            connection.close()
            connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
