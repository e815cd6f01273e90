"""The consent records each page lists or shows."""

from __future__ import annotations

import uuid

from django.db.models import QuerySet

from consent.models import ConsentRecord
from requests_app.models import InformationRequest


def consent_list_for_request(*, req: InformationRequest) -> QuerySet[ConsentRecord]:
    """/requests/<ref>/consent/: a request's consent records, newest first, withdrawn ones
    included (protocol 5.1: they are kept)."""
    return (
        ConsentRecord.objects.filter(request=req)
        .select_related("witnessed_by", "withdrawn_by")
        .order_by("-created_at", "-id")
    )


def consent_detail(*, req: InformationRequest, public_id: uuid.UUID) -> ConsentRecord:
    """One record of the request, with everything its page and its PDF print (no further
    queries). The request object is the one the caller already fetched."""
    record = ConsentRecord.objects.select_related("witnessed_by", "withdrawn_by").get(
        request=req, public_id=public_id
    )
    record.request = req
    return record
