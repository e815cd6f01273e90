from django.apps import AppConfig


class BreachesConfig(AppConfig):
    """The breach register: breaches of the protocol and the UK GDPR Art 33(5) record of each."""

    name = "governance.breaches"
    label = "breaches"
    default_auto_field = "django.db.models.BigAutoField"
