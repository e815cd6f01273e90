"""Lists cost the same number of queries at 5 and at 200 rows, and exactly this many."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from requests_app.factories import InformationRequestFactory
from requests_app.models import Status

pytestmark = pytest.mark.django_db

# Each includes the session's second-factor device (OTPMiddleware, ADR 0006).
MINE_QUERIES = 8
INBOX_QUERIES = 9


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _make(n: int, **kwargs) -> None:
    for _ in range(n):
        InformationRequestFactory(**kwargs)


@pytest.mark.parametrize("url_name", ["requests_app:mine"])
def test_my_requests_query_count_is_constant(client, alice, met, url_name):
    _make(5, requester=alice, receiving_organisation=met)
    client.force_login(alice)
    at_5 = _queries(client, reverse(url_name))
    _make(195, requester=alice, receiving_organisation=met)
    at_200 = _queries(client, reverse(url_name))
    assert at_5 == at_200
    # Pinned: a new query on the page must be a decision, not an accident.
    assert at_5 == MINE_QUERIES


def test_inbox_query_count_is_constant(client, alice, bob, met):
    _make(5, requester=alice, receiving_organisation=met, status=Status.SUBMITTED)
    client.force_login(bob)
    at_5 = _queries(client, reverse("requests_app:inbox"))
    _make(
        195,
        requester=alice,
        receiving_organisation=met,
        status=Status.UNDER_REVIEW,
        assigned_officer=bob,
    )
    at_200 = _queries(client, reverse("requests_app:inbox"))
    assert at_5 == at_200
    filtered = _queries(client, reverse("requests_app:inbox") + "?assigned=me&status=under_review")
    assert filtered == at_5
    # Pinned: a new query on the page must be a decision, not an accident.
    assert at_5 == INBOX_QUERIES
