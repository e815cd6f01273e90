from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    """The PDF engine: WeasyPrint with local-only resources, page furniture, password protection.
    Each form's template and context live in the app that owns the form."""

    name = "documents"
    default_auto_field = "django.db.models.BigAutoField"
