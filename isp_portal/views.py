"""Sign-in, the home page, health check, error pages, static pages and the SPOC audit page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from governance.audit import trail as audit
from governance.audit.models import AuditAction
from governance.outbox.services import undelivered_count
from governance.people import roles
from governance.people.access import REFUSAL_MESSAGE
from governance.people.models import organisations_missing_spoc_roles
from requests_app import selectors as request_selectors


def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers: 200 when the database answers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@require_POST
def keep_alive(request: HttpRequest) -> HttpResponse:
    """WCAG 2.2.1: "Stay signed in" renews the idle session (SESSION_SAVE_EVERY_REQUEST)."""
    if not request.user.is_authenticated:
        return redirect("login")
    return HttpResponse(status=204)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    context = {
        # The counts of the lists this person works from, each linking to its tab (one query
        # per list, whatever the number of requests).
        "inbox_counts": request_selectors.inbox_counts(user=user)
        if roles.sees_inbox(user)
        else None,
        "requester_counts": request_selectors.requester_counts(user=user)
        if roles.can_request(user)
        else None,
        "can_disclose": roles.can_disclose(user),
        "is_officer": roles.is_officer(user),
        "can_request": roles.can_request(user),
        "sees_inbox": roles.sees_inbox(user),
        "is_spoc": roles.is_spoc(user),
        "is_board_member": roles.is_board_member(user),
        "is_portal_admin": roles.is_portal_admin(user),
        "undelivered_emails": undelivered_count(organisation_id=user.organisation_id)
        if roles.is_spoc(user)
        else 0,
        "missing_spoc_roles": organisations_missing_spoc_roles()
        if roles.is_portal_admin(user)
        else [],
    }
    return render(request, "governance/home.html", context)


def protocol(request: HttpRequest) -> HttpResponse:
    return render(request, "governance/protocol.html")


def static_page(request: HttpRequest, page: str) -> HttpResponse:
    return render(request, f"governance/{page}.html")


def permission_denied(request: HttpRequest, exception: PermissionDenied) -> HttpResponse:
    """Every refusal: a plain explanation that reveals nothing about the subject, and an event."""
    obj = getattr(exception, "obj", None)
    detail = getattr(exception, "detail", "") or ""
    audit.record(
        action=AuditAction.PERMISSION_DENIED,
        actor=request.user,
        obj=obj,
        detail=f"{request.method} {request.path[:200]} {detail}".strip(),
    )
    return render(request, "403.html", {"message": REFUSAL_MESSAGE}, status=403)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "404.html", status=404)
