from django.apps import AppConfig


class AuditConfig(AppConfig):
    """The append-only, hash-chained audit trail (golden rule 7, App. G 9, DPA 2018 s.62)."""

    name = "governance.audit"
    label = "audit"
    default_auto_field = "django.db.models.BigAutoField"
