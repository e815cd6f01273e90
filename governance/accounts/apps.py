from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Signing in, passwords, and the administration of organisations and accounts, with the
    second person who confirms each change of role or organisation."""

    name = "governance.accounts"
    label = "accounts"
    default_auto_field = "django.db.models.BigAutoField"
