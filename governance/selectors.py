from __future__ import annotations

from django.db.models import Q, QuerySet

from governance.models import AuditEvent, User


def audit_events_for_spoc(*, user: User) -> QuerySet[AuditEvent]:
    """protocol 7.4: the events that involve the SPOC's organisation: its people's actions, and
    requests to or from it. Never other organisations' internal events."""
    org_id = user.organisation_id
    return (
        AuditEvent.objects.filter(
            Q(actor_organisation_id=org_id)
            | Q(requesting_organisation_id=org_id)
            | Q(receiving_organisation_id=org_id)
        )
        .select_related("actor_organisation")
        .order_by("-occurred_at", "-id")
    )
