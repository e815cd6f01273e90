"""Sign-in lockout (OWASP ASVS 2.2.1, governance.accounts.lockout): five failures for an account
or from an address, then 15 minutes; the SPOC or an administrator unlocks; a new password from
the emailed link unlocks; forgotten-password requests are throttled the same way."""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from axes.models import AccessAttempt
from django.contrib.auth import authenticate
from django.contrib.auth.tokens import default_token_generator
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from governance.accounts import lockout
from governance.accounts.views import SIGN_IN_FAILED_MESSAGE
from governance.audit.models import AuditAction, AuditEvent
from governance.people.factories import DEMO_PASSWORD, UserFactory
from governance.people.models import User

pytestmark = pytest.mark.django_db

OFFICE = "203.0.113.10"
HOME = "198.51.100.20"
NEW_PASSWORD = "violet-harbour-lantern-2026"
LIMIT = 5


def browser(address: str = OFFICE) -> Client:
    return Client(REMOTE_ADDR=address)


def sign_in(client: Client, email: str, password: str) -> HttpResponse:
    return client.post(reverse("login"), {"username": email, "password": password})


def signed_in_as(client: Client, user: User) -> bool:
    return client.session.get("_auth_user_id") == str(user.pk)


def fail(client: Client, email: str, times: int = LIMIT) -> None:
    for _ in range(times):
        response = sign_in(client, email, "not-the-password")
        assert response.status_code == 200


def events(action: AuditAction) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("id"))


def unlock(client: Client, account: User) -> HttpResponse:
    return client.post(reverse("accounts:lockout_unlock", args=[account.public_id]))


# Lockout ------------------------------------------------------------------------------------


def test_five_wrong_passwords_then_the_right_one_is_refused(alice):
    client = browser()
    fail(client, alice.email, LIMIT - 1)
    assert lockout.account_is_locked(alice) is False
    fail(client, alice.email, 1)
    assert lockout.account_is_locked(alice)
    response = sign_in(client, alice.email, DEMO_PASSWORD)
    assert response.status_code == 200
    assert SIGN_IN_FAILED_MESSAGE in response.content.decode()
    assert not signed_in_as(client, alice)
    assert not AuditEvent.objects.filter(action=AuditAction.SIGNED_IN).exists()


def test_four_wrong_passwords_then_the_right_one_signs_in(alice):
    client = browser()
    fail(client, alice.email, LIMIT - 1)
    response = sign_in(client, alice.email, DEMO_PASSWORD)
    assert response.status_code == 302
    assert signed_in_as(client, alice)


def test_the_lockout_ends_15_minutes_after_the_last_failure(alice):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        fail(browser(), alice.email)
    with time_machine.travel(start + datetime.timedelta(minutes=14, seconds=59), tick=False):
        client = browser(HOME)
        assert sign_in(client, alice.email, DEMO_PASSWORD).status_code == 200
        assert not signed_in_as(client, alice)
    with time_machine.travel(start + datetime.timedelta(minutes=15, seconds=1), tick=False):
        client = browser(HOME)
        assert sign_in(client, alice.email, DEMO_PASSWORD).status_code == 302
        assert signed_in_as(client, alice)


def test_attempts_while_locked_do_not_extend_the_lockout(alice):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        fail(browser(), alice.email)
    with time_machine.travel(start + datetime.timedelta(minutes=10), tick=False):
        fail(browser(), alice.email, 3)
    with time_machine.travel(start + datetime.timedelta(minutes=15, seconds=1), tick=False):
        assert sign_in(browser(), alice.email, DEMO_PASSWORD).status_code == 302


def test_the_address_typed_counts_whatever_its_case(alice):
    client = browser()
    fail(client, "ALICE@Council.example ", LIMIT)
    assert lockout.account_is_locked(alice)
    assert sign_in(browser(HOME), alice.email, DEMO_PASSWORD).status_code == 200


def _normalised(response: HttpResponse, typed: str) -> str:
    body = response.content.decode()
    body = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "csrf", body)
    body = re.sub(r'nonce="[^"]+"', "nonce", body)
    return body.replace(typed, "TYPED")


def test_a_locked_account_an_unknown_address_and_a_wrong_password_get_the_same_page(alice):
    wrong = sign_in(browser("192.0.2.1"), alice.email, "not-the-password")
    fail(browser("192.0.2.2"), alice.email)
    locked_known = sign_in(browser("192.0.2.3"), alice.email, DEMO_PASSWORD)
    unknown = "nobody@council.example"
    fail(browser("192.0.2.4"), unknown)
    locked_unknown = sign_in(browser("192.0.2.5"), unknown, DEMO_PASSWORD)
    pages = {
        _normalised(wrong, alice.email),
        _normalised(locked_known, alice.email),
        _normalised(locked_unknown, unknown),
    }
    assert len(pages) == 1
    assert wrong.status_code == locked_known.status_code == locked_unknown.status_code == 200
    assert SIGN_IN_FAILED_MESSAGE in pages.pop()


def test_five_failures_from_one_address_lock_it_for_every_account(bob):
    office = browser(OFFICE)
    for n in range(LIMIT):
        assert sign_in(office, f"guess-{n}@met.example", "Summer2026!").status_code == 200
    refused = browser(OFFICE)
    assert sign_in(refused, bob.email, DEMO_PASSWORD).status_code == 200
    assert not signed_in_as(refused, bob)
    elsewhere = browser(HOME)
    assert sign_in(elsewhere, bob.email, DEMO_PASSWORD).status_code == 302
    assert signed_in_as(elsewhere, bob)


def test_the_admins_sign_in_is_the_same_throttled_page(reference_data):
    root = User.objects.create_superuser(
        "root@portal.example", DEMO_PASSWORD, full_name="Root Operator"
    )
    client = browser()
    sign_in_page = client.get(reverse("admin:login") + "?next=/admin/")["Location"]
    assert sign_in_page == reverse("login") + "?next=/admin/"
    for _ in range(LIMIT):
        client.post(sign_in_page, {"username": root.email, "password": "not-the-password"})
    response = browser(HOME).post(sign_in_page, {"username": root.email, "password": DEMO_PASSWORD})
    assert response.status_code == 200
    assert SIGN_IN_FAILED_MESSAGE in response.content.decode()


def test_the_lockout_is_audited_once_without_the_address_typed(alice, council):
    fail(browser(), alice.email, LIMIT + 2)
    locked = events(AuditAction.SIGN_IN_LOCKED)
    # The account and, with the same five failures, the address.
    assert [event.detail.split(":")[0] for event in locked] == [alice.email, f"address {OFFICE}"]
    account_event = locked[0]
    assert account_event.actor is None
    assert account_event.receiving_organisation == council
    assert account_event.ip_address == OFFICE
    failed = events(AuditAction.SIGN_IN_FAILED)
    assert len(failed) == LIMIT + 2
    assert [event.detail for event in failed[LIMIT - 1 :]] == ["sign-in failed; locked out"] * 3


def test_an_unknown_address_is_locked_and_audited_without_recording_it():
    typed = "my-secret-password-in-the-wrong-box"
    for n in range(LIMIT):
        sign_in(browser(f"192.0.2.{n + 1}"), typed, "x")
    [event] = events(AuditAction.SIGN_IN_LOCKED)
    assert typed not in event.detail
    assert "no account" in event.detail
    assert event.receiving_organisation is None


def test_the_attempts_table_never_holds_the_address_typed(alice):
    typed = "Secret-Password-Typed-As-Email"
    fail(browser(), typed, 2)
    fail(browser(), alice.email, 1)
    stored = " ".join(
        f"{a.username} {a.get_data} {a.post_data}" for a in AccessAttempt.objects.all()
    ).lower()
    assert typed.lower() not in stored
    assert alice.email not in stored
    assert "not-the-password" not in stored


def test_code_without_a_request_can_still_authenticate_and_force_login_works(client, alice):
    assert authenticate(username=alice.email, password=DEMO_PASSWORD) == alice
    assert client.login(email=alice.email, password=DEMO_PASSWORD)
    client.force_login(alice)
    assert client.get(reverse("home")).status_code == 200
    fail(browser(), alice.email)
    # A locked account stays locked whoever asks.
    assert authenticate(username=alice.email, password=DEMO_PASSWORD) is None


def test_a_malformed_client_address_does_not_fail_the_sign_in(alice):
    client = Client(REMOTE_ADDR="not-an-address")
    assert sign_in(client, alice.email, "wrong").status_code == 200
    assert sign_in(client, alice.email, DEMO_PASSWORD).status_code == 302


# Unlocking ----------------------------------------------------------------------------------


def test_the_persons_spoc_sees_and_unlocks_them(client, alice, cora, council):
    fail(browser(), alice.email, 1)  # the office address stays below its own limit
    fail(browser(HOME), alice.email, LIMIT - 1)
    client.force_login(cora)
    page = client.get(reverse("accounts:lockouts")).content.decode()
    assert alice.full_name in page
    assert "Network addresses locked now" not in page  # addresses are the administrator's
    response = unlock(client, alice)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:lockouts")
    assert (
        lockout.UNLOCKED_MESSAGE.format(name=alice.full_name)
        in client.get(response["Location"]).content.decode()
    )
    [event] = events(AuditAction.SIGN_IN_UNLOCKED)
    assert event.actor == cora
    assert event.receiving_organisation == council
    assert event.detail.startswith(alice.email)
    person = browser(HOME)
    assert sign_in(person, alice.email, DEMO_PASSWORD).status_code == 302
    assert signed_in_as(person, alice)


def test_the_administrator_sees_accounts_and_addresses_and_unlocks_both(client, adam, alice, bob):
    fail(browser(), alice.email)
    for n in range(LIMIT):
        sign_in(browser(HOME), f"guess-{n}@met.example", "x")
    client.force_login(adam)
    page = client.get(reverse("accounts:lockouts")).content.decode()
    assert alice.full_name in page
    assert OFFICE in page
    assert HOME in page
    assert unlock(client, alice).status_code == 302
    response = client.post(reverse("accounts:lockout_unlock_address"), {"address": HOME})
    assert response.status_code == 302
    unlocked = events(AuditAction.SIGN_IN_UNLOCKED)
    assert [event.actor for event in unlocked] == [adam, adam]
    assert unlocked[1].detail.startswith(f"address {HOME}")
    assert sign_in(browser(HOME), bob.email, DEMO_PASSWORD).status_code == 302
    # Unlocking the account cleared its failures, and with them the office address's.
    assert sign_in(browser(OFFICE), alice.email, DEMO_PASSWORD).status_code == 302


def test_unlocking_an_account_that_is_not_locked_changes_nothing(client, adam, alice):
    client.force_login(adam)
    response = unlock(client, alice)
    assert response.status_code == 302
    assert (
        lockout.NOT_LOCKED_MESSAGE.format(name=alice.full_name)
        in client.get(response["Location"]).content.decode()
    )
    assert not events(AuditAction.SIGN_IN_UNLOCKED)


@pytest.mark.parametrize("address", ["", "not-an-address", "1.2.3.4\x00", "x" * 5000])
def test_a_bad_address_to_unlock_is_an_error_on_the_page(client, adam, address):
    client.force_login(adam)
    response = client.post(reverse("accounts:lockout_unlock_address"), {"address": address})
    assert response.status_code == 200
    assert lockout.ADDRESS_INVALID_MESSAGE in response.content.decode()
    assert not events(AuditAction.SIGN_IN_UNLOCKED)


def _refused(response: HttpResponse, who: User) -> None:
    assert response.status_code == 403
    event = AuditEvent.objects.filter(action=AuditAction.PERMISSION_DENIED).latest("id")
    assert event.actor == who


@pytest.mark.parametrize("who", ["alice", "bob", "brenda"])
def test_an_officer_cannot_see_the_lockouts_or_unlock(client, request, who, colin):
    user = request.getfixturevalue(who)
    fail(browser(), colin.email)
    client.force_login(user)
    _refused(client.get(reverse("accounts:lockouts")), user)
    _refused(unlock(client, colin), user)
    _refused(client.post(reverse("accounts:lockout_unlock_address"), {"address": OFFICE}), user)
    assert lockout.account_is_locked(colin)
    assert not events(AuditAction.SIGN_IN_UNLOCKED)


def test_another_organisations_spoc_neither_sees_nor_unlocks_the_person(client, alice, sally):
    fail(browser(), alice.email)
    client.force_login(sally)
    page = client.get(reverse("accounts:lockouts"))
    assert page.status_code == 200
    assert alice.full_name not in page.content.decode()
    assert alice.email not in page.content.decode()
    _refused(unlock(client, alice), sally)
    assert lockout.account_is_locked(alice)
    assert not events(AuditAction.SIGN_IN_UNLOCKED)


def test_a_spoc_cannot_unlock_an_address(client, cora, alice):
    fail(browser(), "nobody@council.example")
    client.force_login(cora)
    _refused(client.post(reverse("accounts:lockout_unlock_address"), {"address": OFFICE}), cora)
    assert sign_in(browser(OFFICE), alice.email, DEMO_PASSWORD).status_code == 200


def test_anonymous_people_are_sent_to_sign_in(client, alice):
    for response in (client.get(reverse("accounts:lockouts")), unlock(client, alice)):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_the_lockout_list_takes_the_same_queries_for_1_and_30_lockouts(
    client, adam, council, django_assert_max_num_queries
):
    def lock(n: int) -> None:
        for i in range(n):
            person = UserFactory(email=f"person{i}@council.example", organisation=council)
            AccessAttempt.objects.create(
                username=lockout.lockout_key(person.email),
                ip_address=f"192.0.2.{i + 1}",
                user_agent="test",
                failures_since_start=LIMIT,
                attempt_time=timezone.now(),
            )

    client.force_login(adam)
    lock(1)
    with django_assert_max_num_queries(30) as one:
        assert client.get(reverse("accounts:lockouts")).status_code == 200
    AccessAttempt.objects.all().delete()
    lock(30)
    with django_assert_max_num_queries(30) as thirty:
        page = client.get(reverse("accounts:lockouts")).content.decode()
    assert len(one.captured_queries) == len(thirty.captured_queries)
    assert "person29@council.example" in page


def test_the_navigation_links_the_page_for_spocs_and_administrators(client, cora, adam, alice):
    for user, shown in ((cora, True), (adam, True), (alice, False)):
        client.force_login(user)
        page = client.get(reverse("home")).content.decode()
        assert (reverse("accounts:lockouts") in page) is shown


# A new password from the emailed link -------------------------------------------------------


def test_setting_a_new_password_from_the_link_clears_the_failures(alice):
    fail(browser(), alice.email, 1)
    fail(browser(HOME), alice.email, LIMIT - 1)
    path = reverse(
        "accounts:password_set",
        args=[str(alice.public_id), default_token_generator.make_token(alice)],
    )
    response = browser(HOME).post(
        path, {"new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert not lockout.account_is_locked(alice)
    [event] = events(AuditAction.SIGN_IN_UNLOCKED)
    assert event.actor == alice
    assert "new password" in event.detail
    assert sign_in(browser(HOME), alice.email, NEW_PASSWORD).status_code == 302


def test_a_new_password_without_failures_records_no_unlock(alice):
    path = reverse(
        "accounts:password_set",
        args=[str(alice.public_id), default_token_generator.make_token(alice)],
    )
    browser().post(path, {"new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD})
    assert not events(AuditAction.SIGN_IN_UNLOCKED)


# Forgotten passwords: throttled by the same limits ------------------------------------------


def _forgotten(client: Client, email: str, capture) -> HttpResponse:
    with capture(execute=True):
        return client.post(reverse("accounts:password_forgotten"), {"email": email})


def test_forgotten_password_links_are_limited_per_account(
    bob, mailoutbox, django_capture_on_commit_callbacks
):
    pages = {
        _forgotten(
            browser(f"192.0.2.{n + 1}"), bob.email, django_capture_on_commit_callbacks
        ).content
        for n in range(LIMIT + 2)
    }
    assert len(mailoutbox) == LIMIT
    assert len(pages) == 1  # the same page, sent or not
    throttled = events(AuditAction.PASSWORD_LINK_REQUESTED)[-1]
    assert throttled.detail == f"{bob.email}: too many requests, no link sent"


def test_forgotten_password_requests_are_limited_per_address(
    bob, mailoutbox, django_capture_on_commit_callbacks
):
    client = browser()
    for n in range(LIMIT):
        _forgotten(client, f"nobody{n}@met.example", django_capture_on_commit_callbacks)
    _forgotten(client, bob.email, django_capture_on_commit_callbacks)
    assert mailoutbox == []
    assert _forgotten(browser(HOME), bob.email, django_capture_on_commit_callbacks)
    assert [m.to for m in mailoutbox] == [[bob.email]]
    details = " ".join(e.detail for e in events(AuditAction.PASSWORD_LINK_REQUESTED))
    assert "nobody" not in details


def test_forgotten_password_requests_are_allowed_again_after_the_window(
    bob, mailoutbox, django_capture_on_commit_callbacks
):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for _ in range(LIMIT + 1):
            _forgotten(browser(), bob.email, django_capture_on_commit_callbacks)
    assert len(mailoutbox) == LIMIT
    with time_machine.travel(start + datetime.timedelta(minutes=16), tick=False):
        _forgotten(browser(), bob.email, django_capture_on_commit_callbacks)
    assert len(mailoutbox) == LIMIT + 1
