"""Edge cases: consent ties a draft to its person and partner; moved reporters; odd input."""

from __future__ import annotations

import pytest
from django.urls import reverse

from governance.people.models import User
from requests_app.models import InformationRequest
from requests_app.rules import CONSENT_REASON
from tests import workflow_helpers as wf
from tests.consent.conftest import consent_post, record_consent
from tests.requests_app.test_request_views import part_a_post

pytestmark = pytest.mark.django_db


def test_consent_fixes_the_drafts_partner_and_person(client, alice, met, lfb):
    req = wf.draft(
        alice,
        met,
        subject_role="victim",
        consent_obtained="yes",
        public_interest="",
        public_interest_reason="",
    )
    record_consent(req, alice)
    client.force_login(alice)
    for page in ("about-you", "about-the-person"):
        url = reverse("requests_app:part_a_page", args=[req.reference, page])
        assert CONSENT_REASON in client.get(url).content.decode()
    response = client.post(
        reverse("requests_app:edit", args=[req.reference]),
        part_a_post(
            met,
            receiving_organisation=str(lfb.pk),
            subject_name="Somebody Else",
            subject_role="victim",
            consent_obtained="yes",
            public_interest="",
            public_interest_reason="",
        ),
    )
    assert response.status_code == 302
    req = InformationRequest.objects.get(pk=req.pk)
    assert req.receiving_organisation == met
    assert req.subject_name == "Sam Example"


def test_a_draft_without_consent_can_still_change_partner(client, alice, met, lfb):
    req = wf.draft(alice, met)
    client.force_login(alice)
    client.post(
        reverse("requests_app:edit", args=[req.reference]),
        part_a_post(met, receiving_organisation=str(lfb.pk)),
    )
    req.refresh_from_db()
    assert req.receiving_organisation == lfb


def test_a_breach_reporter_who_moves_organisation_loses_sight_of_it(client, bob, met, council):
    from governance.breaches import permissions as breach_permissions
    from governance.breaches.models import Breach
    from tests.governance.test_breaches import report_post

    client.force_login(bob)
    assert client.post(reverse("breaches:new"), report_post()).status_code == 302
    breach = Breach.objects.get(organisation=met)
    assert breach_permissions.can_view(bob, breach)
    User.objects.filter(pk=bob.pk).update(organisation=council)
    bob.refresh_from_db()
    assert client.get(reverse("breaches:detail", args=[breach.reference])).status_code == 403


def test_consent_is_recorded_when_the_officer_has_no_position(client, alice, met, bob):
    req = wf.under_review(alice, met, bob)
    User.objects.filter(pk=alice.pk).update(job_title="")
    client.force_login(alice)
    response = client.post(reverse("consent:new", args=[req.reference]), consent_post())
    assert response.status_code == 302
    response = client.post(reverse("consent:check", args=[req.reference]))
    assert response.status_code == 302
    assert req.consent_records.get().witness_position == ""


@pytest.mark.parametrize(
    "url",
    [
        "/requests/%00/",
        "/requests/%00/pdf/",
        "/requests/%00/consent/",
        "/breaches/%00/",
        "/breaches/%00/update/",
    ],
)
def test_a_nul_in_a_reference_is_not_found(client, sally, url):
    client.force_login(sally)
    assert client.get(url).status_code == 404


def test_unicode_digits_are_not_numbers(client, sally):
    client.force_login(sally)
    assert client.get("/audit/", {"page": "²"}).status_code == 200
    response = client.get(
        "/audit/", {"date_from_day": "²", "date_from_month": "1", "date_from_year": "2026"}
    )
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
