"""Who may report, see and manage a breach (protocol 7.1-7.4, 10.5.2)."""

from __future__ import annotations

from governance.breaches.models import Breach
from governance.people import roles
from governance.people.roles import AnyUser
from requests_app import permissions as request_permissions
from requests_app.models import InformationRequest

# Who may do what -----------------------------------------------------------------------------

# The same words whether the reference does not exist or the reporter may not see it: the form
# must not tell which references exist (10.5.2).
REQUEST_REFERENCE_MESSAGE = (
    "Enter the reference of a request you can see on the portal, like ISP-2026-000123, or "
    "leave it blank"
)


def request_may_be_linked(reporter: AnyUser, req: InformationRequest) -> bool:
    """A breach links only a request its reporter may see (10.5.2)."""
    return request_permissions.can_view_summary(reporter, req)


def can_report(user: AnyUser) -> bool:
    # protocol 7.1-7.3: any officer of a partner who finds or causes a breach reports it within
    # their own organisation.
    return roles.is_officer(user)


def can_view_register(user: AnyUser) -> bool:
    # protocol 7.3-7.4: the SPOCs review compliance and the board members deal with breaches.
    return roles.is_spoc(user) or roles.is_board_member(user)


def can_view(user: AnyUser, breach: Breach) -> bool:
    if not roles.is_officer(user):
        return False
    if user.pk == breach.reported_by_id and user.organisation_id == breach.organisation_id:
        return True  # the reporter, while still in the organisation (10.5.2)
    return can_view_register(user) and user.organisation_id == breach.organisation_id


def can_update(user: AnyUser, breach: Breach) -> bool:
    # protocol 7.4: the SPOC or back-up SPOC records the ICO decision and the action taken;
    # board members oversee it without editing the record.
    return roles.is_spoc(user) and user.organisation_id == breach.organisation_id
