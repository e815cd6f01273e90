from django.apps import AppConfig


class PeopleConfig(AppConfig):
    """Partner organisations, the people who work for them and their roles (protocol 7.1-7.4).

    The app label stays "governance": AUTH_USER_MODEL is governance.User and the tables keep
    their names."""

    name = "governance.people"
    label = "governance"
    default_auto_field = "django.db.models.BigAutoField"
