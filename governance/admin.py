"""Administration of organisations and accounts. No model holding personal data about subjects is
registered here: the portal administrator never sees it."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import HttpRequest, HttpResponse

from governance import audit
from governance.models import AuditAction, Organisation, User


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "short_code", "protective_marking", "is_active"]
    search_fields = ["name", "short_code"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # organisations are deactivated, never deleted


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["full_name"]
    list_display = ["full_name", "email", "organisation", "spoc_role", "is_active"]
    list_filter = ["organisation", "spoc_role", "is_disclosing_officer", "is_board_member"]
    search_fields = ["full_name", "email"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Person", {"fields": ("full_name", "job_title", "phone", "organisation", "department")}),
        (
            "Roles",
            {
                "fields": (
                    "is_requesting_officer",
                    "is_disclosing_officer",
                    "spoc_role",
                    "is_board_member",
                    "is_portal_admin",
                    "is_active",
                )
            },
        ),
    )
    add_fieldsets = (
        (None, {"fields": ("email", "full_name", "organisation", "password1", "password2")}),
    )
    readonly_fields = ["last_login", "date_joined"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # people are deactivated, never deleted: their actions stay attributable

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        from requests_app.services import request_grants_revoke_after_account_change

        before = User.objects.filter(pk=obj.pk).first() if change else None
        super().save_model(request, obj, form, change)
        changed = ", ".join(sorted(form.changed_data))[:250]
        if before is not None:
            request_grants_revoke_after_account_change(before=before, after=obj)
        audit.record(
            action=AuditAction.ACCOUNT_CHANGED if change else AuditAction.ACCOUNT_CREATED,
            actor=request.user,
            # The account's organisations (before and after a move), so each SPOC sees changes
            # to their own people (7.4).
            requesting_organisation=before.organisation
            if before is not None and before.organisation_id != obj.organisation_id
            else None,
            receiving_organisation=obj.organisation,
            detail=f"user {obj.pk}: {changed}",
        )

    def user_change_password(
        self, request: HttpRequest, id: str, form_url: str = ""
    ) -> HttpResponse:
        """A password set by an administrator is an account change like any other: audited."""
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            user = User.objects.get(pk=id)
            audit.record(
                action=AuditAction.ACCOUNT_CHANGED,
                actor=request.user,
                receiving_organisation=user.organisation,
                detail=f"user {user.pk}: password",
            )
        return response
