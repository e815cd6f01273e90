"""The PDF engine: HTML to A4 PDF with WeasyPrint, and what every printed form shares.

WeasyPrint takes seconds to import, so it is imported on the first render and then stays loaded in
the worker. Resources are read only from the project's static/ folder and the system font folders;
any other URL is refused, so rendering never touches the network. Renderers take objects their
caller has already fetched and make no database queries: rendering is CPU work only.
"""

from __future__ import annotations

import datetime
import mimetypes
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from django.conf import settings
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe


class Printer(Protocol):
    """The person printing: an account, named on every page."""

    email: str

    def get_full_name(self) -> str: ...


TICKED = "\u2612"  # ☒


UNTICKED = "\u2610"  # ☐


# protocol 9.5: the marking a form carries when no disclosing organisation is known (blank forms).
# OFFICIAL-SENSITIVE replaced RESTRICTED in the 2014 Government Security Classifications.
DEFAULT_MARKING = "OFFICIAL-SENSITIVE"


# A blank form leaves room for the reference to be written in by hand.
BLANK_REFERENCE = "_" * 18


FONT_DIRS = (Path("/usr/share/fonts/truetype/liberation"), Path("/usr/share/fonts/truetype/dejavu"))


# Liberation Sans has Arial's metrics, so the form keeps its layout on every machine; DejaVu Sans
# fills in the glyphs Liberation lacks (the tick boxes) and stands in if Liberation is missing.
LIBERATION_FACES = (
    ("LiberationSans-Regular.ttf", "normal", "normal"),
    ("LiberationSans-Bold.ttf", "bold", "normal"),
    ("LiberationSans-Italic.ttf", "normal", "italic"),
    ("LiberationSans-BoldItalic.ttf", "bold", "italic"),
)


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


# PDF/UA-1 (ISO 14289-1): a tagged PDF 1.7 with a structure tree built from the HTML (headings,
# paragraphs, lists, tables with their header cells), the reading order of the HTML, the document
# title (<title>, shown in the viewer's title bar) and language (<html lang>) in the catalogue and
# the XMP metadata. The page furniture in the margin boxes is left out of the structure tree, so a
# screen reader reads the marking and page numbers once, from the page, not between paragraphs.
PDF_VARIANT = "pdf/ua-1"


def html_to_pdf(html: str, *, tagged: bool = True) -> bytes:
    """WeasyPrint, with local-only resources and the per-thread font configuration; tagged for
    screen readers (PDF/UA-1) unless `tagged` is False (only the benchmark's comparison)."""
    from weasyprint import HTML

    base_url = Path(settings.BASE_DIR, "static").resolve().as_uri() + "/"
    document = HTML(string=html, base_url=base_url, url_fetcher=url_fetcher())
    variant = {"pdf_variant": PDF_VARIANT} if tagged else {}
    return document.write_pdf(font_config=_font_config(), **variant)


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
    *, marking: str, reference: str, printed_by: Printer, printed_at: datetime.datetime
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


def yes_no(value: str) -> dict[str, str]:
    """Two boxes for a yes/no answer stored as "yes" or "no"."""
    return {"yes": box(value == "yes"), "no": box(value == "no")}
