"""Sign-in and sign-out; pages for organisations and accounts (portal administrators), account
changes (the second person: a SPOC or another administrator) and setting one's own password from a
link. Each view parses input, calls one function of governance.accounts.services, and picks a
response."""

from __future__ import annotations

import dataclasses
import uuid

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from governance.accounts import lockout
from governance.accounts import services as accounts
from governance.accounts.forms import (
    AccountFilterForm,
    AccountNewForm,
    AccountValuesForm,
    ForgottenPasswordForm,
    OrganisationForm,
    PasswordSetForm,
    RejectionForm,
)
from governance.accounts.services import AccountChangeNotAllowed, AccountValues
from governance.accounts.sessions import session_keep
from governance.audit import trail as audit
from governance.audit.models import AuditAction
from governance.people.access import AccessRefused
from governance.people.models import AccountChange, Organisation, User

PAGE_SIZE = 50


# One message for a wrong address or password, an inactive account and a lockout (ASVS 2.2.1).
SIGN_IN_FAILED_MESSAGE = lockout.SIGN_IN_REFUSED_MESSAGE


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
            locked = getattr(self.request, "axes_locked_out", False)
            audit.record(
                action=AuditAction.SIGN_IN_FAILED,
                detail="sign-in failed; locked out" if locked else "sign-in failed",
            )
        return super().form_invalid(form)


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        audit.record(action=AuditAction.SIGNED_OUT, actor=request.user)
    logout(request)
    messages.success(request, "You have signed out.")
    return redirect("login")


def _admin_only(request: HttpRequest, detail: str) -> None:
    if not accounts.can_manage_accounts(request.user):
        raise AccessRefused(detail=detail)


def _account(public_id: uuid.UUID) -> User:
    try:
        return accounts.account_by_public_id(public_id)
    except User.DoesNotExist:
        raise Http404("No such account") from None


def _change(public_id: uuid.UUID) -> AccountChange:
    try:
        return accounts.account_change_by_public_id(public_id)
    except AccountChange.DoesNotExist:
        raise Http404("No such account change") from None


# Organisations --------------------------------------------------------------------------------


@require_GET
@login_required
def organisation_list(request: HttpRequest) -> HttpResponse:
    _admin_only(request, "organisations")
    return render(
        request,
        "governance/organisation_list.html",
        {"organisations": accounts.organisation_list()},
    )


@require_http_methods(["GET", "POST"])
@login_required
def organisation_new(request: HttpRequest) -> HttpResponse:
    _admin_only(request, "create organisation")
    form = OrganisationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        organisation = accounts.organisation_create(actor=request.user, data=form.cleaned_data)
        messages.success(request, f"{organisation.name} added.")
        return redirect("accounts:organisations")
    return render(request, "governance/organisation_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
@login_required
def organisation_edit(request: HttpRequest, short_code: str) -> HttpResponse:
    _admin_only(request, "change organisation")
    try:
        organisation = Organisation.objects.get(short_code=short_code)
    except Organisation.DoesNotExist:
        raise Http404("No such organisation") from None
    form = OrganisationForm(
        request.POST if request.method == "POST" else None, instance=organisation
    )
    if request.method == "POST" and form.is_valid():
        updated = accounts.organisation_update(
            actor=request.user, short_code=short_code, data=form.cleaned_data
        )
        messages.success(request, f"{updated.name} updated.")
        return redirect("accounts:organisations")
    return render(
        request, "governance/organisation_form.html", {"form": form, "organisation": organisation}
    )


# Accounts -------------------------------------------------------------------------------------


@require_GET
@login_required
def account_list(request: HttpRequest) -> HttpResponse:
    _admin_only(request, "accounts")
    form = AccountFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    page = Paginator(
        accounts.account_list_for_admin(
            organisation=filters.get("organisation"), search=filters.get("search", "")
        ),
        PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    query = {k: v for k, v in request.GET.items() if k in ("organisation", "search") and v}
    return render(
        request, "governance/account_list.html", {"form": form, "page": page, "query": query}
    )


@require_http_methods(["GET", "POST"])
@login_required
def account_new(request: HttpRequest) -> HttpResponse:
    _admin_only(request, "create account")
    form = AccountNewForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            change = accounts.account_create(
                proposer=request.user, person=form.person(), values=form.values()
            )
        except AccountChangeNotAllowed as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                "Account created. It becomes active when the organisation's SPOC or another "
                "administrator confirms it.",
            )
            return redirect("accounts:account_detail", public_id=change.account.public_id)
    return render(request, "governance/account_new.html", {"form": form})


@require_GET
@login_required
def account_detail(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    _admin_only(request, "account")
    account = _account(public_id)
    history = list(accounts.account_change_history(account=account)[:50])
    return render(
        request,
        "governance/account_detail.html",
        {
            "account": account,
            "history": history,
            "pending": next((change for change in history if change.is_pending), None),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def account_change(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """Propose a new organisation and roles: nothing changes until a second person confirms."""
    _admin_only(request, "propose account change")
    account = _account(public_id)
    if account.is_portal_admin:
        raise AccessRefused(detail="propose change to an administrator account")
    form = AccountValuesForm(
        request.POST if request.method == "POST" else None,
        account=account,
        initial=AccountValuesForm.initial_for(account),
    )
    if request.method == "POST" and form.is_valid():
        try:
            accounts.account_change_propose(
                proposer=request.user,
                public_id=account.public_id,
                values=form.values(is_active=account.is_active),
            )
        except AccountChangeNotAllowed as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                "Change proposed. It takes effect when the organisation's SPOC or another "
                "administrator confirms it.",
            )
            return redirect("accounts:account_detail", public_id=account.public_id)
    return render(request, "governance/account_change.html", {"account": account, "form": form})


def _account_action_page(
    request: HttpRequest, account: User, *, action: str, error: str = ""
) -> HttpResponse:
    return render(
        request,
        "governance/account_action.html",
        {"account": account, "action": action, "error": error},
    )


@require_http_methods(["GET", "POST"])
@login_required
def account_deactivate(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    _admin_only(request, "deactivate account")
    account = _account(public_id)
    if request.method == "POST":
        try:
            accounts.account_deactivate(actor=request.user, public_id=account.public_id)
        except AccountChangeNotAllowed as exc:
            return _account_action_page(request, account, action="deactivate", error=str(exc))
        messages.success(request, "Account deactivated. The person can no longer sign in.")
        return redirect("accounts:account_detail", public_id=account.public_id)
    return _account_action_page(request, account, action="deactivate")


@require_http_methods(["GET", "POST"])
@login_required
def account_reactivate(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """Giving access back is a change like any other: a second person confirms it."""
    _admin_only(request, "propose reactivation")
    account = _account(public_id)
    if request.method == "POST":
        values = dataclasses.replace(AccountValues.of(account), is_active=True)
        try:
            accounts.account_change_propose(
                proposer=request.user, public_id=account.public_id, values=values
            )
        except AccountChangeNotAllowed as exc:
            return _account_action_page(request, account, action="reactivate", error=str(exc))
        messages.success(
            request,
            "Reactivation proposed. It takes effect when the organisation's SPOC or another "
            "administrator confirms it.",
        )
        return redirect("accounts:account_detail", public_id=account.public_id)
    return _account_action_page(request, account, action="reactivate")


@require_http_methods(["GET", "POST"])
@login_required
def account_password_link(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    _admin_only(request, "send password link")
    account = _account(public_id)
    if request.method == "POST":
        try:
            accounts.password_link_send(actor=request.user, public_id=account.public_id)
        except AccountChangeNotAllowed as exc:
            return _account_action_page(request, account, action="password_link", error=str(exc))
        messages.success(request, "Password-set link sent to the person's email address.")
        return redirect("accounts:account_detail", public_id=account.public_id)
    return _account_action_page(request, account, action="password_link")


# Account changes: the second person -------------------------------------------------------------


@require_GET
@login_required
def change_list(request: HttpRequest) -> HttpResponse:
    if not accounts.can_see_changes(request.user):
        raise AccessRefused(detail="account changes")
    changes = list(accounts.account_change_list_for_user(user=request.user)[:200])
    return render(
        request,
        "governance/account_change_list.html",
        {
            "rows": [
                (change, accounts.can_decide_change(request.user, change)) for change in changes
            ]
        },
    )


def _change_page(
    request: HttpRequest, change: AccountChange, *, form: RejectionForm | None = None, error=""
) -> HttpResponse:
    return render(
        request,
        "governance/account_change_detail.html",
        {
            "change": change,
            "old": AccountValues.old_of(change),
            "new": AccountValues.new_of(change),
            "can_decide": change.is_pending and accounts.can_decide_change(request.user, change),
            "warnings": accounts.change_warnings(change) if change.is_pending else [],
            "form": form,
            "error": error,
        },
    )


@require_GET
@login_required
def change_detail(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    change = _change(public_id)
    if not accounts.can_view_change(request.user, change):
        raise AccessRefused(obj=change, detail="view account change")
    return _change_page(request, change)


@require_POST
@login_required
def change_confirm(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    change = _change(public_id)
    try:
        accounts.account_change_confirm(public_id=change.public_id, decider=request.user)
    except AccountChangeNotAllowed as exc:
        return _change_page(request, _change(public_id), error=str(exc))
    messages.success(request, "Change confirmed. It has taken effect.")
    return redirect("accounts:changes")


@require_http_methods(["GET", "POST"])
@login_required
def change_reject(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    change = _change(public_id)
    if not (change.is_pending and accounts.can_decide_change(request.user, change)):
        raise AccessRefused(obj=change, detail="reject account change")
    form = RejectionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            accounts.account_change_reject(
                public_id=change.public_id,
                decider=request.user,
                reason=form.cleaned_data["reason"],
            )
        except AccountChangeNotAllowed as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Change rejected. Nothing has changed.")
            return redirect("accounts:changes")
    return render(
        request, "governance/account_change_reject.html", {"change": change, "form": form}
    )


# Sign-in lockouts (ASVS 2.2.1): the SPOC for their organisation's people, administrators all ---


def _lockout_page(request: HttpRequest, *, error: str = "") -> HttpResponse:
    locked_accounts, locked_addresses = lockout.lockout_list_for_user(user=request.user)
    return render(
        request,
        "accounts/lockout_list.html",
        {
            "locked_accounts": locked_accounts,
            "locked_addresses": locked_addresses,
            "sees_addresses": lockout.can_unlock_address(request.user),
            "failure_limit": lockout.failure_limit(),
            "lockout_minutes": lockout.lockout_minutes(),
            "error": error,
        },
    )


@require_GET
@login_required
def lockout_list(request: HttpRequest) -> HttpResponse:
    if not lockout.can_see_lockouts(request.user):
        raise AccessRefused(detail="sign-in lockouts")
    return _lockout_page(request)


@require_POST
@login_required
def lockout_unlock(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    if not lockout.can_see_lockouts(request.user):
        raise AccessRefused(detail="unlock sign-in")
    account = _account(public_id)
    name = account.full_name or account.email
    if lockout.lockout_account_unlock(actor=request.user, public_id=account.public_id):
        messages.success(request, lockout.UNLOCKED_MESSAGE.format(name=name))
    else:
        messages.success(request, lockout.NOT_LOCKED_MESSAGE.format(name=name))
    return redirect("accounts:lockouts")


@require_POST
@login_required
def lockout_unlock_address(request: HttpRequest) -> HttpResponse:
    if not lockout.can_unlock_address(request.user):
        raise AccessRefused(detail="unlock sign-in address")
    try:
        unlocked = lockout.lockout_address_unlock(
            actor=request.user, address=request.POST.get("address", "")
        )
    except ValueError:
        return _lockout_page(request, error=lockout.ADDRESS_INVALID_MESSAGE)
    address = lockout.canonical_ip(request.POST["address"])
    message = lockout.ADDRESS_UNLOCKED_MESSAGE if unlocked else lockout.ADDRESS_NOT_LOCKED_MESSAGE
    messages.success(request, message.format(address=address))
    return redirect("accounts:lockouts")


# Setting one's own password ---------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@never_cache
def password_set(request: HttpRequest, account_ref: str, token: str) -> HttpResponse:
    account = accounts.password_link_account(account_ref=account_ref, token=token)
    if account is None:
        return render(request, "governance/password_link_expired.html")
    form = PasswordSetForm(request.POST if request.method == "POST" else None, account=account)
    if request.method == "POST" and form.is_valid():
        account = accounts.password_set(account=account, password=form.cleaned_data["new_password"])
        session_keep(request, account=account)
        messages.success(request, "Your password has been set. Sign in with it.")
        return redirect("login")
    return render(request, "governance/password_set.html", {"form": form})


@require_http_methods(["GET", "POST"])
def password_forgotten(request: HttpRequest) -> HttpResponse:
    form = ForgottenPasswordForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        accounts.password_link_request(email=form.cleaned_data["email"])
        return render(request, "governance/password_link_requested.html")
    return render(request, "governance/password_forgotten.html", {"form": form})
