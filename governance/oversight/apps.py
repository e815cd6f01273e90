from django.apps import AppConfig


class OversightConfig(AppConfig):
    """The SPOC's review of the audit trail (protocol 7.4, 10.5.2), and the board's reports."""

    name = "governance.oversight"
    label = "oversight"
    default_auto_field = "django.db.models.BigAutoField"
