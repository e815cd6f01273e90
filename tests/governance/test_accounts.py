"""Organisations and accounts: the administrator never holds a role (10.5.1-10.5.2), changes of
organisation and role need a second person (7.4), people set their own passwords, and Django's
admin is for superusers only, signed in through the audited sign-in."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.db import IntegrityError, transaction
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from governance.accounts import services as accounts
from governance.accounts.forms import AccountValuesForm
from governance.accounts.services import AccountValues
from governance.audit.models import AuditAction, AuditEvent
from governance.people.factories import DEMO_PASSWORD, UserFactory
from governance.people.models import (
    ADMIN_HOLDS_NO_ROLE_MESSAGE,
    AccountChange,
    AccountChangeStatus,
    Organisation,
    SpocRole,
    User,
)
from requests_app.models import InformationRequestUserObjectPermission
from tests import workflow_helpers as wf
from tests.second_factor_helpers import next_code

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "violet-harbour-lantern-2026"


@pytest.fixture
def root(reference_data) -> User:
    """Root: a superuser, for break-glass work in Django's admin only."""
    return User.objects.create_superuser(
        "root@portal.example", DEMO_PASSWORD, full_name="Root Operator"
    )


@pytest.fixture
def lena(lfb) -> User:
    """Lena: the London Fire Brigade SPOC."""
    return UserFactory(
        email="lena@lfb.example", full_name="Lena Lord", organisation=lfb, spoc_role=SpocRole.SPOC
    )


def propose(proposer: User, account: User, **values: object) -> AccountChange:
    current = AccountValues.of(account)
    return accounts.account_change_propose(
        proposer=proposer,
        public_id=account.public_id,
        values=AccountValues(**{**current.__dict__, **values}),
    )


def confirm_url(change: AccountChange) -> str:
    return reverse("accounts:change_confirm", args=[change.public_id])


def last_event(action: AuditAction) -> AuditEvent:
    event = AuditEvent.objects.filter(action=action).order_by("-id").first()
    assert event is not None, f"no {action.label} event"
    return event


def assert_refused(response, actor: User) -> None:
    assert response.status_code == 403
    event = last_event(AuditAction.PERMISSION_DENIED)
    assert event.actor == actor


# 1. An administrator never holds an organisation or a role ------------------------------------


def test_the_database_refuses_an_administrator_with_an_organisation(adam, council):
    adam.organisation = council
    with pytest.raises(IntegrityError), transaction.atomic():
        adam.save()


@pytest.mark.parametrize(
    "role",
    [
        {"is_requesting_officer": True},
        {"is_disclosing_officer": True},
        {"is_board_member": True},
    ],
    ids=["requesting", "disclosing", "board"],
)
def test_the_database_refuses_an_administrator_with_an_officer_role(adam, role):
    for name, value in role.items():
        setattr(adam, name, value)
    with pytest.raises(IntegrityError), transaction.atomic():
        adam.save()


def test_the_admin_form_refuses_an_administrator_with_an_organisation(client, root, council):
    client.force_login(root)
    response = client.post(
        reverse("admin:governance_user_add"),
        {
            "email": "eve@portal.example",
            "full_name": "Eve Admin",
            "organisation": council.pk,
            "is_portal_admin": "on",
        },
    )
    assert response.status_code == 200
    assert ADMIN_HOLDS_NO_ROLE_MESSAGE in response.content.decode()
    assert not User.objects.filter(email="eve@portal.example").exists()


def test_the_portal_form_refuses_roles_for_an_administrator_account(ava, council):
    form = AccountValuesForm(
        {"organisation": council.pk, "roles": ["requesting"], "spoc_role": "none"}, account=ava
    )
    assert not form.is_valid()
    assert ADMIN_HOLDS_NO_ROLE_MESSAGE in form.errors["organisation"]


def test_demo_data_satisfies_the_constraints(reference_data, settings):
    from django.core.management import call_command

    settings.DEBUG = settings.DEMO_MODE = True
    call_command("demo_data", verbosity=0)
    admin = User.objects.get(email="admin@portal.example")
    assert admin.is_portal_admin
    assert not admin.holds_organisation_or_role


# 3. A second person confirms changes of organisation and role -----------------------------------


def test_a_role_change_takes_effect_only_when_the_organisations_spoc_confirms(
    client, adam, colin, cora, council
):
    change = propose(adam, colin, is_disclosing_officer=True)
    colin.refresh_from_db()
    assert not colin.is_disclosing_officer
    proposed = last_event(AuditAction.ACCOUNT_CHANGE_PROPOSED)
    assert proposed.actor == adam
    assert proposed.receiving_organisation == council
    assert "roles requesting -> requesting,disclosing" in proposed.detail

    client.force_login(cora)
    response = client.post(confirm_url(change))
    assert response.status_code == 302
    colin.refresh_from_db()
    assert colin.is_disclosing_officer
    assert colin.is_requesting_officer
    change.refresh_from_db()
    assert change.status == AccountChangeStatus.CONFIRMED
    assert change.decided_by == cora
    event = last_event(AuditAction.ACCOUNT_CHANGE_CONFIRMED)
    assert event.actor == cora
    assert event.receiving_organisation == council
    assert event.detail == (
        "colin@council.example: organisation council -> council; "
        "roles requesting -> requesting,disclosing; active yes -> yes"
    )
    assert event.object_reference == str(change.public_id)
    # protocol 7.4: the Council's SPOC sees the change on the audit page.
    page = client.get(reverse("oversight:audit"), {"action": "account_change_confirmed"})
    assert len(page.context["page"].events) == 1


def test_the_backup_spoc_of_the_organisation_can_confirm(client, adam, bea, sally, sid):
    change = propose(adam, bea, is_requesting_officer=True)
    client.force_login(sid)
    assert client.post(confirm_url(change)).status_code == 302
    bea.refresh_from_db()
    assert bea.is_requesting_officer


def test_the_proposer_cannot_confirm_their_own_proposal(client, adam, colin):
    change = propose(adam, colin, is_board_member=True)
    client.force_login(adam)
    assert_refused(client.post(confirm_url(change)), adam)
    colin.refresh_from_db()
    assert not colin.is_board_member
    change.refresh_from_db()
    assert change.status == AccountChangeStatus.PENDING
    assert not AuditEvent.objects.filter(action=AuditAction.ACCOUNT_CHANGE_CONFIRMED).exists()


def test_a_spoc_of_another_organisation_cannot_confirm(client, adam, colin, sally):
    change = propose(adam, colin, is_board_member=True)
    client.force_login(sally)
    assert_refused(client.post(confirm_url(change)), sally)
    assert_refused(client.get(reverse("accounts:change_detail", args=[change.public_id])), sally)
    colin.refresh_from_db()
    assert not colin.is_board_member


def test_an_officer_cannot_confirm_a_change_to_their_own_account(client, adam, cora):
    change = propose(adam, cora, is_requesting_officer=True)
    client.force_login(cora)
    assert_refused(client.post(confirm_url(change)), cora)
    cora.refresh_from_db()
    assert not cora.is_requesting_officer
    # Nor is it in their list of changes to decide.
    assert list(client.get(reverse("accounts:changes")).context["rows"]) == []


def test_an_officer_without_the_spoc_role_cannot_confirm(client, adam, colin, alice):
    change = propose(adam, colin, is_board_member=True)
    client.force_login(alice)
    assert_refused(client.post(confirm_url(change)), alice)


def test_a_second_administrator_can_confirm(client, adam, ava, colin):
    change = propose(adam, colin, is_board_member=True)
    client.force_login(ava)
    assert client.post(confirm_url(change)).status_code == 302
    colin.refresh_from_db()
    assert colin.is_board_member
    assert last_event(AuditAction.ACCOUNT_CHANGE_CONFIRMED).actor == ava


def test_a_move_is_confirmed_by_the_new_organisation_and_revokes_grants(
    client, adam, alice, bob, met, lfb, sally, lena
):
    wf.under_review(alice, met, bob)
    change = propose(adam, bob, organisation=lfb)
    client.force_login(sally)  # the SPOC of the organisation left
    assert_refused(client.post(confirm_url(change)), sally)
    assert InformationRequestUserObjectPermission.objects.filter(user=bob).exists()
    client.force_login(lena)
    assert client.post(confirm_url(change)).status_code == 302
    bob.refresh_from_db()
    assert bob.organisation == lfb
    assert not InformationRequestUserObjectPermission.objects.filter(user=bob).exists()
    event = last_event(AuditAction.ACCOUNT_CHANGE_CONFIRMED)
    # Both organisations' SPOCs see it (7.4).
    assert event.requesting_organisation == met
    assert event.receiving_organisation == lfb
    assert "organisation met -> lfb" in event.detail


def test_removing_the_disclosing_role_revokes_assigned_grants_only(
    client, adam, ava, alice, bob, met
):
    wf.under_review(alice, met, bob)
    accounts.account_change_confirm(
        public_id=propose(adam, bob, is_disclosing_officer=False).public_id, decider=ava
    )
    assert not InformationRequestUserObjectPermission.objects.filter(user=bob).exists()
    accounts.account_change_confirm(
        public_id=propose(adam, alice, is_board_member=True).public_id, decider=ava
    )
    assert InformationRequestUserObjectPermission.objects.filter(user=alice).exists()


def test_rejecting_needs_a_reason_and_changes_nothing(client, adam, colin, cora):
    change = propose(adam, colin, is_board_member=True)
    client.force_login(cora)
    url = reverse("accounts:change_reject", args=[change.public_id])
    response = client.post(url, {"reason": ""})
    assert response.status_code == 200
    assert accounts.REJECTION_REASON_MESSAGE in response.content.decode()
    response = client.post(url, {"reason": "Colin is not on the board."})
    assert response.status_code == 302
    change.refresh_from_db()
    assert change.status == AccountChangeStatus.REJECTED
    assert change.rejection_reason == "Colin is not on the board."
    colin.refresh_from_db()
    assert not colin.is_board_member
    event = last_event(AuditAction.ACCOUNT_CHANGE_REJECTED)
    assert event.actor == cora
    assert "roles requesting -> requesting,board" in event.detail


def test_a_decided_change_cannot_be_confirmed_again(client, adam, ava, colin, cora):
    change = propose(adam, colin, is_board_member=True)
    accounts.account_change_reject(public_id=change.public_id, decider=ava, reason="No.")
    client.force_login(cora)
    response = client.post(confirm_url(change))
    assert response.status_code == 200
    assert accounts.ALREADY_DECIDED_MESSAGE in response.content.decode()
    colin.refresh_from_db()
    assert not colin.is_board_member


def test_a_change_proposed_before_the_account_changed_is_refused(client, adam, ava, colin, cora):
    change = propose(adam, colin, is_board_member=True)
    accounts.account_deactivate(actor=ava, public_id=colin.public_id)
    client.force_login(cora)
    response = client.post(confirm_url(change))
    assert response.status_code == 200
    assert accounts.STALE_MESSAGE in response.content.decode()
    colin.refresh_from_db()
    assert not colin.is_active
    assert not colin.is_board_member


def test_a_second_spoc_for_an_organisation_is_refused_when_proposed(client, adam, sally, bea):
    client.force_login(adam)
    response = client.post(
        reverse("accounts:account_change", args=[bea.public_id]),
        {"organisation": bea.organisation_id, "roles": ["disclosing"], "spoc_role": "spoc"},
    )
    assert response.status_code == 200
    assert "Metropolitan Police" in response.context["form"].errors["spoc_role"][0]
    assert not AccountChange.objects.exists()


def test_the_organisations_spocs_are_told_a_change_waits_with_only_a_link(
    adam, colin, cora, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        change = propose(adam, colin, is_board_member=True)
    assert [m.to for m in mailoutbox] == [[cora.email]]
    body = mailoutbox[0].body
    assert f"/manage/changes/{change.public_id}/" in body
    assert colin.full_name not in body
    assert colin.email not in body


def test_a_proposal_through_the_page_is_recorded(client, adam, colin, council):
    client.force_login(adam)
    response = client.post(
        reverse("accounts:account_change", args=[colin.public_id]),
        {"organisation": council.pk, "roles": ["requesting", "board"], "spoc_role": "none"},
    )
    assert response.status_code == 302
    change = AccountChange.objects.get()
    assert change.new_is_board_member
    assert change.proposed_by == adam
    colin.refresh_from_db()
    assert not colin.is_board_member


def test_a_new_officer_account_is_inactive_until_confirmed_then_gets_a_link(
    client, adam, cora, council, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(adam)
    response = client.post(
        reverse("accounts:account_new"),
        {
            "full_name": "Nina Newcomer",
            "email": "Nina@Council.example",
            "organisation": council.pk,
            "roles": ["requesting"],
            "spoc_role": "none",
        },
    )
    assert response.status_code == 302
    nina = User.objects.get(email="nina@council.example")
    assert not nina.is_active
    assert not nina.is_requesting_officer
    assert not nina.has_usable_password()
    created = last_event(AuditAction.ACCOUNT_CREATED)
    assert created.actor == adam
    assert created.receiving_organisation == council

    client.force_login(cora)
    change = AccountChange.objects.get(account=nina)
    assert change.is_new_account
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(confirm_url(change)).status_code == 302
    nina.refresh_from_db()
    assert nina.is_active
    assert nina.is_requesting_officer
    assert [m.to for m in mailoutbox] == [["nina@council.example"]]
    assert "/account/set-password/" in mailoutbox[0].body
    assert "Nina" not in mailoutbox[0].body
    assert last_event(AuditAction.PASSWORD_LINK_SENT).actor == cora


def test_deactivation_is_immediate_audited_and_revokes_grants(client, adam, alice, bob, met):
    wf.under_review(alice, met, bob)
    client.force_login(adam)
    response = client.post(reverse("accounts:account_deactivate", args=[bob.public_id]))
    assert response.status_code == 302
    bob.refresh_from_db()
    assert not bob.is_active
    assert not InformationRequestUserObjectPermission.objects.filter(user=bob).exists()
    event = last_event(AuditAction.ACCOUNT_DEACTIVATED)
    assert event.actor == adam
    assert event.receiving_organisation == met
    # Giving access back is a proposal for a second person.
    response = client.post(reverse("accounts:account_reactivate", args=[bob.public_id]))
    assert response.status_code == 302
    bob.refresh_from_db()
    assert not bob.is_active
    assert AccountChange.objects.get(account=bob).new_is_active


# 2. The portal's pages are for administrators only ----------------------------------------------

GET_ONLY = {"accounts:organisations", "accounts:accounts", "accounts:account_detail"}
ADMIN_ONLY = [
    ("accounts:organisations", False),
    ("accounts:organisation_new", False),
    ("accounts:organisation_edit", "org"),
    ("accounts:accounts", False),
    ("accounts:account_new", False),
    ("accounts:account_detail", "account"),
    ("accounts:account_change", "account"),
    ("accounts:account_deactivate", "account"),
    ("accounts:account_reactivate", "account"),
    ("accounts:account_password_link", "account"),
]


def _admin_url(name: str, kind: str | bool, account: User) -> str:
    if kind == "org":
        return reverse(name, args=["met"])
    if kind == "account":
        return reverse(name, args=[account.public_id])
    return reverse(name)


@pytest.mark.parametrize(
    ("name", "kind", "method"),
    [
        (name, kind, method)
        for name, kind in ADMIN_ONLY
        for method in ("get", "post")
        if not (method == "post" and name in GET_ONLY)
    ],
)
def test_administrator_pages_refuse_officers_with_an_audited_403(
    client, sally, bea, name, kind, method
):
    client.force_login(sally)
    response = getattr(client, method)(_admin_url(name, kind, bea))
    assert_refused(response, sally)
    bea.refresh_from_db()
    assert bea.is_active
    assert not AccountChange.objects.exists()


@pytest.mark.parametrize(("name", "kind"), ADMIN_ONLY)
def test_administrator_pages_send_anonymous_people_to_sign_in(client, bea, name, kind):
    response = client.get(_admin_url(name, kind, bea))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_account_changes_page_refuses_an_officer_who_is_not_a_spoc(client, bob):
    client.force_login(bob)
    assert_refused(client.get(reverse("accounts:changes")), bob)


def test_administrator_pages_work_for_the_administrator(client, adam, bea, met):
    client.force_login(adam)
    for name, kind in ADMIN_ONLY:
        assert client.get(_admin_url(name, kind, bea)).status_code == 200, name
    page = client.get(reverse("accounts:accounts"), {"organisation": met.pk, "search": "bea"})
    assert [account.email for account in page.context["page"]] == ["bea@met.example"]


def test_organisations_are_added_and_changed_with_an_audit_event(client, adam):
    client.force_login(adam)
    data = {
        "name": "Tottenham Hotspur Foundation",
        "short_code": "thf",
        "department": "",
        "address": "",
        "phone": "",
        "protective_marking": "OFFICIAL-SENSITIVE",
        "is_active": "on",
    }
    assert client.post(reverse("accounts:organisation_new"), data).status_code == 302
    organisation = Organisation.objects.get(short_code="thf")
    assert last_event(AuditAction.ORGANISATION_CREATED).receiving_organisation == organisation
    data["phone"] = "020 7946 0999"
    url = reverse("accounts:organisation_edit", args=["thf"])
    assert client.post(url, data).status_code == 302
    assert last_event(AuditAction.ORGANISATION_CHANGED).detail == "organisation thf: phone"
    response = client.post(reverse("accounts:organisation_new"), {**data, "short_code": "x"})
    assert "An organisation with this name already exists" in response.content.decode()


def test_the_account_list_takes_the_same_queries_at_5_and_200_rows(
    client, adam, met, django_assert_max_num_queries
):
    client.force_login(adam)
    UserFactory.create_batch(5, organisation=met)
    with django_assert_max_num_queries(12) as small:
        client.get(reverse("accounts:accounts"))
    UserFactory.create_batch(195, organisation=met)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("accounts:accounts"))


def test_the_changes_list_takes_the_same_queries_at_5_and_20_rows(
    client, adam, ava, met, django_assert_max_num_queries
):
    people = UserFactory.create_batch(20, organisation=met)
    for person in people[:5]:
        propose(adam, person, is_board_member=True)
    client.force_login(ava)
    with django_assert_max_num_queries(12) as small:
        client.get(reverse("accounts:changes"))
    for person in people[5:]:
        propose(adam, person, is_board_member=True)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse("accounts:changes"))
    assert len(response.context["rows"]) == 20


# 4. People set their own passwords ----------------------------------------------------------------


def _link_path(body: str) -> str:
    match = re.search(r"https?://[^/\s]+(/account/set-password/\S+/)", body)
    assert match, body
    return match[1]


def test_the_password_link_email_carries_only_the_link_and_is_audited(
    client, adam, bob, met, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(adam)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:account_password_link", args=[bob.public_id]))
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == [bob.email]
    assert message.subject == accounts.PASSWORD_LINK_SUBJECT
    assert _link_path(message.body)
    assert bob.full_name not in message.body
    assert "Bob" not in message.body
    event = last_event(AuditAction.PASSWORD_LINK_SENT)
    assert event.actor == adam
    assert event.receiving_organisation == met


def test_the_link_sets_the_password_once_and_is_audited(client, bob, met):
    path = reverse(
        "accounts:password_set",
        args=[str(bob.public_id), default_token_generator.make_token(bob)],
    )
    assert client.get(path).status_code == 200
    response = client.post(path, {"new_password": "short", "confirm_password": "short"})
    assert response.status_code == 200
    assert "This password is too short" in response.content.decode()
    response = client.post(path, {"new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD})
    assert response.status_code == 302
    bob.refresh_from_db()
    assert bob.check_password(NEW_PASSWORD)
    event = last_event(AuditAction.PASSWORD_SET)
    assert event.actor == bob
    assert event.receiving_organisation == met
    assert NEW_PASSWORD not in event.detail
    # The link works once.
    assert "This link has expired" in client.get(path).content.decode()
    # Signing in with it is audited like every sign-in.
    client.post(reverse("login"), {"username": bob.email, "password": NEW_PASSWORD})
    assert last_event(AuditAction.SIGNED_IN).actor == bob


@pytest.mark.parametrize(
    "account_ref", ["not-a-uuid", "00000000-0000-0000-0000-000000000000", "bob"]
)
def test_an_invalid_link_shows_the_expired_page(client, bob, account_ref):
    ref = str(bob.public_id) if account_ref == "bob" else account_ref
    path = reverse("accounts:password_set", args=[ref, "1a2-badtoken"])
    for response in (client.get(path), client.post(path, {"new_password": NEW_PASSWORD})):
        assert response.status_code == 200
        assert "This link has expired or has already been used" in response.content.decode()
    bob.refresh_from_db()
    assert not bob.check_password(NEW_PASSWORD)


def test_an_inactive_account_gets_no_link(client, adam, ava, bob):
    accounts.account_deactivate(actor=ava, public_id=bob.public_id)
    client.force_login(adam)
    response = client.post(reverse("accounts:account_password_link", args=[bob.public_id]))
    assert accounts.INACTIVE_ACCOUNT_LINK_MESSAGE in response.content.decode()
    assert not AuditEvent.objects.filter(action=AuditAction.PASSWORD_LINK_SENT).exists()


def test_forgotten_password_says_the_same_whether_or_not_the_account_exists(
    client, bob, mailoutbox, django_capture_on_commit_callbacks
):
    url = reverse("accounts:password_forgotten")
    assert "Forgotten your password?" in client.get(reverse("login")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post(url, {"email": "BOB@met.example"})
    with django_capture_on_commit_callbacks(execute=True):
        unknown = client.post(url, {"email": "nobody@met.example"})
    assert known.status_code == unknown.status_code == 200
    assert known.content == unknown.content
    assert [m.to for m in mailoutbox] == [[bob.email]]
    events = AuditEvent.objects.filter(action=AuditAction.PASSWORD_LINK_REQUESTED)
    assert events.count() == 2
    assert "nobody" not in " ".join(events.values_list("detail", flat=True))
    assert last_event(AuditAction.PASSWORD_LINK_SENT).actor is None


# 5. Django's admin: superusers only, signed in through the audited sign-in ----------------------


def test_admin_login_goes_through_the_audited_sign_in(client, root):
    response = client.get(reverse("admin:login") + "?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == reverse("login") + "?next=/admin/"
    response = client.post(
        response["Location"], {"username": root.email, "password": DEMO_PASSWORD}
    )
    assert response["Location"] == "/admin/"
    assert last_event(AuditAction.SIGNED_IN).actor == root
    # The admin too waits for the second factor (ADR 0006).
    response = client.get("/admin/")
    assert response["Location"] == reverse("accounts:second_factor_set_up") + "?next=%2Fadmin%2F"
    client.get(response["Location"])
    device = TOTPDevice.objects.get(user=root)
    response = client.post(response["Location"], {"otp_token": next_code(device)})
    assert response.context["continue_url"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_the_administrator_who_is_not_a_superuser_gets_no_access_to_the_admin(client, adam):
    client.force_login(adam)
    response = client.get("/admin/governance/user/", follow=True)
    assert_refused(response, adam)


def test_the_user_admin_sets_no_passwords_and_shows_roles_read_only(client, root, bea):
    client.force_login(root)
    assert client.get(f"/admin/governance/user/{bea.pk}/password/").status_code in (302, 404)
    page = client.get(reverse("admin:governance_user_change", args=[bea.pk]))
    assert page.status_code == 200
    form = page.context["adminform"].form
    assert "is_disclosing_officer" not in form.fields
    assert "organisation" not in form.fields
    assert "password" not in form.fields
    assert "email" not in form.fields  # where password links go: not changed by one person


def test_the_confirming_spoc_sees_the_email_and_a_warning_for_a_lookalike(client, adam, sally, bob):
    # A new account borrowing a colleague's name with an outside address: the password link
    # would go to whoever owns that address, so the second person is shown both.
    client.force_login(adam)
    response = client.post(
        reverse("accounts:account_new"),
        {
            "full_name": bob.full_name,
            "email": "bob.brown@elsewhere.example",
            "organisation": bob.organisation.pk,
            "roles": ["disclosing"],
            "spoc_role": "none",
        },
    )
    assert response.status_code == 302
    change = AccountChange.objects.get(account__email="bob.brown@elsewhere.example")
    client.force_login(sally)
    body = client.get(reverse("accounts:change_detail", args=[change.public_id])).text
    assert "bob.brown@elsewhere.example" in body
    assert "Check the address" in body
    assert f"Another account has the same name: {bob.email}" in body
