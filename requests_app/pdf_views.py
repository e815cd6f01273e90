"""Downloads of the paper forms (Appendix B) as PDF. Everything the form prints is fetched here,
before rendering; requests_app.pdf makes no queries."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from documents import protection
from governance.audit import trail as audit
from governance.audit.models import AuditAction
from governance.people import roles
from governance.people.access import AccessRefused
from governance.people.models import Organisation
from requests_app import pdf, permissions, selectors
from requests_app.forms import BlankFormMarkingForm
from requests_app.models import InformationRequest, Legislation


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def blank_form_marking(request: HttpRequest) -> str:
    """`?marking=<organisation short code>` prints a partner's marking on a blank form; an unknown
    code prints the default marking. A code that cannot be one is refused with a 400."""
    form = BlankFormMarkingForm(request.GET)
    if not form.is_valid():
        raise BadRequest(form.errors["marking"][0])
    organisation = None
    if code := form.cleaned_data["marking"]:
        organisation = Organisation.objects.filter(short_code=code, is_active=True).first()
    return pdf.organisation_marking(organisation)


@require_GET
@never_cache
@login_required
def blank_request_form(request: HttpRequest) -> HttpResponse:
    # protocol 8.3.1: the paper Request/Disclosure form, for any partner's officer.
    if not roles.is_officer(request.user):
        raise AccessRefused(detail="blank request form")
    content = pdf.render_blank_request_form(
        legislation=list(Legislation.objects.filter(is_active=True)),
        printed_by=request.user,
        printed_at=timezone.now(),
        marking=blank_form_marking(request),
    )
    return pdf_response(content, "request-disclosure-form.pdf")


def _printable_request(request: HttpRequest, reference: str, detail: str) -> InformationRequest:
    """The request with everything its form prints, for someone who may print it."""
    try:
        req = selectors.request_detail(reference=reference)
    except InformationRequest.DoesNotExist:
        raise Http404("No request with that reference") from None
    # protocol 10.5.2: a printed form holds the personal details, so only those who may see them
    # may print it.
    if not permissions.can_view_personal_details(request.user, req):
        raise AccessRefused(obj=req, detail=detail)
    if req.signed_by_id is not None and req.signed_by_id != req.requester_id:
        _ = req.signed_by  # loaded now: rendering makes no queries
    return req


def _render_filled_form(request: HttpRequest, req: InformationRequest) -> bytes:
    return pdf.render_request_pdf(
        req=req,
        legislation=list(Legislation.objects.all()),
        printed_by=request.user,
        printed_at=timezone.now(),
    )


@require_GET
@never_cache
@login_required
def request_pdf(request: HttpRequest, reference: str) -> HttpResponse:
    req = _printable_request(request, reference, detail="pdf")
    content = _render_filled_form(request, req)
    # protocol 8.3.3, 10.5.2: every printed copy is an audit event.
    audit.record(
        action=AuditAction.PDF_PRINTED,
        actor=request.user,
        obj=req,
        detail="Request/Disclosure form",
    )
    return pdf_response(content, f"{req.reference}.pdf")


PROTECTED_DETAIL = "password-protected"
# One event when the encrypted copy is made, one when it is collected: the trail tells a copy
# prepared but never downloaded from one that left the portal.
PREPARED_DETAIL = "password-protected copy prepared"
COLLECTED_DETAIL = "password-protected copy downloaded"


def _session_key(request: HttpRequest) -> str:
    if not request.session.session_key:
        request.session.save()
    return request.session.session_key or ""


@login_required
@require_POST
@never_cache
def request_pdf_protected(request: HttpRequest, reference: str) -> HttpResponse:
    """protocol 8.3.2: a "password protected document" for a partner who is not on the portal.

    The response shows the one-time password once; the encrypted file waits for one download by
    the same person in the same session. The password is never stored, emailed, logged or put in
    a URL.
    """
    req = _printable_request(request, reference, detail=f"pdf {PROTECTED_DETAIL}")
    password = protection.one_time_password()
    encrypted = protection.encrypt_pdf(_render_filled_form(request, req), password)
    # protocol 8.3.3, 10.5.2: every printed copy is an audit event.
    audit.record(
        action=AuditAction.PDF_PRINTED, actor=request.user, obj=req, detail=PREPARED_DETAIL
    )
    token = protection.protected_copy_hold(
        content=encrypted,
        reference=req.reference,
        user_id=request.user.pk,
        session_key=_session_key(request),
    )
    return render(
        request,
        "requests_app/pdf_protected.html",
        {
            "req": req,
            "password": password,
            "download_url": reverse(
                "requests_app:pdf_protected_download",
                kwargs={"reference": req.reference, "token": token},
            ),
            "hold_minutes": protection.HOLD_SECONDS // 60,
        },
    )


@login_required
@require_GET
@never_cache
def request_pdf_protected_download(
    request: HttpRequest, reference: str, token: str
) -> HttpResponse:
    req = _printable_request(request, reference, detail=f"pdf {PROTECTED_DETAIL}")
    content = protection.protected_copy_collect(
        token=token,
        reference=req.reference,
        user_id=request.user.pk,
        session_key=request.session.session_key or "",
    )
    if content is None:
        raise Http404("No protected copy waiting")
    # protocol 8.3.3, 10.5.2: every printed copy is an audit event.
    audit.record(
        action=AuditAction.PDF_PRINTED, actor=request.user, obj=req, detail=COLLECTED_DETAIL
    )
    return pdf_response(content, f"{req.reference}-password-protected.pdf")
