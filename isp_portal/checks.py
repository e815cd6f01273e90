"""Deployment checks of the portal's own settings, run by `manage.py check --deploy`."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Tags, Warning, register

PORTAL_BASE_URL_NOT_HTTPS = Warning(
    "PORTAL_BASE_URL does not start with https://.",
    hint="Links in emails (password-set links among them) must reach the portal over HTTPS: "
    "set PORTAL_BASE_URL to the portal's public https:// address.",
    id="isp_portal.W001",
)


@register(Tags.security, deploy=True)
def portal_base_url_is_https(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    if settings.PORTAL_BASE_URL.startswith("https://"):
        return []
    return [PORTAL_BASE_URL_NOT_HTTPS]
