"""Load: officers signing in and working at once, with locust as a library, headless.

    DATABASE_URL=postgres://... DEBUG=0 SECRET_KEY=x uv run --frozen python benchmarks/load.py
    ... benchmarks/load.py --users 50 --spawn-rate 5 --seconds 60 --workers 2 --requests 10000

The script builds a throwaway test database (the real one is never touched), seeds the
partnership's people and `--requests` background requests as benchmarks/casework.py does, and
gives each simulated officer their own account: a known password (hashed with the production
hasher) and a confirmed authenticator app (TOTP) with a known key. Each disclosing officer gets
requests under review assigned to them, made through the workflow, to decide; each requesting
officer has sent some.

gunicorn (`--workers` sync workers) serves the portal against that database, as in
benchmarks/casework.py; locust runs `--users` simulated officers in this process, half
requesting, half disclosing, each waiting 1 to 3 seconds between tasks:

- sign-in (at start): the sign-in page, email and password, then the 6-digit code on
  /sign-in/verify/ when the password leads there;
- disclosing officers: the inbox, a request page, a decision (the decision page, then Part B
  recorded);
- requesting officers: My requests, a request page, Part A submitted (the whole of Part A in one
  POST, then "Accept and send" with the typed signature).

It prints throughput, p50/p95/p99 per step, failures and server errors (5xx), and what the run
wrote (decisions, requests sent). Goal: no errors, p95 under 500 ms.

Over plain http the cookies are not marked Secure (SECURE_COOKIES=0, hence no __Host- names):
production serves https only; nothing else differs.
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import os
import random
import re
import signal
import subprocess
import sys
import time
import urllib.parse
from collections import Counter, deque
from pathlib import Path

import gevent

# locust patches the standard library for gevent on import: before Django and the database
# driver are imported.
import locust
from locust import HttpUser, between, events, task
from locust.env import Environment

ROOT = Path(__file__).resolve().parent.parent
sys.path[0] = str(ROOT)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings_bench")
os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ["SECURE_COOKIES"] = "0"
os.environ["TASKS_SYNC"] = "0"

import logging

import django

django.setup()

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from benchmarks import casework
from governance.people.models import Organisation, ReferenceSequence, User
from requests_app import services, workflow
from requests_app.factories import part_a_data
from requests_app.models import DecisionRecord, InformationRequest, Legislation, Status

PASSWORD = "Load-test password 2026!"  # noqa: S105 (a throwaway database's made-up accounts)
# Requests under review waiting for each disclosing officer, and sent by each requesting officer.
DECISIONS_EACH = 6
SENT_EACH = 4
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VERIFY_PATH = "/sign-in/verify/"


class Officer:
    """One simulated officer's account, key and work, filled in before the run."""

    def __init__(self, user: User, key: str) -> None:
        self.email = user.email
        self.full_name = user.full_name
        self.key = key
        self.last_t = -1
        self.to_decide: deque[str] = deque()
        self.requests: list[str] = []
        self.part_a: dict[str, object] = {}

    def code(self) -> str:
        """The authenticator app's code now, or the next one if this one was used (a code is
        accepted once; the device also accepts the next step's)."""
        totp = TOTP(bytes.fromhex(self.key))
        if totp.t() <= self.last_t:
            totp.drift = self.last_t + 1 - totp.t()
        self.last_t = totp.t() + totp.drift
        return f"{totp.token():06d}"


REQUESTERS: deque[Officer] = deque()
DISCLOSERS: deque[Officer] = deque()
SERVER_ERRORS: Counter[str] = Counter()


@events.request.add_listener
def _count_server_errors(name, response, **_kwargs) -> None:
    if response is not None and getattr(response, "status_code", 0) >= 500:
        SERVER_ERRORS[name] += 1


def _csrf(response) -> str:
    found = CSRF.search(response.text)
    return found.group(1) if found else ""


class _Signed(HttpUser):
    abstract = True
    wait_time = between(1, 3)
    officer: Officer

    def _take_account(self) -> Officer:
        raise NotImplementedError

    def on_start(self) -> None:
        self.officer = self._take_account()
        self.sign_in()

    def _post(self, path: str, data: dict, name: str, expect: str = "") -> str | None:
        """POST expecting a redirect (to `expect` when given): the Location, or None."""
        with self.client.post(
            path,
            data,
            name=name,
            allow_redirects=False,
            headers={"Referer": self.host + path},
            catch_response=True,
        ) as response:
            location = response.headers.get("Location", "")
            if response.status_code != 302 or expect not in location:
                response.failure(f"{response.status_code} {location or response.text[:200]!r}")
                return None
            response.success()
            return location

    def _get(self, path: str, name: str):
        with self.client.get(path, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code} {path}")
            else:
                response.success()
            return response

    def sign_in(self) -> None:
        page = self._get("/sign-in/", "sign-in: page")
        data = {
            "csrfmiddlewaretoken": _csrf(page),
            "username": self.officer.email,
            "password": PASSWORD,
        }
        if not self._post("/sign-in/", data, "sign-in: password"):
            return
        # The second factor, where the portal asks for one (the page after the password, or the
        # page every other URL sends a password-only session to).
        with self.client.get(
            VERIFY_PATH, name="sign-in: code page", allow_redirects=False, catch_response=True
        ) as page:
            if page.status_code != 200 or 'name="otp_token"' not in page.text:
                page.success()
                return
        data = {"csrfmiddlewaretoken": _csrf(page), "otp_token": self.officer.code()}
        self._post(VERIFY_PATH, data, "sign-in: code")

    def request_page(self) -> None:
        refs = self.officer.requests
        if refs:
            self._get(f"/requests/{random.choice(refs)}/", "request page")


class DisclosingOfficer(_Signed):
    def _take_account(self) -> Officer:
        return DISCLOSERS.popleft()

    @task(4)
    def inbox(self) -> None:
        self._get("/inbox/", "inbox")

    @task(3)
    def request(self) -> None:
        self.request_page()

    @task(1)
    def decide(self) -> None:
        if not self.officer.to_decide:
            return
        reference = self.officer.to_decide.popleft()
        path = f"/requests/{reference}/decide/"
        page = self._get(path, "decision: page")
        data = {
            "csrfmiddlewaretoken": _csrf(page),
            "checks": [
                "check_form_complete",
                "check_necessary",
                "check_accurate",
                "check_depersonalised",
                "check_need_to_know",
                "check_secure",
            ],
            "share_legitimate_purpose": "yes",
            "share_identifiable": "yes",
            "share_confidential": "yes",
            "share_consent": "no",
            "share_other_lawful_reason": "yes",
            "disclosure_agreed": "yes",
            "decision_reasons": "Necessary and proportionate.",
            "information_disclosed": "Three incidents in 2026.",
            "information_type": "Incident summaries",
            "delivery_method": "portal",
            "subject_informed": "no",
            "subject_not_informed_reason": "Would prejudice crime prevention.",
            "signature_name": self.officer.full_name,
        }
        self._post(path, data, "decision: record", expect=f"/requests/{reference}/")


class RequestingOfficer(_Signed):
    def _take_account(self) -> Officer:
        return REQUESTERS.popleft()

    @task(4)
    def mine(self) -> None:
        self._get("/requests/", "my requests")

    @task(3)
    def request(self) -> None:
        self.request_page()

    @task(1)
    def submit_part_a(self) -> None:
        page = self._get("/requests/new/", "Part A: task list")
        data = {**self.officer.part_a, "csrfmiddlewaretoken": _csrf(page)}
        location = self._post("/requests/new/", data, "Part A: save", expect="/check-your-answers/")
        if not location:
            return
        page = self._get(location, "Part A: check your answers")
        reference = location.split("/requests/")[1].split("/")[0]
        data = {"csrfmiddlewaretoken": _csrf(page), "signature_name": self.officer.full_name}
        if self._post(
            f"/requests/{reference}/submit/", data, "Part A: accept and send", expect="/submitted/"
        ):
            self.officer.requests.append(reference)


# Seeding ------------------------------------------------------------------------------------


def _date(prefix: str, value: datetime.date) -> dict[str, str]:
    return {
        f"{prefix}_day": str(value.day),
        f"{prefix}_month": str(value.month),
        f"{prefix}_year": str(value.year),
    }


def part_a_post(to: Organisation) -> dict[str, object]:
    """The whole of Part A as the form posts it (tests/requests_app/test_request_views.py)."""
    data = part_a_data()
    return {
        "requester_department": data["requester_department"],
        "requester_address": data["requester_address"],
        "requester_phone": data["requester_phone"],
        "receiving_organisation": str(to.pk),
        "information_description": data["information_description"],
        "subject_name": data["subject_name"],
        "subject_address": data["subject_address"],
        **_date("subject_dob", data["subject_dob"]),
        "subject_role": "suspect",
        **_date("required_by", timezone.localdate() + datetime.timedelta(days=14)),
        "is_urgent": "no",
        "public_interest": "yes",
        "public_interest_reason": data["public_interest_reason"],
        "legislation": [str(Legislation.objects.order_by("position").first().pk)],
    }


def _officer(user: User, rng: random.Random) -> Officer:
    key = rng.randbytes(20).hex()
    TOTPDevice.objects.create(user=user, name="Authenticator app", key=key, confirmed=True)
    return Officer(user, key)


def seed_officers(
    users: int, count: int, people: dict[int, list[User]], rng: random.Random
) -> None:
    """users // 2 disclosing and the rest requesting officers, spread over the partners, each
    with a password and an authenticator app; work for each through the workflow."""
    requesting = [p for org in people.values() for p in org if p.is_requesting_officer]
    disclosing = [p for org in people.values() for p in org if p.is_disclosing_officer]
    rng.shuffle(requesting)
    rng.shuffle(disclosing)
    chosen_disclosers = disclosing[: users // 2]
    chosen_requesters = requesting[: users - users // 2]
    password = make_password(PASSWORD)  # the production hasher: signing in costs what it costs
    User.objects.filter(pk__in=[u.pk for u in chosen_disclosers + chosen_requesters]).update(
        password=password
    )
    legislation = [Legislation.objects.order_by("position").first().pk]
    # The background requests took their numbers without the sequence: carry on after them.
    ReferenceSequence.objects.update_or_create(
        prefix="ISP", year=timezone.localdate().year, defaults={"last_number": count}
    )
    requesters = [(u, _officer(u, rng)) for u in chosen_requesters]
    organisations = list(Organisation.objects.order_by("pk"))
    for user, officer in requesters:
        # Part A to another partner: a request to one's own organisation is refused.
        to = next(o for o in organisations if o.pk != user.organisation_id)
        officer.part_a = part_a_post(to)
    for user in chosen_disclosers:
        discloser = _officer(user, rng)
        others = [(u, o) for u, o in requesters if u.organisation_id != user.organisation_id]
        for number in range(DECISIONS_EACH):
            requester, requester_officer = others[number % len(others)]
            data = part_a_data(receiving_organisation=user.organisation)
            data["legislation"] = legislation
            req = services.request_create(requester=requester, data=data)
            workflow.transition(
                reference=req.reference,
                action="submit",
                actor=requester,
                signature_name=requester.full_name,
            )
            workflow.transition(reference=req.reference, action="take", actor=user)
            discloser.to_decide.append(req.reference)
            discloser.requests.append(req.reference)
            if len(requester_officer.requests) < SENT_EACH:
                requester_officer.requests.append(req.reference)
        DISCLOSERS.append(discloser)
    REQUESTERS.extend(officer for _, officer in requesters)


# Running --------------------------------------------------------------------------------------


def start_gunicorn(workers: int) -> tuple[subprocess.Popen, int]:
    """gunicorn on a free port, as benchmarks/casework.py starts it; the caller stops it."""
    db = settings.DATABASES["default"]
    url = urllib.parse.urlsplit(os.environ["DATABASE_URL"])
    test_url = url._replace(path="/" + db["NAME"]).geturl()
    port = casework.free_port()
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
    return server, port


def wait_for(port: int) -> None:
    """Until /healthz answers: a busy machine takes a while to boot the workers."""
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit("gunicorn did not start")


def run_load(port: int, users: int, spawn_rate: float, seconds: float) -> Environment:
    env = Environment(
        user_classes=[DisclosingOfficer, RequestingOfficer],
        host=f"http://127.0.0.1:{port}",
        events=events,
    )
    runner = env.create_local_runner()
    runner.start(users, spawn_rate=spawn_rate)
    gevent.spawn_later(seconds, runner.quit)
    runner.greenlet.join()
    return env


def report(env: Environment, seconds: float) -> int:
    stats = env.stats
    print(
        f"\n{'step':28} {'requests':>8} {'fails':>6} {'req/s':>7} "
        f"{'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'max ms':>7}"
    )
    rows = sorted(stats.entries.values(), key=lambda e: e.name)
    for entry in [*rows, stats.total]:
        name = "all" if entry is stats.total else entry.name
        print(
            f"{name:28} {entry.num_requests:8,} {entry.num_failures:6} "
            f"{entry.num_requests / seconds:7.1f} "
            f"{entry.get_response_time_percentile(0.50):7.0f} "
            f"{entry.get_response_time_percentile(0.95):7.0f} "
            f"{entry.get_response_time_percentile(0.99):7.0f} {entry.max_response_time:7.0f}"
        )
    errors = sum(SERVER_ERRORS.values())
    print(f"\nfailures {stats.total.num_failures}; server errors (5xx) {errors}")
    for error in stats.errors.values():
        print(f"  {error.occurrences} x {error.method} {error.name}: {str(error.error)[:200]}")
    p95 = stats.total.get_response_time_percentile(0.95)
    print(
        f"goal: 0 errors ({'met' if not stats.total.num_failures else 'NOT met'}), "
        f"p95 under 500 ms ({'met' if p95 < 500 else 'NOT met'}: {p95:.0f} ms)"
    )
    return stats.total.num_failures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--spawn-rate", type=float, default=5, help="users started a second")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (2)")
    parser.add_argument("--requests", type=int, default=10_000, help="background requests")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("benchmarks/load.py needs PostgreSQL: set DATABASE_URL.")
    logging.getLogger("django-q").setLevel(logging.WARNING)
    logging.getLogger("locust").setLevel(logging.WARNING)

    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    server = None
    try:
        call_command(
            "loaddata", "fixtures/organisations.json", "fixtures/legislation.json", verbosity=0
        )
        with connection.cursor() as cursor:
            cursor.execute("SELECT version()")
            version = cursor.fetchone()[0].split(",")[0]
        load = os.getloadavg()
        print(
            f"# Load: {args.users} officers for {args.seconds:.0f}s against gunicorn "
            f"({args.workers} workers); locust {locust.__version__}; {version}; "
            f"{os.cpu_count()} CPUs; load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
        )
        rng = random.Random(20261201)
        now = timezone.now()
        organisations = list(Organisation.objects.order_by("pk"))
        people = casework.seed_people(organisations)
        casework.seed_requests(args.requests, organisations, people, now, rng)
        began = time.perf_counter()
        seed_officers(args.users, args.requests, people, rng)
        casework.analyze()
        print(
            f"{args.requests:,} background requests; {len(DISCLOSERS)} disclosing officers with "
            f"{DECISIONS_EACH} requests under review each and {len(REQUESTERS)} requesting "
            f"officers (seeded through the workflow in {time.perf_counter() - began:.0f}s)"
        )
        decided = DecisionRecord.objects.count()
        sent = InformationRequest.objects.exclude(status=Status.DRAFT).count()
        server, port = start_gunicorn(args.workers)
        wait_for(port)
        began = time.perf_counter()
        env = run_load(port, args.users, args.spawn_rate, args.seconds)
        elapsed = time.perf_counter() - began
        failures = report(env, elapsed)
        print(
            f"written: {DecisionRecord.objects.count() - decided} decisions, "
            f"{InformationRequest.objects.exclude(status=Status.DRAFT).count() - sent} "
            "requests sent"
        )
        load = os.getloadavg()
        print(f"load average after {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    finally:
        if server is not None:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=60)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
        connection.close()
        connection.creation.destroy_test_db(old_name, verbosity=0)
    sys.exit(1 if failures or SERVER_ERRORS else 0)


if __name__ == "__main__":
    main()
