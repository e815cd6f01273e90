"""/requests/<ref>/consent/<uuid>/pdf/: the recorded Consent form as a PDF, from the same template
as the blank one."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from consent import pdf, selectors, services
from documents import engine
from governance.audit.models import AuditAction, AuditEvent
from requests_app import selectors as request_selectors
from tests import workflow_helpers as wf
from tests.consent.conftest import SIGNER_NAME, record_consent
from tests.requests_app.test_pdf import CONSENT_LABELS  # Appendix B's Consent form labels

pytestmark = pytest.mark.django_db


def pdf_url(req, record) -> str:
    return reverse("consent:pdf", args=[req.reference, record.public_id])


def text_of(content: bytes) -> str:
    return " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(content)).pages
    )


def test_filled_form_has_every_label_the_answers_and_the_marking(client, alice, req, record):
    client.force_login(alice)
    response = client.get(pdf_url(req, record))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert req.reference in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    text = text_of(response.content)
    assert [label for label in CONSENT_LABELS if label not in text] == []
    # protocol 9.5: the Met's marking, top and bottom.
    assert text.count("RESTRICTED") >= 2
    assert f"Ref: {req.reference}" in text
    assert f"Is this information about you? Yes {engine.TICKED} No {engine.UNTICKED}" in text
    for answer in (
        SIGNER_NAME,
        record.purposes,
        "Signed on paper: form held at Council ASB case file 2026/0412",
        f"Recorded in the portal by {alice.full_name}",
        record.signed_on.strftime("%d/%m/%Y"),
        "Any doubt about the person's capacity to consent? No",
    ):
        assert answer in text
    # The information is about the signer: the subject boxes stay empty.
    assert req.subject_name not in text


def test_filled_form_names_the_subject_and_ticks_the_capacity(client, alice, child_req):
    record = record_consent(
        child_req,
        alice,
        about_signer="no",
        signer_capacity="guardian",
        child_sufficient_understanding="no",
    )
    client.force_login(alice)
    text = text_of(client.get(pdf_url(child_req, record)).content)
    assert child_req.subject_name in text
    assert f"Guardian {engine.TICKED}" in text
    assert f"Parent {engine.UNTICKED}" in text


def test_a_withdrawn_consent_prints_as_withdrawn(client, alice, req, record):
    services.consent_withdraw(
        reference=req.reference,
        public_id=record.public_id,
        actor=alice,
        withdrawn_on=timezone.localdate(),
        method="email",
    )
    client.force_login(alice)
    assert "CONSENT WITHDRAWN" in text_of(client.get(pdf_url(req, record)).content)


@pytest.mark.parametrize("persona", ["alice", "bob", "sally"])
def test_every_download_is_audited(client, request, req, record, persona):
    user = request.getfixturevalue(persona)
    wf.open_details_if_spoc(user, req)
    client.force_login(user)
    assert client.get(pdf_url(req, record)).status_code == 200
    event = AuditEvent.objects.get(action=AuditAction.PDF_PRINTED)
    assert (event.actor, event.object_reference) == (user, req.reference)
    assert SIGNER_NAME not in event.detail


def test_rendering_makes_no_database_queries(alice, req, record, django_assert_num_queries):
    fetched = request_selectors.request_detail(reference=req.reference)
    loaded = selectors.consent_detail(req=fetched, public_id=record.public_id)
    with django_assert_num_queries(0):
        pdf.render_consent_pdf(record=loaded, printed_by=alice, printed_at=timezone.now())


def test_blank_form_is_still_one_page_with_empty_boxes(alice):
    content = pdf.render_blank_consent_form(printed_by=alice, printed_at=timezone.now())
    assert len(PdfReader(io.BytesIO(content)).pages) == 1
    text = text_of(content)
    assert [label for label in CONSENT_LABELS if label not in text] == []
    assert engine.TICKED not in text


@pytest.mark.parametrize("persona", ["colin", "charlie", "brenda", "adam", "bea"])
def test_others_are_refused_and_nothing_is_printed(client, request, req, record, persona):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    response = client.get(pdf_url(req, record))
    assert response.status_code == 403
    assert response["Content-Type"].startswith("text/html")
    assert not AuditEvent.objects.filter(action=AuditAction.PDF_PRINTED).exists()
    event = AuditEvent.objects.filter(action=AuditAction.PERMISSION_DENIED).latest("id")
    assert (event.actor, event.object_reference) == (user, req.reference)
