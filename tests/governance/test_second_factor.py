"""The second factor (ADR 0006): a session that passed the password alone reaches nothing but the
second-factor pages; setting up an authenticator app, its codes, recovery codes, the reset of a
lost phone by an administrator or the person's SPOC, and the audit trail of each."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from governance.accounts import second_factor as sf
from governance.audit.models import AuditAction, AuditEvent
from tests.conftest import password_only_login
from tests.second_factor_helpers import next_code, totp_device, wrong_code
from tests.test_url_matrix import EXPECTED, _url
from tests.test_url_matrix import world as world  # the matrix's fixture, re-exported

pytestmark = pytest.mark.django_db

VERIFY = reverse("accounts:second_factor")
SET_UP = reverse("accounts:second_factor_set_up")
RECOVERY = reverse("accounts:second_factor_recovery")
PEOPLE_QUERIES = 8


def events(action: AuditAction) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("id"))


def assert_no_secrets(*secrets: str) -> None:
    """No code or key in any event of the trail."""
    stored = " ".join(
        f"{event.detail} {event.object_type} {event.object_reference} {event.actor_name}"
        for event in AuditEvent.objects.all()
    )
    for secret in secrets:
        assert secret not in stored


# The guard --------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["requester", "spoc", "administrator"])
def test_a_password_only_session_reaches_no_page_but_the_second_factor(client, world, role):
    totp_device(world[role])
    password_only_login(client, world[role])
    reference = world["request"].reference
    leaks = []
    for name in sorted(EXPECTED):
        if name in sf.OPEN_TO_PASSWORD_ONLY:
            continue
        url = _url(name, reference)
        response = client.get(url)
        if (
            response.status_code != 302
            or not response["Location"].startswith(VERIFY)
            or response.content
        ):
            leaks.append((name, response.status_code))
    for url in ("/admin/", "/admin/governance/user/", "/no-such-page/"):
        response = client.get(url)
        if response.status_code != 302 or not response["Location"].startswith(VERIFY):
            leaks.append((url, response.status_code))
    assert leaks == []


def test_a_post_from_a_password_only_session_does_nothing(client, world):
    password_only_login(client, world["assigned_discloser"])
    response = client.post(
        reverse("requests_app:give_back", args=[world["request"].reference]), {"reason": "x"}
    )
    assert response.status_code == 302
    assert response["Location"] == SET_UP


def test_the_guard_keeps_the_page_asked_for(client, alice):
    device = totp_device(alice)
    password_only_login(client, alice)
    response = client.get(reverse("requests_app:mine"))
    assert response["Location"] == f"{VERIFY}?next=%2Frequests%2F"
    response = client.post(
        response["Location"], {"otp_token": next_code(device), "next": "/requests/"}
    )
    assert response["Location"] == "/requests/"
    assert client.get("/requests/").status_code == 200


def test_the_second_factor_never_sends_to_another_site(client, alice):
    device = totp_device(alice)
    password_only_login(client, alice)
    response = client.post(
        VERIFY, {"otp_token": next_code(device), "next": "https://elsewhere.example/"}
    )
    assert response["Location"] == reverse("home")


def test_anonymous_people_are_sent_to_sign_in_first(client):
    for url in (VERIFY, SET_UP, RECOVERY):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


# Setting up ---------------------------------------------------------------------------------


def test_first_sign_in_sets_up_an_authenticator_app(client, alice):
    password_only_login(client, alice)
    assert client.get(reverse("home"))["Location"].startswith(SET_UP)
    page = client.get(SET_UP)
    body = page.content.decode()
    assert "<svg" in body
    device = TOTPDevice.objects.get(user=alice, confirmed=False)
    key = page.context["key"]
    assert len(key.replace(" ", "")) == 32
    assert key in body
    assert 'autocomplete="one-time-code"' in body
    assert 'inputmode="numeric"' in body
    # The key stays the same while the person scans it.
    assert client.get(SET_UP).context["key"] == key

    code = next_code(device)
    response = client.post(SET_UP, {"otp_token": code})
    assert response.status_code == 200
    codes = response.context["codes"]
    assert len(codes) == 10 == len(set(codes))
    for recovery in codes:
        assert recovery in response.content.decode()
    device.refresh_from_db()
    assert device.confirmed
    assert StaticToken.objects.filter(device__user=alice).count() == 10
    assert client.get(reverse("home")).status_code == 200
    [event] = events(AuditAction.SECOND_FACTOR_SET_UP)
    assert event.actor == alice
    assert_no_secrets(code, key.replace(" ", ""), device.key, *codes)


def test_setting_up_with_a_wrong_code_says_so(client, alice):
    password_only_login(client, alice)
    client.get(SET_UP)
    device = TOTPDevice.objects.get(user=alice)
    response = client.post(SET_UP, {"otp_token": wrong_code(device)})
    assert response.status_code == 200
    assert sf.SET_UP_WRONG_CODE_MESSAGE in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    assert not StaticDevice.objects.filter(user=alice).exists()
    assert events(AuditAction.SECOND_FACTOR_FAILED)[0].actor == alice


def test_someone_with_a_second_factor_cannot_set_up_another(client, alice):
    totp_device(alice)
    password_only_login(client, alice)
    response = client.get(SET_UP)
    assert response["Location"].startswith(VERIFY)
    response = client.post(SET_UP, {"otp_token": "123456"})
    assert response["Location"].startswith(VERIFY)
    assert TOTPDevice.objects.filter(user=alice).count() == 1


# Giving a code ------------------------------------------------------------------------------


def test_the_right_code_completes_sign_in_under_a_new_session_key(client, alice):
    device = totp_device(alice)
    password_only_login(client, alice)
    before = client.session.session_key
    response = client.post(VERIFY, {"otp_token": next_code(device)})
    assert response.status_code == 302
    assert client.session.session_key != before
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert client.get(reverse("home")).status_code == 200


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", sf.CODE_REQUIRED_MESSAGE),
        ("12345", sf.CODE_FORMAT_MESSAGE),
        ("12a456", sf.CODE_FORMAT_MESSAGE),
    ],
)
def test_a_missing_or_malformed_code_gets_a_field_error(client, alice, typed, message):
    totp_device(alice)
    password_only_login(client, alice)
    response = client.post(VERIFY, {"otp_token": typed})
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body
    assert "govuk-error-summary" in body
    assert "<title>Error:" in body


def test_a_wrong_code_is_refused_audited_and_then_throttled(client, alice):
    device = totp_device(alice)
    password_only_login(client, alice)
    code = wrong_code(device)
    response = client.post(VERIFY, {"otp_token": code})
    assert sf.WRONG_CODE_MESSAGE in response.content.decode()
    [event] = events(AuditAction.SECOND_FACTOR_FAILED)
    assert event.actor == alice
    assert_no_secrets(code, device.key)
    # django-otp's throttling: the next code is not even checked until the wait is over.
    response = client.post(VERIFY, {"otp_token": next_code(device)})
    assert "You have entered a wrong code too many times. Wait 1 second" in (
        response.content.decode()
    )
    assert client.get(reverse("home")).status_code == 302
    # After the wait the right code works.
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=timezone.now() - datetime.timedelta(seconds=5)
    )
    assert client.post(VERIFY, {"otp_token": next_code(device)}).status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_a_code_works_once(client, alice):
    device = totp_device(alice)
    password_only_login(client, alice)
    code = next_code(device)
    client.post(VERIFY, {"otp_token": code})
    client.post(reverse("logout"))
    password_only_login(client, alice)
    response = client.post(VERIFY, {"otp_token": code})
    assert sf.WRONG_CODE_MESSAGE in response.content.decode()


def test_the_demo_key_is_refused_outside_demo_mode(client, alice, settings):
    settings.DEBUG, settings.DEMO_MODE = True, False
    device = totp_device(alice, key=sf.demo_key_hex())
    password_only_login(client, alice)
    response = client.post(VERIFY, {"otp_token": next_code(device)})
    assert sf.DEMO_KEY_REFUSED_MESSAGE in response.content.decode()
    assert client.get(reverse("home")).status_code == 302


# Recovery codes ------------------------------------------------------------------------------


def _set_up(client, user) -> list[str]:
    password_only_login(client, user)
    client.get(SET_UP)
    device = TOTPDevice.objects.get(user=user)
    codes = client.post(SET_UP, {"otp_token": next_code(device)}).context["codes"]
    client.post(reverse("logout"))
    return codes


def test_a_recovery_code_signs_in_once(client, alice):
    codes = _set_up(client, alice)
    password_only_login(client, alice)
    before = client.session.session_key
    response = client.post(RECOVERY, {"recovery_code": f" {codes[0].upper()} "})
    assert response.status_code == 302
    assert client.session.session_key != before
    assert client.get(reverse("home")).status_code == 200
    [event] = events(AuditAction.RECOVERY_CODE_USED)
    assert event.actor == alice
    assert "9 left" in event.detail
    assert_no_secrets(*codes)
    client.post(reverse("logout"))

    password_only_login(client, alice)
    response = client.post(RECOVERY, {"recovery_code": codes[0]})
    assert sf.WRONG_RECOVERY_CODE_MESSAGE in response.content.decode()
    assert client.get(reverse("home")).status_code == 302
    assert events(AuditAction.SECOND_FACTOR_FAILED)[-1].detail == "wrong recovery code"


def test_an_empty_recovery_code_gets_a_field_error(client, alice):
    _set_up(client, alice)
    password_only_login(client, alice)
    response = client.post(RECOVERY, {"recovery_code": ""})
    assert sf.RECOVERY_CODE_REQUIRED_MESSAGE in response.content.decode()


def test_new_recovery_codes_replace_the_old(client, alice):
    old = _set_up(client, alice)
    client.force_login(alice)
    page = client.get(reverse("accounts:security")).content.decode()
    assert "You have 10 unused recovery codes" in page
    assert client.get(reverse("accounts:recovery_codes_regenerate")).status_code == 405
    new = client.post(reverse("accounts:recovery_codes_regenerate")).context["codes"]
    assert len(new) == 10
    assert set(StaticToken.objects.filter(device__user=alice).values_list("token", flat=True)) == (
        set(new)
    )
    assert not set(old) & set(new)
    [event] = events(AuditAction.RECOVERY_CODES_REGENERATED)
    assert event.actor == alice
    assert_no_secrets(*old, *new)


def test_a_password_only_session_cannot_make_recovery_codes(client, alice):
    totp_device(alice)
    password_only_login(client, alice)
    response = client.post(reverse("accounts:recovery_codes_regenerate"))
    assert response.status_code == 302
    assert not StaticDevice.objects.filter(user=alice).exists()


# Lost phone: the reset -----------------------------------------------------------------------


def _reset_url(user) -> str:
    return reverse("accounts:account_second_factor_reset", args=[user.public_id])


@pytest.mark.parametrize("resetter", ["adam", "cora"])
def test_an_administrator_or_the_persons_spoc_resets_it(client, alice, resetter, request):
    actor = request.getfixturevalue(resetter)
    _set_up(client, alice)
    client.force_login(actor)
    page = client.get(_reset_url(alice))
    assert page.status_code == 200
    assert "Reset the second factor" in page.content.decode()
    response = client.post(_reset_url(alice))
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=alice).exists()
    assert not StaticDevice.objects.filter(user=alice).exists()
    [event] = events(AuditAction.SECOND_FACTOR_RESET)
    assert event.actor == actor
    assert str(alice.public_id) in event.detail
    # Alice sets it up again at her next sign-in.
    client.post(reverse("logout"))
    alice.refresh_from_db()
    password_only_login(client, alice)
    assert client.get(reverse("home"))["Location"].startswith(SET_UP)


def test_a_reset_ends_the_persons_open_sessions(client, alice, adam):
    client.force_login(alice)
    assert client.get(reverse("home")).status_code == 200
    sf.second_factor_reset(actor=adam, account=alice)
    assert client.get(reverse("home"))["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("resetter", ["colin", "sally", "alice"])
def test_an_officer_another_organisations_spoc_or_the_person_cannot_reset(
    client, alice, resetter, request
):
    actor = request.getfixturevalue(resetter)
    device = totp_device(alice)
    client.force_login(actor)
    assert client.get(_reset_url(alice)).status_code == 403
    assert client.post(_reset_url(alice)).status_code == 403
    assert TOTPDevice.objects.filter(pk=device.pk).exists()
    assert not events(AuditAction.SECOND_FACTOR_RESET)
    refusal = events(AuditAction.PERMISSION_DENIED)[-1]
    assert refusal.actor == actor


def test_the_administrators_account_page_offers_the_reset(client, adam, alice):
    client.force_login(adam)
    page = client.get(reverse("accounts:account_detail", args=[alice.public_id])).content.decode()
    assert _reset_url(alice) in page


def test_the_spocs_people_page_lists_their_organisation_only(client, cora, alice, colin, bob):
    client.force_login(cora)
    response = client.get(reverse("accounts:organisation_people"))
    assert [person.email for person in response.context["people"]] == [alice.email, colin.email]
    assert _reset_url(alice) in response.content.decode()
    assert _reset_url(bob) not in response.content.decode()


@pytest.mark.parametrize("people", [5, 20])
def test_the_spocs_people_page_costs_the_same_queries_at_any_length(
    client, cora, council, people, django_assert_num_queries
):
    from governance.people.factories import UserFactory

    UserFactory.create_batch(people, organisation=council, is_requesting_officer=True)
    client.force_login(cora)
    client.get(reverse("accounts:organisation_people"))
    # Session, user, device (3), the people (1), the session's save and its checks (the rest).
    with django_assert_num_queries(PEOPLE_QUERIES):
        assert client.get(reverse("accounts:organisation_people")).status_code == 200


def test_an_officer_cannot_see_the_people_page(client, alice):
    client.force_login(alice)
    assert client.get(reverse("accounts:organisation_people")).status_code == 403
    assert events(AuditAction.PERMISSION_DENIED)[-1].actor == alice


@pytest.mark.parametrize(
    "value",
    [
        "/requests/\r\nSet-Cookie: x=1",
        "javascript:alert(1)",
        "//elsewhere.example",
        "\x00",
        "x" * 5000,
    ],
)
def test_a_hostile_next_is_shown_safely_and_never_followed(client, alice, value):
    device = totp_device(alice)
    password_only_login(client, alice)
    for url in (VERIFY, RECOVERY):
        response = client.get(url, {"next": value})
        assert response.status_code == 200
        assert "<script" not in response.content.decode().split("<main")[1].split("</main>")[0]
    response = client.post(VERIFY, {"otp_token": next_code(device), "next": value})
    assert response.status_code == 302
    assert response["Location"] in (reverse("home"), "/requests/%0D%0ASet-Cookie:%20x=1")
