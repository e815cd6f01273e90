"""protocol 10.5.2: need-to-know follows a person's current organisation and role."""

from __future__ import annotations

import pytest
from django.urls import reverse

from governance.models import AuditAction, AuditEvent, User
from requests_app import workflow
from requests_app.models import DecisionRecord, InformationRequestUserObjectPermission, Status
from tests import workflow_helpers as wf
from tests.requests_app.test_request_views import part_a_post

pytestmark = pytest.mark.django_db


def _detail(req):
    return reverse("requests_app:detail", args=[req.reference])


def test_receiving_organisation_cannot_change_once_sent(client, alice, bob, charlie, met, lfb):
    req = wf.under_review(alice, met, bob)
    workflow.transition(
        reference=req.reference, action="request_more_information", actor=bob, note="Dates?"
    )
    client.force_login(alice)
    response = client.post(
        reverse("requests_app:edit", args=[req.reference]),
        part_a_post(met, receiving_organisation=str(lfb.pk)),
    )
    assert response.status_code == 302
    req.refresh_from_db()
    assert req.receiving_organisation == met
    client.force_login(charlie)
    assert list(client.get(reverse("requests_app:inbox")).context["page"]) == []


def test_a_discloser_moved_to_another_organisation_loses_access(client, alice, bob, met, lfb):
    req = wf.under_review(alice, met, bob)
    bob.organisation = lfb
    bob.save()
    client.force_login(bob)
    assert client.get(_detail(req)).status_code == 403
    assert client.get(reverse("requests_app:decide", args=[req.reference])).status_code == 403
    assert client.get(reverse("requests_app:pdf", args=[req.reference])).status_code == 403


def test_an_officer_who_stops_disclosing_loses_access(client, alice, bob, met):
    req = wf.under_review(alice, met, bob)
    bob.is_disclosing_officer = False
    bob.save()
    client.force_login(bob)
    assert client.get(_detail(req)).status_code == 403
    response = client.post(reverse("requests_app:decide", args=[req.reference]), {})
    assert response.status_code == 403
    assert not DecisionRecord.objects.exists()


def test_a_requester_moved_to_another_organisation_loses_access(client, alice, bob, met, lfb):
    req = wf.disclosed(alice, met, bob)
    alice.organisation = lfb
    alice.save()
    client.force_login(alice)
    response = client.get(_detail(req))
    assert response.status_code == 403
    assert req.subject_name not in response.content.decode()


def _admin_change(client, user: User, **changes) -> None:
    data = {
        "email": user.email,
        "full_name": user.full_name,
        "job_title": user.job_title,
        "phone": user.phone,
        "organisation": user.organisation_id,
        "department": user.department,
        "spoc_role": user.spoc_role,
        "is_active": "on",
    }
    if user.is_disclosing_officer:
        data["is_disclosing_officer"] = "on"
    if user.is_requesting_officer:
        data["is_requesting_officer"] = "on"
    data.update(changes)
    data = {k: v for k, v in data.items() if v is not None}
    response = client.post(reverse("admin:governance_user_change", args=[user.pk]), data)
    assert response.status_code == 302, response.context["adminform"].form.errors


def test_moving_an_officer_revokes_grants_and_tells_both_organisations(
    client, adam, alice, bob, met, lfb
):
    wf.under_review(alice, met, bob)
    assert InformationRequestUserObjectPermission.objects.filter(user=bob).exists()
    client.force_login(adam)
    _admin_change(client, bob, organisation=lfb.pk)
    assert not InformationRequestUserObjectPermission.objects.filter(user=bob).exists()
    event = AuditEvent.objects.filter(action=AuditAction.ACCOUNT_CHANGED).latest("id")
    assert event.requesting_organisation == met
    assert event.receiving_organisation == lfb


def test_removing_the_disclosing_role_revokes_assigned_grants_only(
    client, adam, alice, bob, met, council
):
    wf.under_review(alice, met, bob)
    client.force_login(adam)
    _admin_change(client, bob, is_disclosing_officer=None)
    assert not InformationRequestUserObjectPermission.objects.filter(user=bob).exists()
    _admin_change(client, alice, is_requesting_officer="on")  # no role lost: grants stay
    assert InformationRequestUserObjectPermission.objects.filter(user=alice).exists()


def test_an_administrator_setting_a_password_is_audited(client, adam, bob):
    client.force_login(adam)
    password = "another-long-passphrase-2026"
    response = client.post(
        reverse("admin:auth_user_password_change", args=[bob.pk]),
        {"password1": password, "password2": password, "usable_password": "true"},
    )
    assert response.status_code == 302
    event = AuditEvent.objects.filter(action=AuditAction.ACCOUNT_CHANGED).latest("id")
    assert event.actor == adam
    assert event.detail == f"user {bob.pk}: password"
    assert password not in event.detail


def test_a_malformed_attachment_id_is_not_found(client, alice, bob, met):
    req = wf.disclosed(alice, met, bob)
    client.force_login(alice)
    url = f"/requests/{req.reference}/attachments/not-a-uuid/"
    assert client.get(url).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_a_mail_server_that_is_down_does_not_break_a_saved_change(client, alice, met, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = 1  # nothing listens here: the connection is refused
    req = wf.draft(alice, met)
    client.force_login(alice)
    response = client.post(
        reverse("requests_app:submit", args=[req.reference]), {"signature_name": alice.full_name}
    )
    assert response.status_code == 302
    req.refresh_from_db()
    assert req.status == Status.SUBMITTED
