"""Passkeys: adding one (named), using one as the second factor, removing one, and the refusals:
someone else's passkey, a session that passed the password alone, the last way to sign in.

A software authenticator (tests/passkey_helpers.py) answers the ceremonies, so py_webauthn's
real checks (challenge, origin, relying party, signature) run in every test."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp_webauthn.models import WebAuthnCredential

from governance.accounts import passkeys
from governance.accounts.passkey_forms import NAME_REQUIRED_MESSAGE, NAME_TOO_LONG_MESSAGE
from governance.audit.models import AuditAction, AuditEvent
from governance.people.models import User
from tests.passkey_helpers import SoftPasskey
from tests.second_factor_helpers import password_only_login, totp_device

pytestmark = pytest.mark.django_db

REGISTER_BEGIN = "passkeys:register_begin"
REGISTER_COMPLETE = "passkeys:register_complete"
VERIFY_BEGIN = "passkeys:verify_begin"
VERIFY_COMPLETE = "passkeys:verify_complete"


def _post_json(client: Client, name: str, body: object = None, **query: str):
    url = reverse(name)
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return client.post(url, data=json.dumps(body or {}), content_type="application/json")


def _register(client: Client, passkey: SoftPasskey, name: str = "Work laptop"):
    begin = _post_json(client, REGISTER_BEGIN, {"name": name})
    assert begin.status_code == 200, begin.content
    return _post_json(client, REGISTER_COMPLETE, passkey.registration(begin.json()))


def _sign_in_with(client: Client, passkey: SoftPasskey, **query: str):
    begin = _post_json(client, VERIFY_BEGIN)
    assert begin.status_code == 200, begin.content
    return _post_json(client, VERIFY_COMPLETE, passkey.assertion(begin.json()), **query)


def _session_verified_by(client: Client, user: User, device: WebAuthnCredential) -> None:
    password_only_login(client, user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def _is_verified(client: Client) -> bool:
    return client.get(reverse("home")).status_code == 200


# Adding ---------------------------------------------------------------------------------------


def test_person_adds_a_named_passkey(client, alice):
    client.force_login(alice)
    response = _register(client, SoftPasskey(), name="  Work laptop ")
    assert response.status_code == 200
    passkey = WebAuthnCredential.objects.get(user=alice)
    assert passkey.name == "Work laptop"
    assert passkey.confirmed
    event = AuditEvent.objects.get(action=AuditAction.PASSKEY_ADDED)
    assert event.actor == alice
    assert event.detail == f"passkey {passkey.credential_id_sha256[:16]}"
    assert "Work laptop" not in event.detail


@pytest.mark.parametrize(
    ("name", "message"), [("", NAME_REQUIRED_MESSAGE), ("x" * 65, NAME_TOO_LONG_MESSAGE)]
)
def test_passkey_needs_a_name_of_64_characters_or_fewer(client, alice, name, message):
    client.force_login(alice)
    response = _post_json(client, REGISTER_BEGIN, {"name": name})
    assert response.status_code == 400
    assert response.json() == {"errors": {"name": [message]}}
    assert "otp_webauthn_register_state" not in client.session


def test_anonymous_person_cannot_add_a_passkey(client, alice):
    assert _post_json(client, REGISTER_BEGIN, {"name": "Laptop"}).status_code == 403
    assert not WebAuthnCredential.objects.exists()


def test_password_alone_cannot_add_a_passkey_to_an_account_with_a_second_factor(client, alice):
    """Otherwise a stolen password would be enough to add the thief's passkey."""
    SoftPasskey().stored_for(alice, name="Phone")
    password_only_login(client, alice)
    response = _post_json(client, REGISTER_BEGIN, {"name": "Thief's key"})
    assert response.status_code == 403
    assert response.json()["code"] == "user_not_verified"
    assert WebAuthnCredential.objects.filter(user=alice).count() == 1
    assert not AuditEvent.objects.filter(action=AuditAction.PASSKEY_ADDED).exists()


def test_first_sign_in_sets_up_a_passkey_instead_of_an_authenticator_app(client, alice):
    """No second factor yet: the set-up page offers a passkey, which passes the second factor."""
    password_only_login(client, alice)
    page = client.get(reverse("accounts:second_factor_set_up"))
    assert reverse("passkeys:register_begin") in page.content.decode()
    response = _register(client, SoftPasskey(), name="Laptop")
    assert response.status_code == 200
    assert _is_verified(client)
    assert WebAuthnCredential.objects.get(user=alice).name == "Laptop"
    assert AuditEvent.objects.filter(action=AuditAction.PASSKEY_ADDED, actor=alice).exists()


def test_a_registration_answer_is_used_once(client, alice):
    client.force_login(alice)
    passkey = SoftPasskey()
    begin = _post_json(client, REGISTER_BEGIN, {"name": "Laptop"})
    answer = passkey.registration(begin.json())
    assert _post_json(client, REGISTER_COMPLETE, answer).status_code == 200
    again = _post_json(client, REGISTER_COMPLETE, answer)
    assert again.status_code == 400
    assert WebAuthnCredential.objects.filter(user=alice).count() == 1


def test_a_passkey_for_another_site_is_not_added(client, alice):
    client.force_login(alice)
    response = _register(client, SoftPasskey(origin="https://phishing.example"))
    assert response.status_code == 422
    assert not WebAuthnCredential.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.PASSKEY_ADDED).exists()


@pytest.mark.parametrize(
    "body", ["[]", '"text"', "{}", '{"id": 1}', '{"response": {"clientDataJSON": "!!"}}', "{"]
)
def test_malformed_registration_answer_is_refused_not_an_error(client, alice, body):
    client.force_login(alice)
    _post_json(client, REGISTER_BEGIN, {"name": "Laptop"})
    response = client.post(reverse(REGISTER_COMPLETE), data=body, content_type="application/json")
    assert 400 <= response.status_code < 500
    assert not WebAuthnCredential.objects.exists()


# Using a passkey as the second factor ---------------------------------------------------------


def test_passkey_passes_the_second_factor(client, alice):
    passkey = SoftPasskey()
    passkey.stored_for(alice)
    password_only_login(client, alice)
    assert not _is_verified(client)
    key_before = client.session.session_key
    response = _sign_in_with(client, passkey, next="/requests/mine/")
    assert response.status_code == 200, response.content
    assert response.json()["redirect_url"] == "/requests/mine/"
    assert _is_verified(client)
    assert client.session.session_key != key_before
    event = AuditEvent.objects.get(action=AuditAction.PASSKEY_USED)
    assert event.actor == alice
    stored = WebAuthnCredential.objects.get(user=alice)
    assert stored.last_used_at is not None


def test_passkey_sign_in_ignores_a_next_address_on_another_site(client, alice):
    passkey = SoftPasskey()
    passkey.stored_for(alice)
    password_only_login(client, alice)
    response = _sign_in_with(client, passkey, next="https://evil.example/")
    assert response.json()["redirect_url"] == reverse("home")


def test_someone_elses_passkey_does_not_pass_my_second_factor(client, alice, bob):
    bobs = SoftPasskey()
    bobs.stored_for(bob)
    SoftPasskey().stored_for(alice)
    password_only_login(client, alice)
    response = _sign_in_with(client, bobs)
    assert response.status_code == 403
    assert response.json()["code"] == "credential_user_mismatch"
    assert not _is_verified(client)
    assert not AuditEvent.objects.filter(action=AuditAction.PASSKEY_USED).exists()
    event = AuditEvent.objects.get(action=AuditAction.SECOND_FACTOR_FAILED)
    assert event.actor == alice
    assert event.detail == "passkey not accepted (credential_user_mismatch)"


def test_a_passkey_never_replaces_the_password(client, alice):
    SoftPasskey().stored_for(alice)
    response = _post_json(client, VERIFY_BEGIN)
    assert response.status_code == 403
    assert response.json()["code"] == "passwordless_login_disabled"


def test_a_signed_answer_is_used_once(client, alice):
    passkey = SoftPasskey()
    passkey.stored_for(alice)
    password_only_login(client, alice)
    begin = _post_json(client, VERIFY_BEGIN)
    answer = passkey.assertion(begin.json())
    assert _post_json(client, VERIFY_COMPLETE, answer).status_code == 200
    replay = Client()
    password_only_login(replay, alice)
    assert _post_json(replay, VERIFY_COMPLETE, answer).status_code == 400  # no challenge
    _post_json(replay, VERIFY_BEGIN)
    assert _post_json(replay, VERIFY_COMPLETE, answer).status_code == 422  # another challenge
    assert not _is_verified(replay)


def test_a_forged_signature_is_refused(client, alice):
    SoftPasskey().stored_for(alice)
    impostor = SoftPasskey(credential_id=WebAuthnCredential.objects.get().credential_id)
    password_only_login(client, alice)
    response = _sign_in_with(client, impostor)
    assert response.status_code == 422
    assert not _is_verified(client)


# Removing -------------------------------------------------------------------------------------


def _remove_url(passkey: WebAuthnCredential) -> str:
    return reverse("passkeys:remove", args=[passkeys.passkey_reference(passkey)])


def test_person_removes_their_passkey(client, alice):
    stored = SoftPasskey().stored_for(alice)
    client.force_login(alice)  # with the authenticator app
    page = client.get(_remove_url(stored))
    assert page.status_code == 200
    assert "Remove the passkey" in page.content.decode()
    response = client.post(_remove_url(stored))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:security")
    assert not WebAuthnCredential.objects.exists()
    event = AuditEvent.objects.get(action=AuditAction.PASSKEY_REMOVED)
    assert event.actor == alice
    assert event.detail == f"passkey {stored.credential_id_sha256[:16]}"


def test_person_cannot_remove_someone_elses_passkey(client, alice, bob):
    bobs = SoftPasskey().stored_for(bob)
    client.force_login(alice)
    assert client.get(_remove_url(bobs)).status_code == 403
    response = client.post(_remove_url(bobs))
    assert response.status_code == 403
    assert "Work laptop" not in response.content.decode()
    assert WebAuthnCredential.objects.filter(pk=bobs.pk).exists()
    assert not AuditEvent.objects.filter(action=AuditAction.PASSKEY_REMOVED).exists()
    refusal = AuditEvent.objects.filter(action=AuditAction.PERMISSION_DENIED).latest("id")
    assert refusal.actor == alice


def test_the_only_way_to_confirm_it_is_you_is_not_removed(client, alice):
    stored = SoftPasskey().stored_for(alice)  # no authenticator app
    _session_verified_by(client, alice, stored)
    response = client.post(_remove_url(stored))
    assert response.status_code == 200
    assert passkeys.ONLY_METHOD_MESSAGE in response.content.decode()
    assert WebAuthnCredential.objects.filter(pk=stored.pk).exists()
    assert not AuditEvent.objects.filter(action=AuditAction.PASSKEY_REMOVED).exists()


def test_the_passkey_that_confirmed_this_session_is_not_removed(client, alice):
    client.force_login(alice)  # makes alice's authenticator app
    stored = SoftPasskey().stored_for(alice)
    _session_verified_by(client, alice, stored)
    response = client.post(_remove_url(stored))
    assert response.status_code == 200
    assert passkeys.IN_USE_MESSAGE in response.content.decode()
    assert WebAuthnCredential.objects.filter(pk=stored.pk).exists()


def test_unknown_passkey_is_404(client, alice):
    client.force_login(alice)
    assert client.post(reverse("passkeys:remove", args=["0" * 64])).status_code == 404


def test_password_alone_cannot_remove_a_passkey(client, alice):
    totp_device(alice)
    stored = SoftPasskey().stored_for(alice)
    password_only_login(client, alice)
    response = client.post(_remove_url(stored))
    assert response.status_code == 302
    assert WebAuthnCredential.objects.filter(pk=stored.pk).exists()


# The security page's list ---------------------------------------------------------------------


def test_security_page_lists_my_passkeys_only(client, alice, bob):
    mine = SoftPasskey().stored_for(alice, name="Work laptop")
    SoftPasskey().stored_for(bob, name="Bob's key")
    client.force_login(alice)
    body = client.get(reverse("accounts:security")).content.decode()
    assert "Work laptop" in body
    assert _remove_url(mine) in body
    assert "Bob&#x27;s key" not in body
    assert "Add a passkey" in body
