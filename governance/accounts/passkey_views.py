"""Passkey pages: the four WebAuthn endpoints (django-otp-webauthn's views, which verify the
ceremonies, with naming, auditing and a new session key added) that the passkey script calls,
and the page that removes a passkey. Each parses input, calls governance.accounts.passkeys, and
picks a response."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods
from django_otp.models import Device
from django_otp_webauthn import exceptions
from django_otp_webauthn.models import AbstractWebAuthnCredential, WebAuthnCredential
from django_otp_webauthn.utils import rewrite_exceptions
from django_otp_webauthn.views import (
    BeginCredentialAuthenticationView,
    BeginCredentialRegistrationView,
    CompleteCredentialAuthenticationView,
    CompleteCredentialRegistrationView,
    _get_pywebauthn_logger,
)

from governance.accounts import passkeys
from governance.accounts.passkey_forms import PasskeyNameForm
from governance.accounts.second_factor import sign_in_complete
from governance.people.access import AccessRefused

# The name typed before the ceremony, kept until the passkey it names is registered.
NAME_SESSION_KEY = "passkey_name"


def _session_device(request: HttpRequest) -> Device | None:
    return getattr(request.user, "otp_device", None)


class PasskeyRegisterBegin(BeginCredentialRegistrationView):
    """Checks the name, then asks the browser to create a passkey. The library refuses anyone
    not signed in, and anyone who has a second factor but has not used it in this session: a
    passkey is added at first sign-in (no second factor yet) or after confirming it is you."""

    def post(self, *args: Any, **kwargs: Any) -> HttpResponse:
        data = self.request.data if isinstance(self.request.data, dict) else {}
        form = PasskeyNameForm({"name": data.get("name", "")})
        if not form.is_valid():
            return JsonResponse({"errors": {"name": form.errors["name"]}}, status=400)
        self.request.session[NAME_SESSION_KEY] = form.cleaned_data["name"]
        return super().post(*args, **kwargs)


class PasskeyRegisterComplete(CompleteCredentialRegistrationView):
    def post(self, *args: Any, **kwargs: Any) -> HttpResponse:
        user = self.get_user()
        name = self.request.session.pop(NAME_SESSION_KEY, "")
        state = self.get_state()  # removed from the session first: a ceremony is used once
        if not isinstance(self.request.data, dict) or not name:
            raise exceptions.MalformedRequest()
        helper = self.get_helper()
        with transaction.atomic(), rewrite_exceptions(logger=_get_pywebauthn_logger()):
            passkey = helper.register_complete(user=user, state=state, data=self.request.data)
            passkeys.passkey_added(actor=user, passkey=passkey, name=name)
        if not self.request.user.is_verified():
            # First sign-in: the passkey just created, with user verification, is the second
            # factor of this session.
            sign_in_complete(self.request, passkey)
        messages.success(self.request, f"Passkey ‘{passkey.name}’ added.")
        return JsonResponse({"name": passkey.name})


class PasskeyVerifyBegin(BeginCredentialAuthenticationView):
    """Asks the browser for one of the signed-in person's passkeys. Anonymous people are refused
    (OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN is off): a passkey never replaces the password."""


class PasskeyVerifyComplete(CompleteCredentialAuthenticationView):
    """Checks the passkey's signature (the library refuses someone else's passkey), then marks
    the session as having passed the second factor, under a new session key."""

    def complete_auth(self, device: AbstractWebAuthnCredential) -> None:
        if not self.request.user.is_authenticated:
            raise exceptions.NotAuthenticated()
        sign_in_complete(self.request, device)
        passkeys.passkey_used(actor=self.request.user, passkey=device)

    def handle_exception(self, exc: Exception) -> HttpResponse:
        if isinstance(exc, exceptions.OTPWebAuthnApiError):
            user = self.request.user
            passkeys.passkey_refused(actor=user if user.is_authenticated else None, reason=exc.code)
        return super().handle_exception(exc)


def _own_passkey(request: HttpRequest, reference: str) -> WebAuthnCredential:
    try:
        passkey = passkeys.passkey_by_reference(reference=reference)
    except WebAuthnCredential.DoesNotExist:
        raise Http404("No such passkey") from None
    if passkey.user_id != request.user.pk:
        raise AccessRefused(detail="remove someone else's passkey")
    return passkey


@require_http_methods(["GET", "POST"])
@login_required
def passkey_remove(request: HttpRequest, reference: str) -> HttpResponse:
    passkey = _own_passkey(request, reference)
    problems = passkeys.unmet_for_removal(passkey=passkey, session_device=_session_device(request))
    if request.method == "POST" and not problems:
        try:
            passkeys.passkey_remove(
                actor=request.user, reference=reference, session_device=_session_device(request)
            )
        except passkeys.PasskeyNotRemoved as exc:
            problems = [str(exc)]
        else:
            messages.success(request, f"Passkey ‘{passkey.name}’ removed.")
            return redirect("accounts:security")
    return render(
        request, "accounts/passkey_remove.html", {"passkey": passkey, "problems": problems}
    )
