"""The breach register's queries."""

from __future__ import annotations

from django.db.models import Case, IntegerField, QuerySet, Value, When

from governance.breaches.models import Breach, BreachStatus
from governance.people.models import User

# Queries -------------------------------------------------------------------------------------


def breach_list_for_register(*, user: User) -> QuerySet[Breach]:
    """/breaches/: the breaches of the viewer's organisation, open first, newest first."""
    open_first = Case(
        When(status=BreachStatus.OPEN, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return (
        Breach.objects.filter(organisation_id=user.organisation_id)
        .annotate(open_rank=open_first)
        .order_by("open_rank", "-became_aware_at", "-id")
    )


def breach_detail(*, reference: str) -> Breach:
    return Breach.objects.select_related("organisation", "reported_by", "request").get(
        reference=reference
    )
