from django.apps import AppConfig


class UiConfig(AppConfig):
    """The GOV.UK toolkit: widgets, template tags, the crispy-forms template pack, converters."""

    name = "ui"
    default_auto_field = "django.db.models.BigAutoField"
