"""Pages of a request's consent records. Each view checks who may act, calls one selector or
service, and picks a response."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from consent import pdf, permissions, rules, selectors, services
from consent.forms import ConsentForm, WithdrawalForm
from consent.models import ConsentRecord
from governance.audit import trail as audit
from governance.audit.models import AuditAction
from governance.people import roles
from governance.people.access import AccessRefused
from requests_app import selectors as request_selectors
from requests_app.models import InformationRequest
from requests_app.pdf import protective_marking
from requests_app.pdf_views import blank_form_marking, pdf_response
from ui import check_answers
from ui.problems import add_to_form


def _get_request(reference: str) -> InformationRequest:
    try:
        return request_selectors.request_detail(reference=reference)
    except InformationRequest.DoesNotExist:
        raise Http404("No request with that reference") from None


def _get_record(req: InformationRequest, public_id: uuid.UUID) -> ConsentRecord:
    try:
        return selectors.consent_detail(req=req, public_id=public_id)
    except ConsentRecord.DoesNotExist:
        raise Http404("No such consent record") from None


@login_required
def consent_list(request: HttpRequest, reference: str) -> HttpResponse:
    req = _get_request(reference)
    if not permissions.can_view_consent(request.user, req):
        raise AccessRefused(obj=req, detail="consent records")
    records = list(selectors.consent_list_for_request(req=req))
    # Reads of personal details are audited (10.5.2, DPA 2018 s.62).
    audit.record(
        action=AuditAction.PERSONAL_DETAILS_VIEWED,
        actor=request.user,
        obj=req,
        detail="consent records",
    )
    return render(
        request,
        "consent/consent_list.html",
        {
            "req": req,
            "marking": protective_marking(req),  # protocol 9.5, as on the printed form
            "records": records,
            "can_record": permissions.can_record_consent(request.user, req)
            and rules.consent_can_be_recorded(req),
        },
    )


def _pending_key(reference: str) -> str:
    return f"consent-new:{reference}"


@login_required
@require_http_methods(["GET", "POST"])
def consent_new(request: HttpRequest, reference: str) -> HttpResponse:
    """The Consent form (POST: answers kept, then "Check your answers" before anything is saved).
    Coming back to change an answer shows the answers given."""
    req = _get_request(reference)
    if not permissions.can_record_consent(request.user, req):
        raise AccessRefused(obj=req, detail="record consent")
    data = (
        request.POST
        if request.method == "POST"
        else check_answers.pending_load(request, _pending_key(reference))
    )
    form = ConsentForm(data, req=req, initial=ConsentForm.initial_for(req))
    if not rules.consent_can_be_recorded(req):
        return render(
            request,
            "consent/consent_form.html",
            {"req": req, "form": form, "closed": True},
            status=409 if request.method == "POST" else 200,
        )
    if request.method == "POST" and form.is_valid():
        check_answers.pending_save(request, _pending_key(reference), request.POST)
        return redirect("consent:check", reference=reference)
    # The form shows the subject's details: reading them is audited (10.5.2).
    audit.record(
        action=AuditAction.PERSONAL_DETAILS_VIEWED,
        actor=request.user,
        obj=req,
        detail="consent form",
    )
    return render(
        request,
        "consent/consent_form.html",
        {"req": req, "form": form, "marking": protective_marking(req)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def consent_check(request: HttpRequest, reference: str) -> HttpResponse:
    """Check the Consent form's answers (GET), then record them (POST) through the service."""
    req = _get_request(reference)
    if not permissions.can_record_consent(request.user, req):
        raise AccessRefused(obj=req, detail="record consent")
    key = _pending_key(reference)
    data = check_answers.pending_load(request, key)
    form = ConsentForm(data, req=req, initial=ConsentForm.initial_for(req))
    if data is None or not rules.consent_can_be_recorded(req) or not form.is_valid():
        # Nothing to check (or it no longer holds): back to the form, answers kept.
        return redirect("consent:new", reference=reference)
    if request.method == "POST":
        try:
            record = services.consent_record_create(
                reference=reference, actor=request.user, data=form.to_service_data()
            )
        except services.ConsentNotRecorded as exc:
            add_to_form(form, exc.problems)
            return render(
                request,
                "consent/consent_form.html",
                {"req": req, "form": form, "marking": protective_marking(req)},
                status=400,
            )
        check_answers.pending_clear(request, key)
        messages.success(request, f"Consent recorded for request {reference}.")
        return redirect("consent:detail", reference=reference, public_id=record.public_id)
    audit.record(
        action=AuditAction.PERSONAL_DETAILS_VIEWED,
        actor=request.user,
        obj=req,
        detail="consent check answers",
    )
    return render(
        request,
        "consent/consent_check.html",
        {
            "req": req,
            "marking": protective_marking(req),
            "answers": check_answers.answers(
                form, change_url=reverse("consent:new", args=[reference])
            ),
        },
    )


@login_required
def consent_detail(request: HttpRequest, reference: str, public_id: uuid.UUID) -> HttpResponse:
    req = _get_request(reference)
    if not permissions.can_view_consent(request.user, req):
        raise AccessRefused(obj=req, detail="consent record")
    record = _get_record(req, public_id)
    audit.record(
        action=AuditAction.PERSONAL_DETAILS_VIEWED,
        actor=request.user,
        obj=record,
        detail=f"consent record {record.public_id}",
    )
    return render(
        request,
        "consent/consent_detail.html",
        {
            "req": req,
            "marking": protective_marking(req),
            "record": record,
            "can_withdraw": permissions.can_record_withdrawal(request.user, req)
            and rules.consent_is_active(record),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def consent_withdraw(request: HttpRequest, reference: str, public_id: uuid.UUID) -> HttpResponse:
    req = _get_request(reference)
    if not permissions.can_record_withdrawal(request.user, req):
        raise AccessRefused(obj=req, detail="record consent withdrawal")
    record = _get_record(req, public_id)
    form = WithdrawalForm(request.POST or None, signed_on=record.signed_on)
    context = {"req": req, "record": record, "form": form, "marking": protective_marking(req)}
    if not rules.consent_is_active(record):
        status = 409 if request.method == "POST" else 200
        return render(request, "consent/consent_withdraw.html", context, status=status)
    if request.method == "POST" and form.is_valid():
        try:
            services.consent_withdraw(
                reference=reference,
                public_id=record.public_id,
                actor=request.user,
                withdrawn_on=form.cleaned_data["withdrawn_on"],
                method=form.cleaned_data["method"],
                method_other=form.cleaned_data["method_other"],
            )
        except services.WithdrawalNotRecorded as exc:
            add_to_form(form, exc.problems)
        else:
            messages.success(request, "The withdrawal of consent has been recorded.")
            return redirect("consent:detail", reference=reference, public_id=record.public_id)
    # The page shows who consented: reading it is audited (10.5.2).
    audit.record(
        action=AuditAction.PERSONAL_DETAILS_VIEWED,
        actor=request.user,
        obj=req,
        detail="consent withdrawal",
    )
    return render(request, "consent/consent_withdraw.html", context)


@require_GET
@never_cache
@login_required
def consent_pdf(request: HttpRequest, reference: str, public_id: uuid.UUID) -> HttpResponse:
    req = _get_request(reference)
    # protocol 10.5.2: a printed Consent form names the subject and the signer.
    if not permissions.can_view_consent(request.user, req):
        raise AccessRefused(obj=req, detail="consent pdf")
    record = _get_record(req, public_id)
    content = pdf.render_consent_pdf(
        record=record, printed_by=request.user, printed_at=timezone.now()
    )
    # protocol 8.3.3, 10.5.2: every printed copy is an audit event.
    audit.record(
        action=AuditAction.PDF_PRINTED,
        actor=request.user,
        obj=record,
        detail=f"Consent form {record.public_id}",
    )
    response = HttpResponse(content, content_type="application/pdf")
    filename = f"{req.reference}-consent-{str(record.public_id)[:8]}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
@never_cache
@login_required
def blank_consent_form(request: HttpRequest) -> HttpResponse:
    # protocol 5.1: the Consent Form, for when signed consent has not already been obtained.
    if not roles.is_officer(request.user):
        raise AccessRefused(detail="blank consent form")
    content = pdf.render_blank_consent_form(
        printed_by=request.user, printed_at=timezone.now(), marking=blank_form_marking(request)
    )
    return pdf_response(content, "consent-form.pdf")
