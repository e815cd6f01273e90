"""Who may see and record consent for a request (need-to-know: protocol 10.5.1-10.5.2)."""

from __future__ import annotations

from requests_app import permissions as request_permissions
from requests_app.models import InformationRequest
from requests_app.permissions import AnyUser


def can_view_consent(user: AnyUser, req: InformationRequest) -> bool:
    """A Consent form names the subject and the signer: exactly those who may see the request's
    personal details (10.5.2) may see it."""
    return request_permissions.can_view_personal_details(user, req)


def can_record_consent(user: AnyUser, req: InformationRequest) -> bool:
    """protocol 5.1, Appendix B: the requesting officer obtains consent and witnesses the form."""
    return request_permissions.is_requester(user, req)


def can_record_withdrawal(user: AnyUser, req: InformationRequest) -> bool:
    """protocol 5.1: the person may withdraw consent to either side of the exchange, so the
    requester or the assigned disclosing officer records it."""
    return request_permissions.is_requester(user, req) or request_permissions.is_assigned_discloser(
        user, req
    )
