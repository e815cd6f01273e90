"""Pages of the breach register (protocol 7.1-7.4; UK GDPR Art 33). Each view parses input, calls
one function of governance.breaches, and picks a response."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from governance.audit import trail as audit
from governance.audit.models import AuditAction, AuditEvent
from governance.breaches import permissions, selectors, services
from governance.breaches.forms import BreachReportForm, BreachUpdateForm
from governance.breaches.models import Breach
from governance.people.access import AccessRefused
from ui import check_answers
from ui.problems import add_to_form

PAGE_SIZE = 25


def _get(reference: str) -> Breach:
    try:
        return selectors.breach_detail(reference=reference)
    except Breach.DoesNotExist:
        raise Http404("No breach with that reference") from None


@require_GET
@login_required
def breach_register(request: HttpRequest) -> HttpResponse:
    if not permissions.can_view_register(request.user):
        raise AccessRefused(detail="breach register")
    page = Paginator(selectors.breach_list_for_register(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "governance/breach_register.html", {"page": page})


@require_http_methods(["GET", "POST"])
@login_required
def breach_new(request: HttpRequest) -> HttpResponse:
    if not permissions.can_report(request.user):
        raise AccessRefused(detail="report breach")
    form = BreachReportForm(
        request.POST if request.method == "POST" else None, reporter=request.user
    )
    if request.method == "POST" and form.is_valid():
        try:
            breach = services.breach_report_create(reporter=request.user, data=form.to_model_data())
        except services.BreachRecordIncomplete as exc:
            add_to_form(form, exc.problems)
        else:
            return redirect("breaches:reported", reference=breach.reference)
    return render(request, "governance/breach_form.html", {"form": form})


@require_GET
@login_required
def breach_reported(request: HttpRequest, reference: str) -> HttpResponse:
    breach = _get(reference)
    if not (
        request.user.pk == breach.reported_by_id
        and request.user.organisation_id == breach.organisation_id
    ):
        raise AccessRefused(obj=breach, detail="breach confirmation")
    return render(request, "governance/breach_reported.html", {"breach": breach})


HISTORY_PAGE_SIZE = 20


@require_GET
@login_required
def breach_detail(request: HttpRequest, reference: str) -> HttpResponse:
    breach = _get(reference)
    if not permissions.can_view(request.user, breach):
        raise AccessRefused(obj=breach, detail="view breach")
    events = (
        AuditEvent.objects.filter(
            object_reference=breach.reference,
            action__in=[AuditAction.BREACH_REPORTED, AuditAction.BREACH_UPDATED],
        )
        .select_related("actor_organisation")
        .order_by("-occurred_at", "-id")
    )
    timeline = Paginator(events, HISTORY_PAGE_SIZE).get_page(request.GET.get("history"))
    # A breach's account may name the people it affected: reading it is audited (DPA 2018 s.62).
    _audit_read(request, breach, "breach record")
    return render(
        request,
        "governance/breach_detail.html",
        {
            "breach": breach,
            "can_update": permissions.can_update(request.user, breach),
            "request_linked": breach.request is not None
            and permissions.request_may_be_linked(request.user, breach.request),
            "timeline": timeline,
        },
    )


def _audit_read(request: HttpRequest, breach: Breach, page: str) -> None:
    audit.record(
        action=AuditAction.PERSONAL_DETAILS_VIEWED, actor=request.user, obj=breach, detail=page
    )


def _pending_key(reference: str) -> str:
    return f"breach-update:{reference}"


@require_http_methods(["GET", "POST"])
@login_required
def breach_update(request: HttpRequest, reference: str) -> HttpResponse:
    """The SPOC's update (POST: answers kept, then "Check your answers" before anything is
    saved). Coming back to change an answer shows the answers given."""
    breach = _get(reference)
    if not permissions.can_update(request.user, breach):
        raise AccessRefused(obj=breach, detail="update breach")
    data = (
        request.POST
        if request.method == "POST"
        else check_answers.pending_load(request, _pending_key(reference))
    )
    form = BreachUpdateForm(data, breach=breach)
    if request.method == "POST" and form.is_valid():
        check_answers.pending_save(request, _pending_key(reference), request.POST)
        return redirect("breaches:update_check", reference=reference)
    _audit_read(request, breach, "breach update")
    return render(request, "governance/breach_update.html", {"breach": breach, "form": form})


@require_http_methods(["GET", "POST"])
@login_required
def breach_update_check(request: HttpRequest, reference: str) -> HttpResponse:
    """Check the update's answers (GET), then save them (POST) through the service."""
    breach = _get(reference)
    if not permissions.can_update(request.user, breach):
        raise AccessRefused(obj=breach, detail="update breach")
    key = _pending_key(reference)
    data = check_answers.pending_load(request, key)
    form = BreachUpdateForm(data, breach=breach)
    if data is None or not form.is_valid():
        # Nothing to check (or it no longer holds): back to the form, answers kept.
        return redirect("breaches:update", reference=reference)
    if request.method == "POST":
        try:
            services.breach_update(
                reference=reference, editor=request.user, data=form.to_model_data()
            )
        except services.BreachRecordIncomplete as exc:
            add_to_form(form, exc.problems)
            return render(
                request,
                "governance/breach_update.html",
                {"breach": breach, "form": form},
                status=400,
            )
        check_answers.pending_clear(request, key)
        messages.success(request, f"Breach {reference} updated.")
        return redirect("breaches:detail", reference=reference)
    _audit_read(request, breach, "breach update check answers")
    return render(
        request,
        "governance/breach_update_check.html",
        {
            "breach": breach,
            "answers": check_answers.answers(
                form, change_url=reverse("breaches:update", args=[reference])
            ),
        },
    )
