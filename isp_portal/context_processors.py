from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from governance.accounts import lockout, sessions
from governance.breaches import permissions as breach_permissions
from governance.people import roles


def navigation(request: HttpRequest) -> dict[str, object]:
    """Service navigation items, each shown only to the roles that may use it (ui.md)."""
    user = request.user
    if not user.is_authenticated:
        return {"nav_items": []}
    timeout = settings.SESSION_COOKIE_AGE
    items: list[tuple[str, str]] = []
    if roles.sees_inbox(user):
        items.append(("Inbox", reverse("requests_app:inbox")))
    if roles.can_request(user):
        items.append(("My requests", reverse("requests_app:mine")))
        items.append(("New request", reverse("requests_app:new")))
    if roles.is_spoc(user):
        items.append(("Audit", reverse("oversight:audit")))
    if breach_permissions.can_view_register(user):
        items.append(("Breaches", reverse("breaches:register")))
    if roles.is_portal_admin(user):
        items.append(("Organisations", reverse("accounts:organisations")))
        items.append(("Accounts", reverse("accounts:accounts")))
    if roles.is_portal_admin(user):
        # DPA 2018 s.62: any organisation's log for the ICO (a SPOC reaches it from Audit).
        items.append(("Data protection log", reverse("oversight:s62_export")))
    if roles.is_portal_admin(user) or roles.is_spoc(user):
        # protocol 7.4: the second person confirming account changes.
        items.append(("Account changes", reverse("accounts:changes")))
    if roles.is_spoc(user):
        # protocol 7.4: the SPOC resets a lost phone of their organisation's people (ADR 0006).
        items.append(("People", reverse("accounts:organisation_people")))
    if lockout.can_see_lockouts(user):
        # ASVS 2.2.1: the SPOC unlocks their organisation's people, an administrator anyone.
        items.append(("Sign-in lockouts", reverse("accounts:lockouts")))
    if not getattr(user, "is_verified", lambda: False)():
        items = []  # only the second-factor pages are open until it is given (ADR 0006)
    # One item at most is marked: the one whose address is the longest start of this page's
    # (/requests/new/ is New request, not also My requests). GOV.UK service navigation: the page
    # itself is aria-current="page"; a page within the item's section is aria-current="true".
    path = request.path
    section = max(
        (url for _, url in items if url != "/" and path.startswith(url)), key=len, default=None
    )
    return {
        "session_timeout_seconds": timeout,
        "session_timeout_minutes": timeout // 60,
        # The absolute limit (governance.accounts.sessions): warned of, never extended.
        "session_ends_in_seconds": sessions.seconds_until_absolute_limit(request),
        "session_absolute_hours": settings.SESSION_ABSOLUTE_SECONDS // 3600,
        "nav_items": [
            {
                "label": label,
                "url": url,
                "current": url == section and path == url,
                "active": url == section and path != url,
            }
            for label, url in items
        ],
    }
