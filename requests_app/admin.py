from django.contrib import admin

from requests_app.models import Legislation


@admin.register(Legislation)
class LegislationAdmin(admin.ModelAdmin):
    """Administrators may add legislation entries to the Part A checklist."""

    list_display = ["act", "section", "position", "is_active"]
