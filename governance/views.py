"""Sign-in, the home page, health check, error pages, static pages and the SPOC audit page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from governance import audit, roles
from governance.access import REFUSAL_MESSAGE
from governance.models import AuditAction, organisations_missing_spoc_roles

SIGN_IN_FAILED_MESSAGE = "Enter a correct email address and password"


def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers: 200 when the database answers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


class SignInForm(AuthenticationForm):
    error_messages = {
        # One message whatever was wrong: no hint whether the account exists.
        "invalid_login": SIGN_IN_FAILED_MESSAGE,
        "inactive": SIGN_IN_FAILED_MESSAGE,
    }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Email address"
        self.fields["username"].widget.attrs.update(
            {"autocomplete": "username", "spellcheck": "false", "autofocus": False}
        )
        self.fields["username"].widget.attrs.pop("autofocus", None)
        self.fields["username"].error_messages["required"] = "Enter your email address"
        self.fields["password"].error_messages["required"] = "Enter your password"
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})


class SignInView(LoginView):
    template_name = "governance/sign_in.html"
    form_class = SignInForm
    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        audit.record(action=AuditAction.SIGNED_IN, actor=form.get_user())
        return response

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        if self.request.POST.get("username"):
            # The typed address is not recorded: it may be a mistyped password.
            audit.record(action=AuditAction.SIGN_IN_FAILED, detail="sign-in failed")
        return super().form_invalid(form)


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        audit.record(action=AuditAction.SIGNED_OUT, actor=request.user)
    logout(request)
    messages.success(request, "You have signed out.")
    return redirect("login")


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
        "is_officer": roles.is_officer(user),
        "can_request": roles.can_request(user),
        "sees_inbox": roles.sees_inbox(user),
        "is_spoc": roles.is_spoc(user),
        "is_board_member": roles.is_board_member(user),
        "is_portal_admin": roles.is_portal_admin(user),
        "missing_spoc_roles": organisations_missing_spoc_roles()
        if roles.is_portal_admin(user)
        else [],
    }
    return render(request, "governance/home.html", context)


def protocol(request: HttpRequest) -> HttpResponse:
    return render(request, "governance/protocol.html")


STATIC_PAGES = {"accessibility", "privacy", "cookies"}


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
