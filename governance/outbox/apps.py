from django.apps import AppConfig


class OutboxConfig(AppConfig):
    """Every email the portal sends: written with the change it reports, sent by the task
    engine's workers, retried when the mail server fails, and shown to the SPOC if it never
    goes."""

    name = "governance.outbox"
    label = "outbox"
    default_auto_field = "django.db.models.BigAutoField"
