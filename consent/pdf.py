"""The Consent form of Appendix B as an A4 PDF, blank or filled (documents.engine renders it).

pdf.render_blank_consent_form(printed_by=..., printed_at=..., marking=...)
pdf.render_consent_pdf(record=record, printed_by=..., printed_at=...)
"""

from __future__ import annotations

import datetime
from typing import Any

from django.template.loader import render_to_string

from consent.models import ConsentRecord
from documents.engine import (
    DEFAULT_MARKING,
    UNTICKED,
    Cell,
    Printer,
    box,
    font_face_css,
    format_date,
    format_datetime,
    furniture,
    html_to_pdf,
    yes_no,
)
from requests_app.models import YesNo
from requests_app.pdf import protective_marking


def blank_consent_form_html(
    *, printed_by: Printer, printed_at: datetime.datetime, marking: str = DEFAULT_MARKING
) -> str:
    page = furniture(marking=marking, reference="", printed_by=printed_by, printed_at=printed_at)
    return render_to_string(
        "consent/pdf/consent_form.html",
        {"page": page, "fonts": font_face_css(), "c": consent_form_fields(None)},
    )


def render_blank_consent_form(
    *, printed_by: Printer, printed_at: datetime.datetime, marking: str = DEFAULT_MARKING
) -> bytes:
    """The unfilled Consent form (Appendix B), signed on paper by the person and witnessed by the
    requesting officer (protocol 5)."""
    return html_to_pdf(
        blank_consent_form_html(printed_by=printed_by, printed_at=printed_at, marking=marking)
    )


# Appendix B: "Are you acting as: Parent/Guardian/Carer", then "Other (please describe)".
CONSENT_ACTING_AS = (("parent", "Parent"), ("guardian", "Guardian"), ("carer", "Carer"))


def consent_form_fields(record: ConsentRecord | None) -> dict[str, Any]:
    """What each box of the Consent form holds: empty boxes for a blank form; for a record, its
    answers, the request's subject where the information is not about the signer, and where the
    signed paper is held (the portal holds no handwritten signature)."""
    if record is None:
        return {
            "about": yes_no(""),
            "reasons": yes_no(""),
            "acting_as": [Cell(label, UNTICKED) for _, label in CONSENT_ACTING_AS],
        }
    req = record.request
    about_someone_else = record.about_signer == YesNo.NO
    parental = {value for value, _ in CONSENT_ACTING_AS}
    return {
        "record": record,
        "requesting_ref": record.requesting_officer_ref,
        "disclosing_ref": record.disclosing_officer_ref,
        "about": yes_no(record.about_signer),
        "subject_name": req.subject_name if about_someone_else else "",
        "subject_address": req.subject_address if about_someone_else else "",
        "subject_dob": format_date(req.subject_dob) if about_someone_else else "",
        "acting_as": [
            Cell(label, box(value == record.signer_capacity)) for value, label in CONSENT_ACTING_AS
        ],
        "acting_as_other": (
            record.signer_capacity_label
            if about_someone_else and record.signer_capacity not in parental
            else ""
        ),
        "reasons": yes_no(record.reasons_explained),
        "signer_dob": format_date(record.signer_dob),
        "signed_on": format_date(record.signed_on),
        "signature": f"Signed on paper: form held at {record.signed_form_location}",
        "witness_signature": f"Recorded in the portal by {record.witness_name}",
        "witnessed_on": format_date(record.witnessed_on),
        "recorded_at": format_datetime(record.created_at),
        "withdrawn_on": format_date(record.withdrawn_on),
        "withdrawn_at": format_datetime(record.withdrawn_at),
    }


def consent_form_html(
    *, record: ConsentRecord, printed_by: Printer, printed_at: datetime.datetime
) -> str:
    req = record.request
    page = furniture(
        marking=protective_marking(req),
        reference=req.reference,
        printed_by=printed_by,
        printed_at=printed_at,
    )
    return render_to_string(
        "consent/pdf/consent_form.html",
        {"page": page, "fonts": font_face_css(), "c": consent_form_fields(record)},
    )


def render_consent_pdf(
    *, record: ConsentRecord, printed_by: Printer, printed_at: datetime.datetime
) -> bytes:
    """A recorded Consent form (Appendix B), with the portal's App. G / App. F answers and, if
    withdrawn, the withdrawal (protocol 5.1).

    `record.request` comes from selectors.request_detail (both organisations joined) and
    `record.withdrawn_by` is already loaded (consent.selectors.consent_detail).
    """
    return html_to_pdf(
        consent_form_html(record=record, printed_by=printed_by, printed_at=printed_at)
    )
