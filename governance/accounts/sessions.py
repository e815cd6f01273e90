"""Sessions (OWASP ASVS 4.0.3 chapter V3): how long one lasts, ending a person's other sessions
when their access changes, and keeping signed-in pages out of caches.

- Idle limit: SESSION_COOKIE_AGE (30 minutes) renewed by every request (settings), with the
  timeout warning in base.html (WCAG 2.2.1).
- Absolute limit (ASVS 3.3.2): SESSION_ABSOLUTE_SECONDS (12 hours) from sign-in, whatever the
  activity, enforced by SessionLifetimeMiddleware.
- Other sessions end (ASVS 3.3.3, 3.3.4) through the account's session generation, part of the
  session auth hash Django checks on every request (User.get_session_auth_hash): one counter,
  so it works with any session backend.
- No caching (ASVS 8.2.1): NoStoreMiddleware.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout, update_session_auth_hash
from django.contrib.auth.views import redirect_to_login
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, resolve_url
from django.utils.cache import add_never_cache_headers

from governance.people.models import User

# When the person signed in (seconds since the epoch), kept in their session.
SIGNED_IN_AT_KEY = "signed_in_at"

ABSOLUTE_LIMIT_MESSAGE = (
    "You have been signed out because you signed in more than {hours} hours ago. "
    "Sign in again to continue."
)


def absolute_limit_message() -> str:
    return ABSOLUTE_LIMIT_MESSAGE.format(hours=settings.SESSION_ABSOLUTE_SECONDS // 3600)


def sessions_end_all(*, account: User) -> None:
    """End every session of the account at its next request: called by the services that
    deactivate it, take a role away from it, reset its second factor or set its password, in
    their transaction (so nothing ends if the change is rolled back)."""
    User.objects.filter(pk=account.pk).update(session_generation=F("session_generation") + 1)
    account.refresh_from_db(fields=["session_generation"])


def session_keep(request: HttpRequest, *, account: User) -> None:
    """After sessions_end_all for the person's own change (their password), keep the session
    they made it in: only their other sessions end."""
    if request.user.is_authenticated and request.user.pk == account.pk:
        update_session_auth_hash(request, account)


def absolute_limit_passed(request: HttpRequest) -> bool:
    signed_in_at = request.session.get(SIGNED_IN_AT_KEY)
    if signed_in_at is None:
        return False
    return time.time() - signed_in_at >= settings.SESSION_ABSOLUTE_SECONDS


def seconds_until_absolute_limit(request: HttpRequest) -> int:
    """For the warning shown before the absolute limit (base.html, WCAG 2.2.1)."""
    signed_in_at = request.session.get(SIGNED_IN_AT_KEY, time.time())
    return max(int(signed_in_at + settings.SESSION_ABSOLUTE_SECONDS - time.time()), 0)


class SessionLifetimeMiddleware:
    """ASVS 3.3.2: a session ends SESSION_ABSOLUTE_SECONDS after sign-in, however active the
    person has been; they are sent to sign in again with a message saying why.

    A session left naming a person who can no longer sign in (deactivated) is ended too.

    The sign-in time is written on the response to the request that signed the person in (the
    first response that sees them signed in), so every way of signing in is covered."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.user.is_authenticated and SESSION_KEY in request.session:
            # The session names a person who can no longer sign in (a deactivated account):
            # end it rather than keep their id in it.
            request.session.flush()
        elif request.user.is_authenticated and absolute_limit_passed(request):
            logout(request)
            messages.info(request, absolute_limit_message())
            # After signing in again the person returns to the page, unless it was a form's
            # POST (its address may not answer a GET).
            login_url = resolve_url(settings.LOGIN_URL)
            if request.method != "GET":
                return redirect(login_url)
            if request.path == login_url:
                return redirect(request.get_full_path())
            return redirect_to_login(request.get_full_path())
        response = self.get_response(request)
        if request.user.is_authenticated and SIGNED_IN_AT_KEY not in request.session:
            request.session[SIGNED_IN_AT_KEY] = int(time.time())
        return response


class NoStoreMiddleware:
    """ASVS 8.2.1: no response to a signed-in person (pages, PDFs, attachments, redirects,
    refusals) may be kept by the browser's or any proxy's cache: `Cache-Control: no-store,
    private` (with Django's never-cache set). A response that signed the person out counts."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        signed_in_before = request.user.is_authenticated
        response = self.get_response(request)
        if signed_in_before or request.user.is_authenticated:
            add_never_cache_headers(response)
        return response
