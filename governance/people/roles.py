"""Who holds which role (protocol 7.1-7.4).

One function per question; views and templates ask here."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from governance.people.models import User

AnyUser = User | AnonymousUser


def is_officer(user: AnyUser) -> bool:
    """A signed-in person who works for a Partner Organisation (not only an administrator)."""
    return bool(user.is_authenticated and user.is_active and user.organisation_id)


def can_request(user: AnyUser) -> bool:
    # protocol 8.3: requests are made by officers of a partner, on the form.
    return is_officer(user) and user.is_requesting_officer


def can_disclose(user: AnyUser) -> bool:
    # protocol 9.1-9.6: the disclosing officer of the receiving organisation decides.
    return is_officer(user) and user.is_disclosing_officer


def is_spoc(user: AnyUser) -> bool:
    # protocol 7.4: the SPOC and the back-up SPOC review compliance for their organisation.
    return is_officer(user) and user.is_spoc_or_backup


def is_board_member(user: AnyUser) -> bool:
    return is_officer(user) and user.is_board_member


def is_portal_admin(user: AnyUser) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_portal_admin)


def sees_inbox(user: AnyUser) -> bool:
    """The organisation's queue: its disclosing officers, and its SPOCs (who reassign)."""
    return can_disclose(user) or is_spoc(user)
