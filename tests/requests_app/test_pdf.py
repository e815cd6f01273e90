"""The paper forms of Appendix B as PDFs: what they print, who may download them, and the cost."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from consent import pdf as consent_pdf
from documents import engine
from governance.audit.models import AuditAction, AuditEvent
from governance.people.models import User
from requests_app import pdf, selectors, workflow
from requests_app.models import InformationRequest, Legislation
from tests import workflow_helpers as wf

pytestmark = pytest.mark.django_db

PART_A_LABELS = [
    "Crime and Disorder Information Sharing Protocol Request/Disclosure Form",
    "PART A \u2013 INFORMATION REQUESTED - (to be completed by requesting officer)",
    "Information requested by:",
    "Name:",
    "Position:",
    "Organisation/Department:",
    "Address:",
    "Contact phone number:",
    "Email address:",
    "Information requested:",
    "Describe the information required and the circumstance that have led to this request being "
    "made, including any names, addresses and dates of birth and state whether they are a "
    "victim, informant, witness suspect or convicted offender.",
    "DOB(ddmmyyyy):",
    "Victim",
    "Informant",
    "Witness",
    "Suspect",
    "Convicted offender",
    "Date information is required by (ddmmyyyy):",
    "If urgent, please state reason:",
    "If a VIW or CO¹, has consent been obtained and included at Part B of this form?",
    "If not a VIW or CO, or no consent has been obtained, is it in the public interest to "
    "disclose?",
    "Please state reason for public interest:",
    "¹ Victim, Informant, Witness or Convicted Offender",
    "Under which piece of legislation: (please tick)",
    "Other (please state)",
    "Signature of requesting officer:",
    "Date:",
]

PART_B_LABELS = [
    "PART B - INFORMATION DISCLOSED \u2013 (to be completed by disclosing officer)",
    "Date request received:",
    "Disclosure Agreed:",
    "Reason for declining request (if applicable):",
    "Information attached to this form",
    "Information disclosed (Continue on a separate sheet if necessary, and remember to attach any "
    "additional sheets to this form)",
    "Information disclosed by:",
    "Organisation:",
    "Department:",
    "Information disclosed to:",
    "Delivery method (please mark as appropriate):",
    "Post",
    "Email",
    "Fax",
    "Other",
    "Through the portal",
    "Signature of disclosing officer:",
    "Date supplied:",
]

PROVISIONS = [
    "The following provisions MUST be applied in accordance to the Protocol above:",
    "must only be used for the purpose stated in the original request for information.",
    "section 29(1) of the Data Protection Act 1998",
    "MUST be stored in a lockable container when not in use, and a clear desk policy implemented.",
    "MUST be placed within a folder with a secure password",
    "MUST be returned to the Designated Liaison Officer (DLO) for destruction.",
]

CONSENT_LABELS = [
    "Crime and Disorder Information Sharing Protocol \u2013 Consent Form",
    "Requesting Officer's Ref:",
    "Disclosing Officer's Ref:",
    "Please provide the relevant information below:",
    "Is this information about you?",
    "If 'No', who is the information about?",
    "DOB (ddmmyyyy):",
    "Are you acting as:",
    "Parent",
    "Guardian",
    "Carer",
    "Other (please describe)",
    "Have the reasons for requesting consent been explained to you?",
    "I give:",
    "consent to disclose to:",
    "Information to which this consent applies:",
    "Personal information and any relevant information, for the purposes of:",
    "Your Name:",
    "Signature:",
    "Date (ddmmyyyy):",
    "Witnessed by requesting officer:",
]


# ---------------------------------------------------------------------------------------------
# Helpers


def pages_text(content: bytes) -> list[str]:
    """Each page's text with whitespace collapsed (labels wrap inside their table cells)."""
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(content)).pages]


def all_text(content: bytes) -> str:
    return " ".join(pages_text(content))


def heights_of(content: bytes, needle: str) -> list[list[float]]:
    """For each page, the heights (points from the bottom edge) at which `needle` is drawn."""
    found = []
    for page in PdfReader(io.BytesIO(content)).pages:
        ys: list[float] = []

        def visit(text, cm, tm, font, size, ys=ys):
            if needle in text:
                ys.append(tm[5] * cm[3] + cm[5])

        page.extract_text(visitor_text=visit)
        found.append(ys)
    return found


def render(req: InformationRequest, printed_by: User) -> bytes:
    fetched = selectors.request_detail(reference=req.reference)
    return pdf.render_request_pdf(
        req=fetched,
        legislation=list(Legislation.objects.all()),
        printed_by=printed_by,
        printed_at=timezone.now(),
    )


def pdf_url(req: InformationRequest) -> str:
    return reverse("requests_app:pdf", kwargs={"reference": req.reference})


@pytest.fixture
def met_disclosed(alice, met, bob) -> InformationRequest:
    """Alice's request to the Met, disclosed by Bob."""
    return wf.disclosed(alice, met, bob)


@pytest.fixture
def met_pdf(met_disclosed, bob) -> bytes:
    return render(met_disclosed, bob)


# ---------------------------------------------------------------------------------------------
# What the filled form prints


def test_met_disclosure_is_marked_restricted_top_and_bottom_of_every_page(met_pdf):
    for page_height_marks in heights_of(met_pdf, "RESTRICTED"):
        assert any(y > 780 for y in page_height_marks), "marking missing at the top"
        assert any(y < 60 for y in page_height_marks), "marking missing at the bottom"


def test_other_organisation_disclosure_shows_its_own_marking(alice, lfb, charlie):
    req = wf.disclosed(alice, lfb, charlie)
    content = render(req, alice)
    pages = pages_text(content)
    assert all(text.count("OFFICIAL-SENSITIVE") >= 2 for text in pages)
    assert "RESTRICTED" not in all_text(content)


def test_marking_follows_the_organisations_configuration(alice, lfb, charlie):
    lfb.protective_marking = 'official-sensitive "personal"'
    lfb.save(update_fields=["protective_marking"])
    req = wf.under_review(alice, lfb, charlie)
    pages = pages_text(render(req, alice))
    assert all(t.count('OFFICIAL-SENSITIVE "PERSONAL"') >= 2 for t in pages)


def test_every_page_carries_reference_page_number_and_who_printed(met_pdf, met_disclosed):
    pages = pages_text(met_pdf)
    assert len(pages) >= 3
    for number, text in enumerate(pages, start=1):
        assert f"Ref: {met_disclosed.reference}" in text
        assert f"Page {number} of {len(pages)}" in text
        assert "by Bob Brown" in text
        assert re.search(r"Printed \d\d/\d\d/\d{4} \d\d:\d\d by Bob Brown", text)


def test_provisions_page_comes_first(met_pdf):
    first = pages_text(met_pdf)[0]
    for provision in PROVISIONS:
        assert provision in first


def test_every_part_a_and_part_b_label_is_printed(met_pdf):
    text = all_text(met_pdf)
    missing = [label for label in PART_A_LABELS + PART_B_LABELS if label not in text]
    assert missing == []


def test_part_a_prints_the_recorded_answers(met_pdf, met_disclosed):
    text = all_text(met_pdf)
    assert "Sam Example" in text
    assert "27/03/1990" in text
    assert f"{engine.TICKED} Suspect" in text
    assert f"{engine.UNTICKED} Victim" in text
    assert f"{engine.TICKED} Yes" in text  # public interest
    assert "Preventing further anti-social behaviour affecting neighbours." in text


def test_ticked_legislation_is_ticked_and_the_rest_is_not(met_pdf):
    text = all_text(met_pdf)
    # workflow_helpers.draft ticks the first entry of the list.
    assert f"S115 \u2013 Crime Reduction Strategy {engine.TICKED}" in text
    assert f"S2 \u2013 Sex Offender Orders {engine.UNTICKED}" in text
    assert f"S84 \u2013 application for possession order {engine.UNTICKED}" in text
    assert text.count(engine.TICKED) >= 1


def test_other_legislation_is_printed_and_ticked(alice, met, bob):
    req = wf.under_review(alice, met, bob, legislation_other="Police Reform Act 2002, s.30")
    text = all_text(render(req, alice))
    assert f"Other (please state) Police Reform Act 2002, s.30 {engine.TICKED}" in text


def test_requesting_officers_signature_shows_declaration_identity_and_time(met_pdf, met_disclosed):
    text = all_text(met_pdf)
    signed = engine.format_datetime(met_disclosed.signed_at)
    assert "Signature of requesting officer: Alice Able" in text
    assert "signed in as Alice Able (alice@council.example)" in text
    assert f"Date: {signed}" in text


def test_part_b_prints_the_decision(met_pdf):
    text = all_text(met_pdf)
    assert f"Disclosure Agreed: Yes {engine.TICKED} No {engine.UNTICKED}" in text
    assert "Three reports of ASB at the address in 2026." in text
    assert f"Through the portal {engine.TICKED}" in text
    assert f"Post {engine.UNTICKED}" in text
    assert "Signature of disclosing officer: Bob Brown" in text
    assert "Metropolitan Police Service, Haringey Borough" in text


def test_decision_record_nine_fields_are_printed_with_part_b(met_pdf, met_disclosed):
    text = all_text(met_pdf)
    assert "Decision record (Appendix G 9)" in text
    for letter, label, _value in met_disclosed.decision_record.nine_fields():
        assert f"({letter}) {label}" in text
    assert "Informing would prejudice the prevention of crime." in text


def test_attached_information_is_marked_and_named(alice, met, bob, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    req = wf.under_review(alice, met, bob)
    workflow.transition(
        reference=req.reference,
        action="disclose",
        actor=bob,
        part_b=wf.part_b(signature_name=bob.full_name),
        attachments=[SimpleUploadedFile("incident-summary.pdf", b"%PDF-1.4 demo")],
    )
    text = all_text(render(req, alice))
    assert f"Information attached to this form Yes {engine.TICKED} No {engine.UNTICKED}" in text
    assert "Attached: incident-summary.pdf" in text


def test_undecided_request_prints_empty_part_b(alice, met, bob):
    req = wf.under_review(alice, met, bob)
    text = all_text(render(req, alice))
    assert f"Disclosure Agreed: Yes {engine.UNTICKED} No {engine.UNTICKED}" in text
    assert "Decision record" not in text


def test_rendering_makes_no_database_queries(met_disclosed, bob, django_assert_num_queries):
    fetched = selectors.request_detail(reference=met_disclosed.reference)
    legislation = list(Legislation.objects.all())
    with django_assert_num_queries(0):
        pdf.render_request_pdf(
            req=fetched, legislation=legislation, printed_by=bob, printed_at=timezone.now()
        )
        pdf.render_blank_request_form(
            legislation=legislation, printed_by=bob, printed_at=timezone.now()
        )
        consent_pdf.render_blank_consent_form(printed_by=bob, printed_at=timezone.now())


@pytest.mark.skipif(not shutil.which("pdftoppm"), reason="poppler-utils is not installed")
def test_page_one_renders_to_png(met_pdf, tmp_path):
    source = tmp_path / "form.pdf"
    source.write_bytes(met_pdf)
    subprocess.run(  # noqa: S603 - fixed arguments, local files
        [
            shutil.which("pdftoppm") or "pdftoppm",
            "-png",
            "-r",
            "60",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(source),
            str(tmp_path / "page1"),
        ],
        check=True,
    )
    png = tmp_path / "page1.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert png.stat().st_size > 10_000


# ---------------------------------------------------------------------------------------------
# Blank forms


def test_blank_request_form_has_every_label_and_only_empty_boxes(bob):
    content = pdf.render_blank_request_form(
        legislation=list(Legislation.objects.all()), printed_by=bob, printed_at=timezone.now()
    )
    text = all_text(content)
    assert [label for label in PART_A_LABELS + PART_B_LABELS if label not in text] == []
    assert engine.TICKED not in text
    assert f"S1 \u2013 ASB {engine.UNTICKED}" in text
    assert all(t.count(engine.DEFAULT_MARKING) >= 2 for t in pages_text(content))


def test_blank_consent_form_has_every_label(bob):
    content = consent_pdf.render_blank_consent_form(printed_by=bob, printed_at=timezone.now())
    pages = pages_text(content)
    assert len(pages) == 1
    assert [label for label in CONSENT_LABELS if label not in pages[0]] == []
    assert pages[0].count("OFFICIAL-SENSITIVE") >= 2


@pytest.mark.parametrize("name", ["requests_app:blank_request_form", "consent:blank_form"])
def test_signed_in_officer_downloads_blank_form(client, alice, name):
    client.force_login(alice)
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("name", ["requests_app:blank_request_form", "consent:blank_form"])
def test_anonymous_is_sent_to_sign_in_for_blank_form(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_blank_form_can_carry_a_partners_marking(client, alice):
    client.force_login(alice)
    response = client.get(reverse("consent:blank_form") + "?marking=met")
    assert pages_text(response.content)[0].count("RESTRICTED") >= 2


def test_blank_form_ignores_an_unknown_marking_code(client, alice):
    client.force_login(alice)
    response = client.get(reverse("consent:blank_form") + "?marking=nope")
    assert "OFFICIAL-SENSITIVE" in pages_text(response.content)[0]


# ---------------------------------------------------------------------------------------------
# Downloading a filled form


@pytest.mark.parametrize("persona", ["alice", "bob", "sally"])
def test_authorised_download_is_a_pdf_and_audited(client, request, met_disclosed, persona):
    user = request.getfixturevalue(persona)
    wf.open_details_if_spoc(user, met_disclosed)
    client.force_login(user)
    response = client.get(pdf_url(met_disclosed))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f'filename="{met_disclosed.reference}.pdf"' in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    assert "RESTRICTED" in pages_text(response.content)[0]
    assert (
        AuditEvent.objects.filter(
            action=AuditAction.PDF_PRINTED, actor=user, object_reference=met_disclosed.reference
        ).count()
        == 1
    )


@pytest.mark.parametrize("persona", ["charlie", "colin", "adam", "bea", "brenda"])
def test_unauthorised_download_is_refused_and_audited(client, request, met_disclosed, persona):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    response = client.get(pdf_url(met_disclosed))
    assert response.status_code == 403
    assert not response.content.startswith(b"%PDF")
    assert b"Sam Example" not in response.content
    assert AuditEvent.objects.filter(
        action=AuditAction.PERMISSION_DENIED, actor=user, object_reference=met_disclosed.reference
    ).exists()
    assert not AuditEvent.objects.filter(action=AuditAction.PDF_PRINTED).exists()


def test_anonymous_is_sent_to_sign_in_for_a_request_pdf(client, met_disclosed):
    response = client.get(pdf_url(met_disclosed))
    assert response.status_code == 302
    assert not AuditEvent.objects.filter(action=AuditAction.PDF_PRINTED).exists()


def test_unknown_reference_is_not_found(client, alice):
    client.force_login(alice)
    response = client.get(reverse("requests_app:pdf", kwargs={"reference": "ISP-1999-000001"}))
    assert response.status_code == 404


def test_requester_may_print_their_draft(client, alice, met):
    req = wf.draft(alice, met)
    client.force_login(alice)
    response = client.get(pdf_url(req))
    assert response.status_code == 200
    assert "Not signed: the request is a draft." in all_text(response.content)


# ---------------------------------------------------------------------------------------------
# No network, no injection


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/font.ttf",
        "http://127.0.0.1/static/x.css",
        "ftp://example.com/a",
        "data:text/css,body{}",
        "file:///etc/passwd",
        "file://remote-host/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    ],
)
def test_url_fetcher_refuses_anything_but_local_static_and_fonts(url):
    with pytest.raises(engine.RefusedURL):
        engine.url_fetcher().fetch(url)


def test_url_fetcher_refuses_escaping_the_static_folder(settings):
    escape = (Path(settings.BASE_DIR) / "static" / ".." / "pyproject.toml").as_uri()
    with pytest.raises(engine.RefusedURL):
        engine.url_fetcher().fetch(escape)


def test_url_fetcher_serves_a_system_font():
    font = engine.FONT_DIRS[1] / "DejaVuSans.ttf"
    if not font.is_file():
        pytest.skip("DejaVu Sans is not installed")
    response = engine.url_fetcher().fetch(font.as_uri())
    assert len(response.read()) > 100_000


def test_configured_marking_cannot_inject_css():
    value = str(engine.css_string('X"; } body { display: none } </style><script>'))
    assert value.startswith('"')
    assert value.endswith('"')
    # Inside the quotes: only harmless characters and six-digit hex escapes.
    assert re.fullmatch(r"(?:[A-Za-z0-9 .,:\-_/()@]|\\[0-9a-f]{6})*", value[1:-1])
    assert "\\000022" in value  # the quote, escaped


def test_long_text_flows_onto_further_pages_without_loss(alice, met, bob):
    long_text = "Reports of anti-social behaviour at the address. " * 180 + "ENDOFDESCRIPTION"
    req = wf.under_review(alice, met, bob, information_description=long_text)
    content = render(req, alice)
    pages = pages_text(content)
    assert "ENDOFDESCRIPTION" in " ".join(pages)
    assert all(text.count("RESTRICTED") >= 2 for text in pages)
