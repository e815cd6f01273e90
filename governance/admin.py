"""Administration of organisations and accounts. No model holding personal data about subjects is
registered here: the portal administrator never sees it."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import HttpRequest

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
        super().save_model(request, obj, form, change)
        changed = ", ".join(sorted(form.changed_data))[:250]
        audit.record(
            action=AuditAction.ACCOUNT_CHANGED if change else AuditAction.ACCOUNT_CREATED,
            actor=request.user,
            # The account's organisation, so its SPOC sees changes to their own people (7.4).
            receiving_organisation=obj.organisation,
            detail=f"user {obj.pk}: {changed}",
        )
