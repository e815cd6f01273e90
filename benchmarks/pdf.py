"""How long the paper forms (Appendix B) take to render, next to WeasyPrint's own floor.

    uv run python benchmarks/pdf.py                       # SQLite (DATABASE_URL unset)
    DATABASE_URL=postgres://... uv run python benchmarks/pdf.py
    uv run python benchmarks/pdf.py --samples docs/samples  # also write the sample PDFs and PNGs

Builds its demo data (made-up people, no real person) in a throwaway test database, fetches the
request once as the download view does, then renders each form ROUNDS times with no database
queries. Each form is compared with two documents rendered in the same run:

- a minimal one-page WeasyPrint document (the cost of any PDF at all);
- a static reference: the same form's HTML captured once and rendered by WeasyPrint alone, so the
  same size and layout without the portal's templating and data (what the portal adds).

Then the cost of tagging for screen readers (PDF/UA-1, documents.engine.PDF_VARIANT): the same
HTML rendered tagged and untagged, interleaved in the same rounds, and the file sizes, plain and as
the password-protected copy (documents.protection.encrypt_pdf).
"""

from __future__ import annotations

import argparse
import gc
import io
import logging
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[0] = str(ROOT)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "isp_portal.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")

import django

django.setup()

from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pypdf import PdfReader

from consent import pdf as consent_pdf
from documents import engine, protection
from governance.people.factories import UserFactory
from governance.people.models import Organisation, User
from requests_app import pdf, selectors, services, workflow
from requests_app.factories import part_a_data
from requests_app.models import InformationRequest, Legislation, SubjectRole, YesNo

ROUNDS = 20
WARM_UP = 2
MINIMAL_HTML = (
    '<!DOCTYPE html><html lang="en-GB"><head><title>Hello</title></head>'
    "<body><p>Hello</p></body></html>"
)


def demo_request() -> tuple[InformationRequest, User]:
    """A Council request to the Metropolitan Police, disclosed (Part B and the decision record)."""
    council = Organisation.objects.get(short_code="council")
    met = Organisation.objects.get(short_code="met")
    requester = UserFactory(
        email="alex.demo@council.example",
        full_name="Alex Demo",
        organisation=council,
        is_requesting_officer=True,
        job_title="ASB Case Officer",
        department="Community Safety",
    )
    discloser = UserFactory(
        email="jordan.demo@met.example",
        full_name="Jordan Demo",
        organisation=met,
        is_disclosing_officer=True,
        job_title="Disclosure Officer",
        department="Partnership Information Unit",
    )
    legislation = list(Legislation.objects.order_by("position"))
    data = part_a_data(
        receiving_organisation=met,
        subject_role=SubjectRole.SUSPECT,
        public_interest=YesNo.YES,
        is_urgent=True,
        urgency_reason="Case conference on the injunction application next week.",
        legislation_other="Police Reform Act 2002, s.30",
    )
    data["legislation"] = [legislation[1].pk, legislation[2].pk, legislation[10].pk]
    req = services.request_create(requester=requester, data=data)
    workflow.transition(
        reference=req.reference,
        action="submit",
        actor=requester,
        signature_name=requester.full_name,
    )
    workflow.transition(reference=req.reference, action="take", actor=discloser)
    workflow.transition(
        reference=req.reference,
        action="disclose",
        actor=discloser,
        part_b={
            "check_form_complete": True,
            "check_consent_evidence": False,
            "check_necessary": True,
            "check_accurate": True,
            "check_depersonalised": True,
            "check_need_to_know": True,
            "check_secure": True,
            "share_legitimate_purpose": "yes",
            "share_identifiable": "yes",
            "share_confidential": "yes",
            "share_consent": "no",
            "share_other_lawful_reason": "yes",
            "decline_reason": "",
            "decision_reasons": "Necessary and proportionate to prevent further anti-social "
            "behaviour; the requester has a legitimate purpose under s.17.",
            "information_disclosed": "Three reports of anti-social behaviour at the address "
            "between January and June 2026 (noise, threats to neighbours, criminal damage).\n"
            "No arrests. One community protection warning issued on 2 May 2026.",
            "information_type": "Police incident summaries",
            "delivery_method": "portal",
            "delivery_method_other": "",
            "subject_informed": "no",
            "subject_not_informed_reason": "Informing would prejudice the prevention of crime.",
            "authorised_by": "",
            "signature_name": discloser.full_name,
        },
    )
    return selectors.request_detail(reference=req.reference), discloser


@dataclass
class Timings:
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)


def timed_together(renders: list[Callable[[], object]], rounds: int) -> list[Timings]:
    """Time several renders in turn, round after round, each round starting with the next one,
    so a busy machine (or the garbage collector) slows them alike. CPU time is this process's
    own, unaffected by other work on the machine: the ratios use it."""
    for _ in range(WARM_UP):
        for render in renders:
            render()
    timings = [Timings() for _ in renders]
    for round_number in range(rounds):
        for offset in range(len(renders)):
            index = (round_number + offset) % len(renders)
            gc.collect()
            gc.disable()  # as timeit does: no collection of another render's garbage
            try:
                wall, cpu = time.perf_counter(), time.process_time()
                renders[index]()
                timings[index].cpu.append(time.process_time() - cpu)
                timings[index].wall.append(time.perf_counter() - wall)
            finally:
                gc.enable()
    return timings


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f}"


def page_count(content: bytes) -> int:
    return len(PdfReader(io.BytesIO(content)).pages)


def write_samples(folder: Path, documents: dict[str, bytes]) -> None:
    """The PDFs, page 1 of each as PNG, and the filled form's Part A and Part B pages."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in documents.items():
        target = folder / f"{name}.pdf"
        target.write_bytes(content)
        pages = [1, 2, 3] if name == "request-disclosure-form-filled" else [1]
        for page in pages:
            subprocess.run(  # noqa: S603 - fixed arguments, local files
                [
                    shutil.which("pdftoppm") or "pdftoppm",
                    "-png",
                    "-r",
                    "80",
                    "-f",
                    str(page),
                    "-l",
                    str(page),
                    "-singlefile",
                    str(target),
                    str(folder / f"{name}-page{page}"),
                ],
                check=True,
            )
        print(f"wrote {target} and {len(pages)} PNG page(s)")


def kb(content: bytes) -> str:
    return f"{len(content) / 1024:.1f}"


def print_tagging(rows: list[tuple[str, Timings, Timings, bytes, bytes]]) -> None:
    """Tagged (PDF/UA-1) against untagged: the same HTML in the same rounds, median CPU ms, and
    the sizes of the file and of its password-protected copy."""
    print()
    print(f"Tagging for screen readers ({engine.PDF_VARIANT}): same HTML, same rounds")
    print(
        f"{'document':32} {'untagged':>8} {'tagged':>7} {'x':>5} "
        f"{'KB':>6} {'KB':>6} {'x':>5} {'protected KB':>12} {'KB':>6} {'x':>5}"
    )
    print(
        f"{'':32} {'cpu ms':>8} {'cpu ms':>7} {'':>5} {'untag':>6} {'tagged':>6} {'':>5} "
        f"{'untagged':>12} {'tagged':>6} {'':>5}"
    )
    password = protection.one_time_password()
    for name, tagged, untagged, tagged_pdf, untagged_pdf in rows:
        cpu_tagged = statistics.median(tagged.cpu)
        cpu_untagged = statistics.median(untagged.cpu)
        protected_tagged = protection.encrypt_pdf(tagged_pdf, password)
        protected_untagged = protection.encrypt_pdf(untagged_pdf, password)
        print(
            f"{name:32} {ms(cpu_untagged):>8} {ms(cpu_tagged):>7} "
            f"{cpu_tagged / cpu_untagged:5.2f} {kb(untagged_pdf):>6} {kb(tagged_pdf):>6} "
            f"{len(tagged_pdf) / len(untagged_pdf):5.2f} {kb(protected_untagged):>12} "
            f"{kb(protected_tagged):>6} {len(protected_tagged) / len(protected_untagged):5.2f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    parser.add_argument("--samples", type=Path, help="write sample PDFs and page-1 PNGs here")
    args = parser.parse_args()
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    logging.getLogger("django-q").setLevel(logging.WARNING)  # the demo request's emails

    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        call_command(
            "loaddata", "fixtures/organisations.json", "fixtures/legislation.json", verbosity=0
        )
        req, printer = demo_request()
        legislation = list(Legislation.objects.all())
        printed_at = timezone.now()
        # name: (the HTML the form renders from, the public render function)
        forms: dict[str, tuple[Callable[[], str], Callable[[], bytes]]] = {
            "request-disclosure-form-filled": (
                lambda: pdf.request_form_html(
                    req=req, legislation=legislation, printed_by=printer, printed_at=printed_at
                ),
                lambda: pdf.render_request_pdf(
                    req=req, legislation=legislation, printed_by=printer, printed_at=printed_at
                ),
            ),
            "request-disclosure-form-blank": (
                lambda: pdf.blank_request_form_html(
                    legislation=legislation, printed_by=printer, printed_at=printed_at
                ),
                lambda: pdf.render_blank_request_form(
                    legislation=legislation, printed_by=printer, printed_at=printed_at
                ),
            ),
            "consent-form-blank": (
                lambda: consent_pdf.blank_consent_form_html(
                    printed_by=printer, printed_at=printed_at
                ),
                lambda: consent_pdf.render_blank_consent_form(
                    printed_by=printer, printed_at=printed_at
                ),
            ),
        }
        print(
            f"PDF rendering on {connection.vendor}: {args.rounds} rounds after {WARM_UP} warm-up; "
            "ratios of median CPU time"
        )
        print(
            f"{'document':32} {'pages':>5} {'median ms':>9} {'max ms':>8} {'cpu ms':>7} "
            f"{'x minimal':>9} {'x static':>8} {'queries':>7}"
        )
        samples = {}
        tagging: list[tuple[str, Timings, Timings, bytes, bytes]] = []
        for name, (build_html, render_pdf) in forms.items():
            static_html = build_html()
            with CaptureQueriesContext(connection) as queries:
                form, static, minimal, untagged = timed_together(
                    [
                        render_pdf,
                        lambda html=static_html: engine.html_to_pdf(html),
                        lambda: engine.html_to_pdf(MINIMAL_HTML),
                        lambda html=static_html: engine.html_to_pdf(html, tagged=False),
                    ],
                    args.rounds,
                )
            samples[name] = render_pdf()
            tagging.append(
                (
                    name,
                    static,
                    untagged,
                    samples[name],
                    engine.html_to_pdf(static_html, tagged=False),
                )
            )
            pages = page_count(samples[name])
            floor = statistics.median(minimal.cpu)
            reference = statistics.median(static.cpu)
            for label, timings, n, count in (
                (name, form, pages, str(len(queries))),
                ("  static reference (same HTML)", static, pages, ""),
                ("  minimal one-page document", minimal, 1, ""),
            ):
                cpu = statistics.median(timings.cpu)
                print(
                    f"{label:32} {n:5} {ms(statistics.median(timings.wall)):>9} "
                    f"{ms(max(timings.wall)):>8} {ms(cpu):>7} "
                    f"{cpu / floor:9.2f} {cpu / reference:8.2f} {count:>7}"
                )
        print_tagging(tagging)
        if args.samples:
            write_samples(args.samples, samples)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
