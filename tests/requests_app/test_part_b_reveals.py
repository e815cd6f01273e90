"""Part B shows each question only when it applies: the disclosure's questions under "Yes", the
reason for declining under "No", "Other" delivery under "Other", why the person was not told
under "No"; whether the person was told is not asked at all when sharing with consent (App. G
9(f)). Every field stays in the HTML, so the page works without JavaScript."""

from __future__ import annotations

import pytest
from django.urls import reverse

from requests_app.models import Status
from tests import workflow_helpers as wf
from tests.html_reveals import reveals
from tests.requests_app.test_request_views import _decide_post

pytestmark = pytest.mark.django_db


def decide_url(req) -> str:
    return reverse("requests_app:decide", args=[req.reference])


def test_each_question_is_revealed_under_its_answer(client, alice, bob, met):
    req = wf.under_review(alice, met, bob)
    client.force_login(bob)
    found = reveals(client.get(decide_url(req)).content.decode())
    disclosing = found["id_disclosure_agreed_0"]
    assert {
        "decision_reasons",
        "information_disclosed",
        "attachments",
        "information_type",
        "delivery_method",
        "delivery_method_other",
        "subject_informed",
        "subject_not_informed_reason",
        "authorised_by",
    } <= disclosing
    assert "decline_reason" not in disclosing
    assert found["id_disclosure_agreed_1"] == {"decline_reason"}
    assert found["id_subject_informed_1"] == {"subject_not_informed_reason"}
    # The questions every decision answers are not hidden.
    every = set().union(*found.values())
    assert not {"share_consent", "checks", "signature_name"} & every


def test_sharing_with_consent_does_not_ask_whether_the_person_was_told(client, alice, bob, met):
    req = wf.under_review(alice, met, bob, subject_role="victim", consent_obtained="yes")
    client.force_login(bob)
    body = client.get(decide_url(req)).content.decode()
    assert 'name="subject_informed"' not in body
    assert 'name="subject_not_informed_reason"' not in body
    checks = [*_decide_post(bob)["checks"], "check_consent_evidence"]
    response = client.post(
        decide_url(req),
        _decide_post(bob, checks=checks, subject_informed=None, subject_not_informed_reason=None),
    )
    assert response.status_code == 302
    req.refresh_from_db()
    assert req.status == Status.DISCLOSED


def test_an_answer_to_a_hidden_question_of_the_other_outcome_is_not_kept(client, alice, bob, met):
    req = wf.under_review(alice, met, bob)
    client.force_login(bob)
    response = client.post(decide_url(req), _decide_post(bob, decline_reason="Left over."))
    assert response.status_code == 302
    req.refresh_from_db()
    assert req.disclosure.decline_reason == ""
