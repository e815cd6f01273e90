from django.apps import AppConfig


class IspPortalConfig(AppConfig):
    """The site itself: settings, URLs, the home page, error pages, navigation, demo data."""

    name = "isp_portal"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.apps import apps
        from django.db.models.signals import post_migrate

        from isp_portal import checks  # noqa: F401  (registers the deployment checks)
        from isp_portal.schedules import ensure_schedules

        # Sent once per app with models: after the task engine's own tables are migrated.
        post_migrate.connect(ensure_schedules, sender=apps.get_app_config("django_q"))
