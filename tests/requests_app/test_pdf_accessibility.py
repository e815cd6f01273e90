"""Every PDF the portal prints is tagged for screen readers (PDF/UA-1, engine.PDF_VARIANT): a
structure tree with the form's headings in reading order, a title naming the form, its
reference and protective marking, and the language en-GB; the password-protected copy too.

pypdf reads the catalogue and the structure tree's element types; poppler's `pdfinfo` (installed
by `make test`) gives "Tagged: yes" and the text of each heading."""

from __future__ import annotations

import io
import itertools
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from consent import pdf as consent_pdf
from consent import selectors as consent_selectors
from documents import engine, protection
from requests_app import pdf, selectors
from requests_app.models import Legislation
from tests import workflow_helpers as wf
from tests.consent.conftest import record_consent

pytestmark = pytest.mark.django_db

PDFINFO = shutil.which("pdfinfo")
needs_poppler = pytest.mark.skipif(not PDFINFO, reason="poppler-utils is not installed")

PROTOCOL = "Crime and Disorder Information Sharing Protocol"
REQUEST_FORM_H1 = [PROTOCOL, f"{PROTOCOL} Request/Disclosure Form"]
PART_A = "PART A \u2013 INFORMATION REQUESTED - (to be completed by requesting officer)"
PART_B = "PART B - INFORMATION DISCLOSED \u2013 (to be completed by disclosing officer)"
REQUEST_FORM_H3 = [
    "Information requested by:",
    "Information requested:",
    "Under which piece of legislation: (please tick)",
    "Information disclosed by:",
    "Information disclosed to:",
]
DECISION_RECORD = "Decision record (Appendix G 9)"
CONSENT_H1 = [f"{PROTOCOL} \u2013 Consent Form"]
CONSENT_H2 = [
    "Please provide the relevant information below:",
    "Information to which this consent applies:",
    "Witnessed by requesting officer:",
]
PASSWORD = "ABCDE-FGHJK-MNPQR-STUVW"


@dataclass
class Printed:
    """One printed PDF and what its tags must say."""

    content: bytes
    title: str
    headings: dict[str, list[str]]  # "H1" -> heading texts, in reading order
    password: str = ""

    def reader(self) -> PdfReader:
        reader = PdfReader(io.BytesIO(self.content))
        if self.password:
            assert reader.decrypt(self.password)
        return reader


# ---------------------------------------------------------------------------------------------
# Each kind of PDF


def filled_request_form(alice, met, bob, client) -> Printed:
    req = wf.disclosed(alice, met, bob)
    content = pdf.render_request_pdf(
        req=selectors.request_detail(reference=req.reference),
        legislation=list(Legislation.objects.all()),
        printed_by=bob,
        printed_at=timezone.now(),
    )
    return Printed(
        content,
        title=f"RESTRICTED: Request/Disclosure Form {req.reference}",
        headings={
            "H1": REQUEST_FORM_H1,
            "H2": [PART_A, PART_B, DECISION_RECORD],
            "H3": REQUEST_FORM_H3,
        },
    )


def protected_copy(alice, met, bob, client) -> Printed:
    """The password-protected copy, as downloaded (protocol 8.3.2)."""
    req = wf.disclosed(alice, met, bob)
    cache.clear()
    client.force_login(alice)
    shown = client.post(reverse("requests_app:pdf_protected", args=[req.reference]))
    content = client.get(shown.context["download_url"]).content
    return Printed(
        content,
        title=f"RESTRICTED: Request/Disclosure Form {req.reference}",
        headings={
            "H1": REQUEST_FORM_H1,
            "H2": [PART_A, PART_B, DECISION_RECORD],
            "H3": REQUEST_FORM_H3,
        },
        password=shown.context["password"],
    )


def blank_request_form(alice, met, bob, client) -> Printed:
    content = pdf.render_blank_request_form(
        legislation=list(Legislation.objects.all()), printed_by=alice, printed_at=timezone.now()
    )
    return Printed(
        content,
        title="OFFICIAL-SENSITIVE: Blank Request/Disclosure Form",
        headings={"H1": REQUEST_FORM_H1, "H2": [PART_A, PART_B], "H3": REQUEST_FORM_H3},
    )


def recorded_consent_form(alice, met, bob, client) -> Printed:
    req = wf.under_review(alice, met, bob)
    record = record_consent(req, alice)
    loaded = consent_selectors.consent_detail(
        req=selectors.request_detail(reference=req.reference), public_id=record.public_id
    )
    content = consent_pdf.render_consent_pdf(
        record=loaded, printed_by=alice, printed_at=timezone.now()
    )
    recorded = f"Recorded in the portal on {engine.format_datetime(loaded.created_at)}"
    return Printed(
        content,
        title=f"RESTRICTED: Consent Form {req.reference}",
        headings={"H1": CONSENT_H1, "H2": [*CONSENT_H2, recorded], "H3": []},
    )


def blank_consent_form(alice, met, bob, client) -> Printed:
    content = consent_pdf.render_blank_consent_form(
        printed_by=alice, printed_at=timezone.now(), marking="RESTRICTED"
    )
    return Printed(
        content,
        title="RESTRICTED: Blank Consent Form",
        headings={"H1": CONSENT_H1, "H2": CONSENT_H2, "H3": []},
    )


KINDS = [
    filled_request_form,
    protected_copy,
    blank_request_form,
    recorded_consent_form,
    blank_consent_form,
]


@pytest.fixture(params=KINDS, ids=[kind.__name__ for kind in KINDS])
def printed(request, alice, met, bob, client) -> Printed:
    return request.param(alice, met, bob, client)


# ---------------------------------------------------------------------------------------------
# Reading the tags


def structure_types(reader: PdfReader) -> list[str]:
    """The structure tree's element types, depth first: the reading order."""
    found: list[str] = []

    def visit(node) -> None:
        node = node.get_object()
        if isinstance(node, DictionaryObject):
            if "/S" in node:
                found.append(str(node["/S"]).lstrip("/"))
            kids = node.get("/K")
            if kids is not None:
                for kid in kids if isinstance(kids, list) else [kids]:
                    if not isinstance(kid, int):
                        visit(kid)

    visit(reader.trailer["/Root"]["/StructTreeRoot"])
    return found


def pdfinfo(printed: Printed, folder: Path, *options: str) -> str:
    password = ["-upw", printed.password] if printed.password else []
    path = folder / "printed.pdf"
    path.write_bytes(printed.content)
    return subprocess.run(  # noqa: S603 - fixed arguments, a local file
        [PDFINFO or "pdfinfo", *options, *password, str(path)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def headings_from_struct_text(struct_text: str) -> dict[str, list[str]]:
    """`pdfinfo -struct-text` prints the tree indented, each element's text quoted beneath it:
    each heading element with the text of everything under it."""
    lines = struct_text.splitlines()
    found: dict[str, list[str]] = {}
    for index, line in enumerate(lines):
        match = re.fullmatch(r"( *)(H[1-6])\b.*", line)
        if not match:
            continue
        indent = len(match.group(1))
        parts = []
        for below in lines[index + 1 :]:
            if len(below) - len(below.lstrip(" ")) <= indent:
                break
            parts += re.findall(r'"(.*)"', below)
        found.setdefault(match.group(2), []).append(" ".join("".join(parts).split()))
    return found


# ---------------------------------------------------------------------------------------------
# The checks


def test_catalogue_says_tagged_english_and_shows_the_title(printed):
    reader = printed.reader()
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"]) is True
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == "en-GB"
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"]) is True
    assert reader.metadata.title == printed.title
    # PDF/UA wants the title in the XMP metadata as well (dc:title).
    assert printed.title in reader.xmp_metadata.dc_title.values()
    # ... and declares itself PDF/UA-1 there.
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert 'pdfuaid:part="1"' in xmp


def test_structure_tree_has_the_headings_in_reading_order(printed):
    types = structure_types(printed.reader())
    headings = [kind for kind in types if re.fullmatch(r"H[1-6]", kind)]
    expected = {level: len(texts) for level, texts in printed.headings.items()}
    assert {level: headings.count(level) for level in expected} == expected
    assert types[0] == "Document"
    assert headings[0] == "H1"
    # No heading skips a level on the way down (H1, then H2, then H3).
    levels = [int(kind[1]) for kind in headings]
    assert all(after <= before + 1 for before, after in itertools.pairwise(levels))
    # The label beside each answer is a row header: tables, rows and cells are tagged.
    assert {"Table", "TR", "TH", "TD"} <= set(types)


@needs_poppler
def test_pdfinfo_says_tagged_and_reads_the_headings(printed, tmp_path):
    info = pdfinfo(printed, tmp_path)
    assert re.search(r"^Tagged:\s+yes$", info, re.MULTILINE)
    assert re.search(rf"^Title:\s+{re.escape(printed.title)}$", info, re.MULTILINE)
    struct_text = pdfinfo(printed, tmp_path, "-struct-text")
    found = headings_from_struct_text(struct_text)
    expected = {level: texts for level, texts in printed.headings.items() if texts}
    assert {level: found.get(level, []) for level in expected} == expected
    assert "H4" not in found
    # The marking, reference, page numbers and who printed it sit in the page margins, left out
    # of the structure tree (the title carries the marking and the reference), so a screen reader
    # does not read them out in the middle of a table at every page break.
    assert "Page 1 of" not in struct_text
    assert "Printed " not in struct_text


def test_the_protected_copy_keeps_the_original_pdf_version_and_every_permission():
    """Encrypting must not drop the tags, nor forbid assistive technology to read the text
    (PDF/UA: the "extract for accessibility" permission, bit 10)."""
    html = "<!DOCTYPE html><html lang='en-GB'><title>T</title><body><h1>Heading</h1></body></html>"
    plain = engine.html_to_pdf(html)
    encrypted = protection.encrypt_pdf(plain, PASSWORD)
    assert encrypted.startswith(b"%PDF-1.7")
    reader = PdfReader(io.BytesIO(encrypted))
    assert reader.decrypt(PASSWORD)
    permissions = int(reader.trailer["/Encrypt"]["/P"])
    assert permissions & (1 << 9), "extract for accessibility must be allowed"
    assert "H1" in structure_types(reader)
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"


def test_untagged_rendering_is_only_for_the_benchmark():
    html = "<!DOCTYPE html><html lang='en-GB'><title>T</title><body><h1>Heading</h1></body></html>"
    assert (
        "/StructTreeRoot"
        not in PdfReader(io.BytesIO(engine.html_to_pdf(html, tagged=False))).trailer["/Root"]
    )
    assert "/StructTreeRoot" in PdfReader(io.BytesIO(engine.html_to_pdf(html))).trailer["/Root"]
