"""Downloads of the paper forms (Appendix B) as PDF."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseServerError


@login_required
def blank_request_form(request: HttpRequest) -> HttpResponse:
    return HttpResponseServerError("Not available yet")


@login_required
def blank_consent_form(request: HttpRequest) -> HttpResponse:
    return HttpResponseServerError("Not available yet")


@login_required
def request_pdf(request: HttpRequest, reference: str) -> HttpResponse:
    return HttpResponseServerError("Not available yet")
