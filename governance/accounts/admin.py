"""Django's admin: break-glass operations by superusers only. Portal administrators manage
organisations and accounts on the portal's own pages (governance.account_views), where changes
of organisation and role need a second person. No model holding personal data about subjects is
registered here."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import URLPattern, reverse
from django.utils.http import url_has_allowed_host_and_scheme

from governance.accounts.views import sign_out
from governance.audit import trail as audit
from governance.audit.models import AuditAction
from governance.people.access import AccessRefused
from governance.people.models import Organisation, User

# Changed only through the two-person flow (governance.accounts), never here.
TWO_PERSON_FIELDS = (
    "organisation",
    "is_requesting_officer",
    "is_disclosing_officer",
    "spoc_role",
    "is_board_member",
    "is_portal_admin",
    "is_active",
)


def _superuser_only(request: HttpRequest) -> bool:
    """Superusers bypass every object rule, so the admin is theirs alone (break-glass)."""
    return bool(request.user.is_active and request.user.is_superuser)


def admin_sign_in(request: HttpRequest, extra_context: Any = None) -> HttpResponse:
    """Every sign-in goes through the portal's own, audited sign-in page. A signed-in person
    who is not a superuser is refused (and the refusal audited)."""
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = ""
    next_url = next_url or reverse("admin:index")
    if not request.user.is_authenticated:
        return redirect_to_login(next_url, reverse("login"))
    if not _superuser_only(request):
        raise AccessRefused(detail="Django admin: superusers only")
    return HttpResponseRedirect(next_url)


def admin_sign_out(request: HttpRequest, extra_context: Any = None) -> HttpResponse:
    return sign_out(request)


admin.site.has_permission = _superuser_only
admin.site.login = admin_sign_in
admin.site.logout = admin_sign_out


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "short_code", "protective_marking", "is_active"]
    search_fields = ["name", "short_code"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # organisations are deactivated, never deleted


class AccountAdminCreationForm(forms.ModelForm):
    """A break-glass account: a portal administrator (no organisation, no role), or an officer
    shell that stays inactive until its roles are proposed and confirmed on the portal. The
    person sets their own password from a link."""

    class Meta:
        model = User
        fields = ["email", "full_name", "job_title", "organisation", "is_portal_admin"]

    def save(self, commit: bool = True) -> User:
        user = super().save(commit=False)
        user.email = user.email.lower()
        user.is_active = user.is_portal_admin
        user.set_unusable_password()
        if commit:
            user.save()
        return user


class AccountAdminChangeForm(forms.ModelForm):
    class Meta:
        model = User
        # The email address is where password links go: changing it would hand the account to
        # whoever owns the new address, so it is read-only here like the roles.
        fields = ["full_name", "job_title", "phone", "department"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = AccountAdminChangeForm
    add_form = AccountAdminCreationForm
    ordering = ["full_name"]
    list_display = ["full_name", "email", "organisation", "spoc_role", "is_active"]
    list_filter = ["organisation", "spoc_role", "is_disclosing_officer", "is_board_member"]
    search_fields = ["full_name", "email"]
    fieldsets = (
        (None, {"fields": ("email",)}),
        ("Person", {"fields": ("full_name", "job_title", "phone", "department")}),
        ("Organisation and roles", {"fields": TWO_PERSON_FIELDS}),
    )
    add_fieldsets = (
        (
            None,
            {"fields": ("email", "full_name", "job_title", "organisation", "is_portal_admin")},
        ),
    )

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        if obj is None:
            return []
        return ["email", *TWO_PERSON_FIELDS, "last_login", "date_joined"]

    def get_urls(self) -> list[URLPattern]:
        # Administrators never set passwords: the person sets their own from a link.
        return [url for url in super().get_urls() if url.name != "auth_user_password_change"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # people are deactivated, never deleted: their actions stay attributable

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        changed = ", ".join(sorted(form.changed_data))[:250]
        audit.record(
            action=AuditAction.ACCOUNT_CHANGED if change else AuditAction.ACCOUNT_CREATED,
            actor=request.user,
            # The account's organisation, so its SPOC sees changes to their own people (7.4).
            receiving_organisation=obj.organisation,
            detail=f"{obj.email}: {changed} (Django admin)"[:300],
        )
