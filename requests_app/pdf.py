"""The paper forms of Appendix B as A4 PDFs: the Request/Disclosure form and the Consent form.

The render functions take objects the caller has already fetched (requests_app.selectors
.request_detail and the legislation list) and make no database queries: rendering is CPU work only.
WeasyPrint takes seconds to import, so it is imported on the first render and then stays loaded in
the worker. Resources are read only from the project's static/ folder and the system font folders;
any other URL is refused, so rendering never touches the network.

    pdf.render_request_pdf(req=req, legislation=list(Legislation.objects.all()),
                           printed_by=request.user, printed_at=timezone.now())  # -> bytes
    pdf.render_blank_request_form(legislation=..., printed_by=..., printed_at=..., marking=...)
    pdf.render_blank_consent_form(printed_by=..., printed_at=..., marking=...)
    pdf.render_consent_pdf(record=record, printed_by=..., printed_at=...)
"""

from __future__ import annotations

import datetime
import mimetypes
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from governance.models import Organisation, User
from requests_app.models import (
    DeliveryMethod,
    Disclosure,
    InformationRequest,
    Legislation,
    SubjectRole,
    YesNo,
)

if TYPE_CHECKING:
    from consent.models import ConsentRecord

# protocol 9.5: the marking a form carries when no disclosing organisation is known (blank forms).
# OFFICIAL-SENSITIVE replaced RESTRICTED in the 2014 Government Security Classifications.
DEFAULT_MARKING = "OFFICIAL-SENSITIVE"

# A blank form leaves room for the reference to be written in by hand.
BLANK_REFERENCE = "_" * 18

TICKED = "\u2612"  # ☒
UNTICKED = "\u2610"  # ☐

FONT_DIRS = (Path("/usr/share/fonts/truetype/liberation"), Path("/usr/share/fonts/truetype/dejavu"))
# Liberation Sans has Arial's metrics, so the form keeps its layout on every machine; DejaVu Sans
# fills in the glyphs Liberation lacks (the tick boxes) and stands in if Liberation is missing.
LIBERATION_FACES = (
    ("LiberationSans-Regular.ttf", "normal", "normal"),
    ("LiberationSans-Bold.ttf", "bold", "normal"),
    ("LiberationSans-Italic.ttf", "normal", "italic"),
    ("LiberationSans-BoldItalic.ttf", "bold", "italic"),
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


class RefusedURL(ValueError):
    """A resource outside the project's static files and the system fonts."""


def allowed_roots() -> tuple[Path, ...]:
    return (Path(settings.BASE_DIR, "static").resolve(), *(d.resolve() for d in FONT_DIRS))


def local_path(url: str) -> Path:
    """The file a file:// URL names, if it lies under an allowed root; RefusedURL otherwise."""
    parts = urlsplit(url)
    if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
        raise RefusedURL(f"Only local files may be used in a PDF, not {parts.scheme or url}")
    path = Path(url2pathname(unquote(parts.path))).resolve()
    if not any(path.is_relative_to(root) for root in allowed_roots()):
        raise RefusedURL("Only the portal's static files and fonts may be used in a PDF")
    if not path.is_file():
        raise RefusedURL("No such local file")
    return path


def _url_fetcher_class() -> type:
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class LocalOnlyURLFetcher(URLFetcher):
        """Serves file:// URLs under the allowed roots and refuses everything else (no network)."""

        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            path = local_path(url)
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(
                path.as_uri(), body=path.read_bytes(), headers={"Content-Type": content_type}
            )

    return LocalOnlyURLFetcher


_thread_state = threading.local()


def url_fetcher() -> Any:
    if not hasattr(_thread_state, "fetcher"):
        _thread_state.fetcher = _url_fetcher_class()()
    return _thread_state.fetcher


def _font_config() -> Any:
    """One font configuration per thread: @font-face files are loaded once, then reused."""
    if not hasattr(_thread_state, "font_config"):
        from weasyprint.text.fonts import FontConfiguration

        _thread_state.font_config = FontConfiguration()
    return _thread_state.font_config


def font_face_css() -> SafeString:
    rules = []
    for filename, weight, style in LIBERATION_FACES:
        path = FONT_DIRS[0] / filename
        if path.is_file():
            rules.append(
                f'@font-face {{ font-family: "Liberation Sans"; src: url("{path.as_uri()}"); '
                f"font-weight: {weight}; font-style: {style}; }}"
            )
    return mark_safe("\n".join(rules))  # noqa: S308 - built from fixed file names only


def css_string(value: str) -> SafeString:
    """A quoted CSS string for a margin box; every character that could end the string or the
    <style> element is hex-escaped, so an organisation's configured text cannot inject CSS."""
    out = []
    for char in value:
        if (char.isalnum() and char.isascii()) or char in " .,:-_/()@":
            out.append(char)
        else:
            out.append(f"\\{ord(char):06x}")
    return mark_safe(f'"{"".join(out)}"')  # noqa: S308 - every special character escaped above


def html_to_pdf(html: str) -> bytes:
    """WeasyPrint, with local-only resources and the per-thread font configuration."""
    from weasyprint import HTML

    base_url = Path(settings.BASE_DIR, "static").resolve().as_uri() + "/"
    document = HTML(string=html, base_url=base_url, url_fetcher=url_fetcher())
    return document.write_pdf(font_config=_font_config())


# ---------------------------------------------------------------------------------------------
# What the forms print


def box(ticked: bool) -> str:
    return TICKED if ticked else UNTICKED


def format_date(value: datetime.date | None) -> str:
    """Appendix B asks for dates as ddmmyyyy; printed with separators so they read at a glance."""
    return value.strftime("%d/%m/%Y") if value else ""


def format_datetime(value: datetime.datetime | None) -> str:
    return timezone.localtime(value).strftime("%d/%m/%Y %H:%M") if value else ""


@dataclass(frozen=True)
class PageFurniture:
    """What every page carries in its margins: marking (top and bottom), reference, page number,
    and who printed it when."""

    marking: str
    reference: str
    printed: str

    @property
    def css(self) -> dict[str, SafeString]:
        return {
            "marking": css_string(self.marking),
            "reference": css_string(f"Ref: {self.reference or BLANK_REFERENCE}"),
            "printed": css_string(self.printed),
        }


def furniture(
    *, marking: str, reference: str, printed_by: User, printed_at: datetime.datetime
) -> PageFurniture:
    name = printed_by.get_full_name() or printed_by.email
    return PageFurniture(
        marking=marking.strip().upper() or DEFAULT_MARKING,
        reference=reference,
        printed=f"Printed {format_datetime(printed_at)} by {name}",
    )


@dataclass(frozen=True)
class Cell:
    label: str
    mark: str


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


def _yes_no(value: str) -> dict[str, str]:
    return {"yes": box(value == YesNo.YES), "no": box(value == YesNo.NO)}


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
        "consent": _yes_no(req.consent_obtained),
        "consent_applies": req.subject_is_viw_or_co,
        "public_interest": _yes_no(req.public_interest),
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
    printed_by: User,
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
    printed_by: User,
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
    printed_by: User,
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
    printed_by: User,
    printed_at: datetime.datetime,
    marking: str = DEFAULT_MARKING,
) -> bytes:
    """The unfilled Request/Disclosure form for the paper fallback, with the legislation list."""
    return html_to_pdf(
        blank_request_form_html(
            legislation=legislation, printed_by=printed_by, printed_at=printed_at, marking=marking
        )
    )


def blank_consent_form_html(
    *, printed_by: User, printed_at: datetime.datetime, marking: str = DEFAULT_MARKING
) -> str:
    page = furniture(marking=marking, reference="", printed_by=printed_by, printed_at=printed_at)
    return render_to_string(
        "requests_app/pdf/consent_form.html",
        {"page": page, "fonts": font_face_css(), "c": consent_form_fields(None)},
    )


def render_blank_consent_form(
    *, printed_by: User, printed_at: datetime.datetime, marking: str = DEFAULT_MARKING
) -> bytes:
    """The unfilled Consent form (Appendix B), signed on paper by the person and witnessed by the
    requesting officer (protocol 5)."""
    return html_to_pdf(
        blank_consent_form_html(printed_by=printed_by, printed_at=printed_at, marking=marking)
    )


# ---------------------------------------------------------------------------------------------
# The Consent form: one template, blank or filled

# Appendix B: "Are you acting as: Parent/Guardian/Carer", then "Other (please describe)".
CONSENT_ACTING_AS = (("parent", "Parent"), ("guardian", "Guardian"), ("carer", "Carer"))


def consent_form_fields(record: ConsentRecord | None) -> dict[str, Any]:
    """What each box of the Consent form holds: empty boxes for a blank form; for a record, its
    answers, the request's subject where the information is not about the signer, and where the
    signed paper is held (the portal holds no handwritten signature)."""
    if record is None:
        return {
            "about": _yes_no(""),
            "reasons": _yes_no(""),
            "acting_as": [Cell(label, UNTICKED) for _, label in CONSENT_ACTING_AS],
        }
    req = record.request
    about_someone_else = record.about_signer == YesNo.NO
    parental = {value for value, _ in CONSENT_ACTING_AS}
    return {
        "record": record,
        "requesting_ref": record.requesting_officer_ref,
        "disclosing_ref": record.disclosing_officer_ref,
        "about": _yes_no(record.about_signer),
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
        "reasons": _yes_no(record.reasons_explained),
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
    *, record: ConsentRecord, printed_by: User, printed_at: datetime.datetime
) -> str:
    req = record.request
    page = furniture(
        marking=protective_marking(req),
        reference=req.reference,
        printed_by=printed_by,
        printed_at=printed_at,
    )
    return render_to_string(
        "requests_app/pdf/consent_form.html",
        {"page": page, "fonts": font_face_css(), "c": consent_form_fields(record)},
    )


def render_consent_pdf(
    *, record: ConsentRecord, printed_by: User, printed_at: datetime.datetime
) -> bytes:
    """A recorded Consent form (Appendix B), with the portal's App. G / App. F answers and, if
    withdrawn, the withdrawal (protocol 5.1).

    `record.request` comes from selectors.request_detail (both organisations joined) and
    `record.withdrawn_by` is already loaded (consent.selectors.consent_detail).
    """
    return html_to_pdf(
        consent_form_html(record=record, printed_by=printed_by, printed_at=printed_at)
    )
