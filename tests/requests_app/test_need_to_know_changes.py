"""protocol 10.5.2: need-to-know follows a person's current organisation and role."""

from __future__ import annotations

import pytest
from django.urls import reverse

from governance.accounts import services as accounts
from governance.accounts.services import AccountValues
from governance.audit.models import AuditAction, AuditEvent
from governance.people.models import User
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


def _confirmed_change(proposer: User, decider: User, user: User, **changes) -> None:
    """An administrator proposes, a second person confirms (governance.accounts)."""
    current = AccountValues.of(user)
    change = accounts.account_change_propose(
        proposer=proposer,
        public_id=user.public_id,
        values=AccountValues(**{**current.__dict__, **changes}),
    )
    accounts.account_change_confirm(public_id=change.public_id, decider=decider)


def test_moving_an_officer_revokes_grants_and_tells_both_organisations(
    adam, ava, alice, bob, met, lfb
):
    wf.under_review(alice, met, bob)
    assert InformationRequestUserObjectPermission.objects.filter(user=bob).exists()
    _confirmed_change(adam, ava, bob, organisation=lfb)
    assert not InformationRequestUserObjectPermission.objects.filter(user=bob).exists()
    event = AuditEvent.objects.filter(action=AuditAction.ACCOUNT_CHANGE_CONFIRMED).latest("id")
    assert event.requesting_organisation == met
    assert event.receiving_organisation == lfb


def test_removing_the_disclosing_role_revokes_assigned_grants_only(
    adam, ava, alice, bob, met, council
):
    wf.under_review(alice, met, bob)
    _confirmed_change(adam, ava, bob, is_disclosing_officer=False)
    assert not InformationRequestUserObjectPermission.objects.filter(user=bob).exists()
    _confirmed_change(adam, ava, alice, is_board_member=True)  # no role lost: grants stay
    assert InformationRequestUserObjectPermission.objects.filter(user=alice).exists()


def test_deactivating_an_officer_revokes_assigned_grants(adam, alice, bob, met):
    wf.under_review(alice, met, bob)
    accounts.account_deactivate(actor=adam, public_id=bob.public_id)
    assert not InformationRequestUserObjectPermission.objects.filter(user=bob).exists()
    assert InformationRequestUserObjectPermission.objects.filter(user=alice).exists()


def test_an_administrator_cannot_set_a_password(client, adam, bob):
    """The person sets their own from a link (governance.accounts); the admin's page is gone."""
    client.force_login(adam)
    password = "another-long-passphrase-2026"
    client.post(
        f"/admin/governance/user/{bob.pk}/password/",
        {"password1": password, "password2": password, "usable_password": "true"},
    )
    bob.refresh_from_db()
    assert not bob.check_password(password)


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
