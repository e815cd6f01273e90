"""The Request/Disclosure form of Appendix B as an A4 PDF, blank or filled (documents.engine
renders it).

The render functions take objects the caller has already fetched (requests_app.selectors
.request_detail and the legislation list) and make no database queries.

    pdf.render_request_pdf(req=req, legislation=list(Legislation.objects.all()),
                           printed_by=request.user, printed_at=timezone.now())  # -> bytes
    pdf.render_blank_request_form(legislation=..., printed_by=..., printed_at=..., marking=...)
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

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
from governance.people.models import Organisation
from requests_app.models import (
    DeliveryMethod,
    Disclosure,
    InformationRequest,
    Legislation,
    SubjectRole,
)

# Appendix B's delivery methods in its order ("Post Email Fax Other"), then the portal itself.
DELIVERY_METHODS = (
    (DeliveryMethod.POST, "Post"),
    (DeliveryMethod.EMAIL, "Email"),
    (DeliveryMethod.FAX, "Fax"),
    (DeliveryMethod.OTHER, "Other"),
    (DeliveryMethod.PORTAL, "Through the portal"),
)

# Appendix B, Part A: "state whether they are a victim, informant, witness suspect or convicted
# offender".
SUBJECT_ROLES = tuple(SubjectRole.choices)


def organisation_marking(organisation: Organisation | None) -> str:
    """protocol 9.5: a form carries the protective marking of the disclosing organisation, in
    capitals: RESTRICTED for the Metropolitan Police, each partner's configured marking otherwise,
    and OFFICIAL-SENSITIVE when no organisation is known (a blank form)."""
    marking = organisation.protective_marking if organisation is not None else ""
    return (marking or DEFAULT_MARKING).strip().upper()


def protective_marking(req: InformationRequest) -> str:
    """protocol 9.5: the disclosing organisation is the one the request is addressed to."""
    return organisation_marking(req.receiving_organisation)


# ---------------------------------------------------------------------------------------------
# Local-only resources


# ---------------------------------------------------------------------------------------------
# What the forms print


def legislation_rows(
    legislation: Iterable[Legislation], ticked_ids: set[int]
) -> list[dict[str, Any]]:
    """Appendix B's checklist: one block per Act, its sections two to a row, each with its box."""
    groups: dict[str, list[Cell]] = {}
    for item in legislation:
        groups.setdefault(item.act, []).append(Cell(item.section, box(item.pk in ticked_ids)))
    rows = []
    for act, cells in groups.items():
        pairs = [cells[i : i + 2] for i in range(0, len(cells), 2)]
        rows.append({"act": act, "pairs": pairs, "span": len(pairs)})
    return rows


def checklist(
    legislation: Sequence[Legislation], ticked: Sequence[Legislation]
) -> list[Legislation]:
    """Every active entry, plus any retired entry this request ticked, so a tick is never lost."""
    ticked_ids = {item.pk for item in ticked}
    items = [item for item in legislation if item.is_active or item.pk in ticked_ids]
    listed = {item.pk for item in items}
    items += [item for item in ticked if item.pk not in listed]
    return sorted(items, key=lambda item: (item.position, item.pk))


def _part_a(req: InformationRequest, legislation: Sequence[Legislation]) -> dict[str, Any]:
    ticked = list(req.legislation.all())
    signer = req.requester if req.signed_by_id == req.requester_id else req.signed_by
    return {
        "organisation_department": " / ".join(
            part for part in (req.requesting_organisation.name, req.requester_department) if part
        ),
        "subject_dob": format_date(req.subject_dob),
        "required_by": format_date(req.required_by),
        "roles": [Cell(label, box(value == req.subject_role)) for value, label in SUBJECT_ROLES],
        "consent": yes_no(req.consent_obtained),
        "consent_applies": req.subject_is_viw_or_co,
        "public_interest": yes_no(req.public_interest),
        "legislation": legislation_rows(
            checklist(legislation, ticked), {item.pk for item in ticked}
        ),
        "other_mark": box(bool(req.legislation_other.strip())),
        "signer": signer,
        "signed_at": format_datetime(req.signed_at),
    }


def _part_b(req: InformationRequest, disclosure: Disclosure | None) -> dict[str, Any]:
    """Part B as recorded; the empty boxes until the disclosing officer decides."""
    part_b = blank_part_b()
    part_b["received"] = format_date(
        timezone.localdate(req.received_at) if req.received_at else None
    )
    if disclosure is None:
        return part_b
    method = disclosure.delivery_method
    attachments = list(req.attachments.all())
    part_b.update(
        {
            "agreed": {
                "yes": box(disclosure.disclosure_agreed),
                "no": box(not disclosure.disclosure_agreed),
            },
            "attached": {"yes": box(bool(attachments)), "no": box(not attachments)},
            "attachments": attachments,
            "delivery": [Cell(label, box(value == method)) for value, label in DELIVERY_METHODS],
            "date_supplied": format_date(disclosure.date_supplied),
        }
    )
    return part_b


def blank_part_a(legislation: Sequence[Legislation]) -> dict[str, Any]:
    return {
        "roles": [Cell(label, UNTICKED) for _, label in SUBJECT_ROLES],
        "consent": {"yes": UNTICKED, "no": UNTICKED},
        "consent_applies": True,
        "public_interest": {"yes": UNTICKED, "no": UNTICKED},
        "legislation": legislation_rows(checklist(legislation, []), set()),
        "other_mark": UNTICKED,
    }


def blank_part_b() -> dict[str, Any]:
    return {
        "agreed": {"yes": UNTICKED, "no": UNTICKED},
        "attached": {"yes": UNTICKED, "no": UNTICKED},
        "delivery": [Cell(label, UNTICKED) for _, label in DELIVERY_METHODS],
        "attachments": [],
    }


# ---------------------------------------------------------------------------------------------
# The render functions


def request_form_html(
    *,
    req: InformationRequest,
    legislation: Sequence[Legislation],
    printed_by: Printer,
    printed_at: datetime.datetime,
) -> str:
    # Reverse one-to-ones joined by the selector; absent rows raise an AttributeError subclass.
    disclosure: Disclosure | None = getattr(req, "disclosure", None)
    page = furniture(
        marking=protective_marking(req),
        reference=req.reference,
        printed_by=printed_by,
        printed_at=printed_at,
    )
    return render_to_string(
        "requests_app/pdf/request_form.html",
        {
            "page": page,
            "fonts": font_face_css(),
            "req": req,
            "a": _part_a(req, legislation),
            "b": _part_b(req, disclosure),
            "disclosure": disclosure,
            "decision": getattr(req, "decision_record", None),
        },
    )


def render_request_pdf(
    *,
    req: InformationRequest,
    legislation: Sequence[Legislation],
    printed_by: Printer,
    printed_at: datetime.datetime,
) -> bytes:
    """The filled Request/Disclosure form (provisions page, Part A, Part B, decision record).

    `req` comes from selectors.request_detail (organisations, Part B and the decision record
    joined; legislation and attachments prefetched); `legislation` is the checklist as listed
    (Legislation.objects.all()). If the request was signed by someone other than the requester,
    `req.signed_by` must already be loaded.
    """
    return html_to_pdf(
        request_form_html(
            req=req, legislation=legislation, printed_by=printed_by, printed_at=printed_at
        )
    )


def blank_request_form_html(
    *,
    legislation: Sequence[Legislation],
    printed_by: Printer,
    printed_at: datetime.datetime,
    marking: str = DEFAULT_MARKING,
) -> str:
    page = furniture(marking=marking, reference="", printed_by=printed_by, printed_at=printed_at)
    return render_to_string(
        "requests_app/pdf/request_form.html",
        {
            "page": page,
            "fonts": font_face_css(),
            "req": None,
            "a": blank_part_a(legislation),
            "b": blank_part_b(),
            "disclosure": None,
            "decision": None,
        },
    )


def render_blank_request_form(
    *,
    legislation: Sequence[Legislation],
    printed_by: Printer,
    printed_at: datetime.datetime,
    marking: str = DEFAULT_MARKING,
) -> bytes:
    """The unfilled Request/Disclosure form for the paper fallback, with the legislation list."""
    return html_to_pdf(
        blank_request_form_html(
            legislation=legislation, printed_by=printed_by, printed_at=printed_at, marking=marking
        )
    )


# ---------------------------------------------------------------------------------------------
# The Consent form: one template, blank or filled
