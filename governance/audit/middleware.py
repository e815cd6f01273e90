from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from governance.audit.trail import RequestContext, current_request_context


class AuditRequestContextMiddleware:
    """Makes the source IP and user agent available to audit.record() for this request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = current_request_context.set(
            RequestContext(
                ip_address=request.META.get("REMOTE_ADDR") or None,
                user_agent=request.META.get("HTTP_USER_AGENT", ""),
            )
        )
        try:
            return self.get_response(request)
        finally:
            current_request_context.reset(token)
