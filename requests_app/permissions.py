"""Who may see and do what with a request (need-to-know: protocol 10.5.1-10.5.2, Caldicott 4).

Object permissions are held in django-guardian's direct foreign-key tables and granted or revoked
only by requests_app.workflow.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from governance.people import roles
from governance.people.models import User
from requests_app.models import InformationRequest, PersonalDetailsAccess, Status

AnyUser = User | AnonymousUser

VIEW_PERSONAL_DETAILS = "requests_app.view_personal_details"
DECIDE = "requests_app.decide_request"


def is_requester(user: AnyUser, req: InformationRequest) -> bool:
    # 10.5.2: need-to-know ends with the role. An officer who has since moved to another
    # organisation, or is no longer a requesting officer, no longer acts for the request.
    return (
        roles.can_request(user)
        and req.requester_id == user.pk
        and user.organisation_id == req.requesting_organisation_id
    )


def is_receiving_discloser(user: AnyUser, req: InformationRequest) -> bool:
    # protocol 9.1: a disclosing officer of the organisation the request was sent to.
    return (
        req.reached_partner
        and roles.can_disclose(user)
        and req.receiving_organisation_id == user.organisation_id
    )


def is_receiving_spoc(user: AnyUser, req: InformationRequest) -> bool:
    # protocol 7.4: the receiving organisation's SPOC or back-up oversees its queue.
    return (
        req.reached_partner
        and roles.is_spoc(user)
        and req.receiving_organisation_id == user.organisation_id
    )


def is_assigned_discloser(user: AnyUser, req: InformationRequest) -> bool:
    # Only the officer holding the guardian grant decides (granted on take/assign), while they
    # are still a disclosing officer of the receiving organisation.
    return is_receiving_discloser(user, req) and user.has_perm(DECIDE, req)


def can_view_summary(user: AnyUser, req: InformationRequest) -> bool:
    """The queue view: reference, dates, urgency and legislation, without personal details."""
    if is_requester(user, req):
        return True
    return is_receiving_discloser(user, req) or is_receiving_spoc(user, req)


def spoc_has_open_access(user: AnyUser, req: InformationRequest) -> bool:
    """7.4 vs 10.5.2: the receiving SPOC oversees the queue from the summary, and sees personal
    details only after recording why (services.personal_details_access_open), for a while."""
    return (
        is_receiving_spoc(user, req)
        and PersonalDetailsAccess.objects.filter(
            request=req, user=user, expires_at__gt=timezone.now()
        ).exists()
    )


def can_open_personal_details(user: AnyUser, req: InformationRequest) -> bool:
    """The receiving SPOC may ask to see personal details, giving a reason (ADR 0002)."""
    return is_receiving_spoc(user, req)


def can_view_personal_details(user: AnyUser, req: InformationRequest) -> bool:
    """10.5.2: the requester, the assigned disclosing officer, and the receiving SPOC for a
    recorded reason. Nobody else: not other officers, board members or administrators."""
    if not roles.is_officer(user):
        return False
    if spoc_has_open_access(user, req):
        return True
    # A grant counts only while its holder still has the role it was given for: the requester
    # in the requesting organisation, or a disclosing officer of the receiving organisation.
    if not (is_requester(user, req) or is_receiving_discloser(user, req)):
        return False
    return user.has_perm(VIEW_PERSONAL_DETAILS, req)


def can_edit(user: AnyUser, req: InformationRequest) -> bool:
    return is_requester(user, req) and req.status in (Status.DRAFT, Status.MORE_INFORMATION)


def can_delete_draft(user: AnyUser, req: InformationRequest) -> bool:
    # protocol 8.3: a draft that will not be sent is deleted by its requester, never withdrawn.
    return is_requester(user, req) and req.status == Status.DRAFT and not req.reached_partner


def can_take(user: AnyUser, req: InformationRequest) -> bool:
    return is_receiving_discloser(user, req)


def can_assign(user: AnyUser, req: InformationRequest) -> bool:
    return is_receiving_spoc(user, req)


def can_close(user: AnyUser, req: InformationRequest) -> bool:
    return is_requester(user, req) or is_assigned_discloser(user, req)


def can_give_back(user: AnyUser, req: InformationRequest) -> bool:
    # protocol 7.4: an officer who cannot take a request on hands it back to the SPOC's queue.
    return is_assigned_discloser(user, req)


def can_extend(user: AnyUser, req: InformationRequest) -> bool:
    """protocol 9.2 "agreed timescale": the assigned disclosing officer, or the receiving SPOC
    who oversees the queue (7.4), records an extension agreed with the requester."""
    return is_assigned_discloser(user, req) or is_receiving_spoc(user, req)
