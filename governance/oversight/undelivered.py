"""Emails the portal could not deliver, for the SPOC of the organisation they concern (protocol
7.4: the SPOC sees that their organisation's requests are handled). An email that failed its
last attempt is listed here and can be sent again (governance.outbox; ADR 0005)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from governance.audit import trail as audit
from governance.audit.models import AuditAction
from governance.outbox.models import Email, EmailStatus
from governance.outbox.services import email_send_again
from governance.people import roles
from governance.people.access import AccessRefused

PAGE_SIZE = 25


def _undelivered_for(user) -> object:  # type: ignore[no-untyped-def]
    return Email.objects.filter(organisation_id=user.organisation_id, status=EmailStatus.FAILED)


@require_GET
@never_cache
@login_required
def undelivered_list(request: HttpRequest) -> HttpResponse:
    if not roles.is_spoc(request.user):
        raise AccessRefused(detail="undelivered emails")
    emails = _undelivered_for(request.user).only(
        "public_id", "subject", "reference", "attempts", "last_error", "created_at"
    )
    page = Paginator(emails, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "governance/undelivered_list.html", {"page": page})


@require_POST
@login_required
def undelivered_send_again(request: HttpRequest, public_id: str) -> HttpResponse:
    if not roles.is_spoc(request.user):
        raise AccessRefused(detail="undelivered emails")
    email = get_object_or_404(_undelivered_for(request.user), public_id=public_id)
    with transaction.atomic():
        email_send_again(email=email)
        audit.record(
            action=AuditAction.EMAIL_SENT_AGAIN,
            actor=request.user,
            requesting_organisation=request.user.organisation,
            detail=f"about {email.reference}" if email.reference else "",
        )
    messages.success(request, "The email will be sent again.")
    return redirect("oversight:undelivered")
