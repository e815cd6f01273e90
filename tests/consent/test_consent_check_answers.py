"""The Consent form ends with "Check your answers": nothing is saved until the requester
confirms, a "Change" link brings the answers back, and questions that did not apply are not
listed. The form reveals a follow-up question only under the answer it hangs on."""

from __future__ import annotations

import pytest
from django.urls import reverse

from consent.models import ConsentRecord
from governance.audit.models import AuditAction, AuditEvent
from tests.consent.conftest import SIGNER_NAME, consent_post
from tests.html_reveals import reveals

pytestmark = pytest.mark.django_db


def new_url(req) -> str:
    return reverse("consent:new", args=[req.reference])


def check_url(req) -> str:
    return reverse("consent:check", args=[req.reference])


def test_the_form_leads_to_check_answers_and_saves_nothing(client, alice, req):
    client.force_login(alice)
    response = client.post(new_url(req), consent_post(disclosing_officer_ref="MET/77"))
    assert response["Location"] == check_url(req)
    assert not ConsentRecord.objects.exists()
    body = client.get(check_url(req)).content.decode()
    assert "Check your answers before recording consent" in body
    assert SIGNER_NAME in body
    assert "MET/77" in body
    assert f'href="{new_url(req)}#id_signer_name"' in body
    # Questions that do not apply to these answers are not listed.
    assert "In what capacity is the signer acting?" not in body
    assert "Stage 1" not in body
    assert not ConsentRecord.objects.exists()


def test_change_brings_the_answers_back_and_confirm_saves_through_the_service(client, alice, req):
    client.force_login(alice)
    client.post(new_url(req), consent_post(signer_name="Pat Other"))
    form_page = client.get(new_url(req)).content.decode()
    assert 'value="Pat Other"' in form_page
    client.post(new_url(req), consent_post())
    response = client.post(check_url(req))
    record = ConsentRecord.objects.get()
    assert response["Location"] == reverse("consent:detail", args=[req.reference, record.public_id])
    assert record.signer_name == SIGNER_NAME
    assert AuditEvent.objects.filter(action=AuditAction.CONSENT_RECORDED).count() == 1
    # The answers are gone once saved: the form starts again empty.
    assert client.get(check_url(req))["Location"] == new_url(req)
    assert SIGNER_NAME not in client.get(new_url(req)).content.decode()


def test_follow_ups_that_apply_are_listed(client, alice, req):
    client.force_login(alice)
    client.post(
        new_url(req),
        consent_post(
            about_signer="no",
            signer_capacity="attorney",
            capacity_in_doubt="yes",
            capacity_impairment="yes",
            unable_to=["understand"],
        ),
    )
    body = client.get(check_url(req)).content.decode()
    assert "In what capacity is the signer acting?" in body
    assert "Stage 2" in body


def test_without_answers_to_check_the_check_page_goes_back_to_the_form(client, alice, req):
    client.force_login(alice)
    assert client.get(check_url(req))["Location"] == new_url(req)
    assert client.post(check_url(req))["Location"] == new_url(req)
    assert not ConsentRecord.objects.exists()


@pytest.mark.parametrize("persona", ["colin", "charlie", "bob", "sally", "adam"])
def test_only_the_requester_may_check_and_confirm(client, request, alice, req, persona):
    client.force_login(alice)
    client.post(new_url(req), consent_post())
    other = request.getfixturevalue(persona)
    client.force_login(other)
    assert client.get(check_url(req)).status_code == 403
    assert client.post(check_url(req)).status_code == 403
    assert not ConsentRecord.objects.exists()


def test_the_form_reveals_follow_ups_under_their_answer(client, alice, req):
    client.force_login(alice)
    found = reveals(client.get(new_url(req)).content.decode())
    # "No, the information is not about the signer": in what capacity they act (and "Other").
    assert {"signer_capacity", "signer_capacity_other"} <= found["id_about_signer_1"]
    # Doubt about capacity: stage 1, and under its "yes", stage 2.
    assert {"capacity_impairment", "unable_to"} <= found["id_capacity_in_doubt_0"]
    assert found["id_capacity_impairment_0"] == {"unable_to"}
    assert "id_about_signer_0" not in found  # "Yes" reveals nothing


def test_a_childs_form_reveals_the_reason_only_under_sufficient_understanding(
    client, alice, child_req
):
    client.force_login(alice)
    found = reveals(client.get(new_url(child_req)).content.decode())
    assert found["id_child_sufficient_understanding_0"] == {"no_parental_consent_reason"}
