"""The second factor's pages (ADR 0006): set up an authenticator app, give its code, use a
recovery code, the person's own sign-in methods, and the reset of someone's second factor. Each
view parses input, calls one function of governance.accounts.second_factor, and picks a
response."""

from __future__ import annotations

import uuid

from django import forms
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from governance.accounts import second_factor as sf
from governance.accounts import services as accounts
from governance.people import roles
from governance.people.access import AccessRefused
from governance.people.models import User


class CodeForm(forms.Form):
    otp_token = forms.CharField(
        label="Code from your authenticator app",
        help_text="The 6-digit code the app shows for the ISP Portal",
        max_length=20,
        error_messages={"required": sf.CODE_REQUIRED_MESSAGE},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "spellcheck": "false",
                "class": "govuk-input--width-5 govuk-input--extra-letter-spacing",
            }
        ),
    )

    def clean_otp_token(self) -> str:
        code = "".join(self.cleaned_data["otp_token"].split())
        if not code:
            raise forms.ValidationError(sf.CODE_REQUIRED_MESSAGE)
        if len(code) != 6 or not code.isascii() or not code.isdigit():
            raise forms.ValidationError(sf.CODE_FORMAT_MESSAGE)
        return code


class RecoveryCodeForm(forms.Form):
    recovery_code = forms.CharField(
        label="Recovery code",
        help_text="One of the 10 codes you saved when you set up your second factor",
        max_length=40,
        error_messages={"required": sf.RECOVERY_CODE_REQUIRED_MESSAGE},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "spellcheck": "false",
                "autocapitalize": "none",
                "class": "govuk-input--width-10 govuk-input--extra-letter-spacing",
            }
        ),
    )


def _signed_in_or_login(request: HttpRequest) -> HttpResponse | None:
    if not request.user.is_authenticated:
        return redirect(f"{reverse('login')}?{REDIRECT_FIELD_NAME}={request.get_full_path()}")
    return None


def _context(request: HttpRequest, **extra: object) -> dict[str, object]:
    return {"next": sf.safe_next(request, default=""), **extra}


@require_http_methods(["GET", "POST"])
@never_cache
def second_factor_verify(request: HttpRequest) -> HttpResponse:
    if response := _signed_in_or_login(request):
        return response
    if request.user.is_verified():
        return redirect(sf.safe_next(request))
    if not sf.has_second_factor(request.user):
        return redirect(sf.second_factor_url(request.user, sf.safe_next(request, default="")))
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            sf.second_factor_verify(request=request, token=form.cleaned_data["otp_token"])
        except sf.SecondFactorProblem as problem:
            form.add_error("otp_token", str(problem))
        else:
            return redirect(sf.safe_next(request))
    has_app = sf.sign_in_methods(user=request.user).app is not None
    return render(
        request,
        "accounts/second_factor_verify.html",
        _context(request, form=form, has_app=has_app),
    )


@require_http_methods(["GET", "POST"])
@never_cache
def second_factor_recovery(request: HttpRequest) -> HttpResponse:
    if response := _signed_in_or_login(request):
        return response
    if request.user.is_verified():
        return redirect(sf.safe_next(request))
    form = RecoveryCodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            sf.recovery_code_use(request=request, code=form.cleaned_data["recovery_code"])
        except sf.SecondFactorProblem as problem:
            form.add_error("recovery_code", str(problem))
        else:
            messages.success(
                request,
                "You signed in with a recovery code. It will not work again. If you have lost "
                "your phone, ask your SPOC or an administrator to reset your second factor.",
            )
            return redirect(sf.safe_next(request))
    return render(request, "accounts/second_factor_recovery.html", _context(request, form=form))


@require_http_methods(["GET", "POST"])
@never_cache
def second_factor_set_up(request: HttpRequest) -> HttpResponse:
    if response := _signed_in_or_login(request):
        return response
    if sf.has_second_factor(request.user):
        if request.user.is_verified():
            return redirect("accounts:security")
        return redirect(sf.second_factor_url(request.user, sf.safe_next(request, default="")))
    form = CodeForm(request.POST if request.method == "POST" else None)
    form.fields["otp_token"].help_text = "The 6-digit code the app shows after you add the key"
    if request.method == "POST" and form.is_valid():
        try:
            codes = sf.second_factor_set_up(request=request, token=form.cleaned_data["otp_token"])
        except sf.SecondFactorProblem as problem:
            form.add_error("otp_token", str(problem))
        else:
            return render(
                request,
                "accounts/recovery_codes.html",
                _context(request, codes=codes, first_time=True, continue_url=sf.safe_next(request)),
            )
    device = sf.totp_device_for_set_up(user=request.user)
    return render(
        request,
        "accounts/second_factor_set_up.html",
        _context(
            request,
            form=form,
            qr_code=sf.qr_code_svg(device),
            key=sf.key_for_typing(device),
            # A passkey set up here makes no recovery codes: its page asks for them.
            security_url=reverse("accounts:security"),
        ),
    )


@require_GET
@login_required
def security(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/security.html",
        {"methods": sf.sign_in_methods(user=request.user)},
    )


@require_POST
@login_required
@never_cache
def recovery_codes_regenerate(request: HttpRequest) -> HttpResponse:
    codes = sf.recovery_codes_regenerate(user=request.user)
    return render(
        request,
        "accounts/recovery_codes.html",
        {"codes": codes, "first_time": False, "continue_url": reverse("accounts:security")},
    )


@require_GET
@login_required
def organisation_people(request: HttpRequest) -> HttpResponse:
    """The SPOC's list of their organisation's people, each with the reset of a lost phone."""
    if not roles.is_spoc(request.user):
        raise AccessRefused(detail="organisation people")
    return render(
        request,
        "accounts/organisation_people.html",
        {"people": sf.people_for_spoc(spoc=request.user)},
    )


def _account(public_id: uuid.UUID) -> User:
    try:
        return accounts.account_by_public_id(public_id)
    except User.DoesNotExist:
        raise Http404("No such account") from None


@require_http_methods(["GET", "POST"])
@login_required
def second_factor_reset(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """Lost phone: an administrator or the person's SPOC confirms, then the person sets up
    their second factor again at their next sign-in."""
    account = _account(public_id)
    if not sf.can_reset_second_factor(request.user, account):
        raise AccessRefused(detail="reset second factor")
    if request.method == "POST":
        sf.second_factor_reset(actor=request.user, account=account)
        messages.success(
            request,
            f"Second factor reset for {account.full_name}. They set it up again the next time "
            "they sign in.",
        )
        if accounts.can_manage_accounts(request.user):
            return redirect("accounts:account_detail", public_id=account.public_id)
        return redirect("accounts:organisation_people")
    back = (
        reverse("accounts:account_detail", args=[account.public_id])
        if accounts.can_manage_accounts(request.user)
        else reverse("accounts:organisation_people")
    )
    return render(
        request, "accounts/second_factor_reset.html", {"account": account, "back_url": back}
    )
