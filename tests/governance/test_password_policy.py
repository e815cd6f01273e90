"""Passwords (OWASP ASVS 2.1): at least 12 characters, common passwords refused, on every form
that sets one; paste and password managers allowed on every password field."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse

from governance.people.models import User

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


class _Inputs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.inputs: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "input":
            self.inputs.append(dict(attrs))


def _password_inputs(html: str) -> list[dict[str, str | None]]:
    parser = _Inputs()
    parser.feed(html)
    return [field for field in parser.inputs if field.get("type") == "password"]


def _set_password_path(user: User) -> str:
    return reverse(
        "accounts:password_set",
        args=[str(user.public_id), default_token_generator.make_token(user)],
    )


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("eleven-char", "This password is too short. It must contain at least 12 characters."),
        ("qwerty123456", "This password is too common."),
        ("203948571629", "This password is entirely numeric."),
    ],
)
def test_setting_a_password_applies_the_validators(client, bob, password, message):
    response = client.post(
        _set_password_path(bob), {"new_password": password, "confirm_password": password}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    bob.refresh_from_db()
    assert not bob.check_password(password)


def test_a_long_passphrase_is_accepted(client, bob):
    passphrase = "copper kettle under a quiet bridge"
    response = client.post(
        _set_password_path(bob), {"new_password": passphrase, "confirm_password": passphrase}
    )
    assert response.status_code == 302
    bob.refresh_from_db()
    assert bob.check_password(passphrase)


def test_password_fields_allow_paste_and_password_managers(client, bob):
    pages = {
        "current-password": client.get(reverse("login")).content.decode(),
        "new-password": client.get(_set_password_path(bob)).content.decode(),
    }
    for autocomplete, html in pages.items():
        fields = _password_inputs(html)
        assert fields, autocomplete
        for field in fields:
            assert field.get("autocomplete") == autocomplete
            assert "onpaste" not in field
            assert "oncopy" not in field
            # ASVS 2.1.2: at least 64 characters may be typed.
            assert int(field.get("maxlength") or 10_000) >= 64


def test_nothing_in_the_templates_or_scripts_blocks_paste():
    blocking = re.compile(r"onpaste|oncopy|addEventListener\(\s*['\"](paste|copy)")
    found = []
    for folder in ("templates", "ui/templates", "static"):
        for path in (ROOT / folder).rglob("*"):
            ours = path.suffix in (".html", ".js", ".mjs") and ".min." not in path.name
            if ours and blocking.search(path.read_text()):
                found.append(str(path.relative_to(ROOT)))
    assert found == []


# Storage (ASVS 2.4) ---------------------------------------------------------------------------


def test_passwords_are_stored_with_argon2id_and_old_hashes_are_upgraded_at_sign_in(
    client, settings, alice
):
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    import isp_portal.settings as production

    settings.PASSWORD_HASHERS = production.PASSWORD_HASHERS
    password = "a long enough passphrase"
    old = PBKDF2PasswordHasher()
    User.objects.filter(pk=alice.pk).update(password=old.encode(password, old.salt()))
    response = client.post(reverse("login"), {"username": alice.email, "password": password})
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.password.startswith("argon2$argon2id$")
    alice.set_password("another long passphrase")
    assert alice.password.startswith("argon2$argon2id$")
