"""Organisations, people and roles; sign-in; health check; settings that refuse to start."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, transaction
from django.urls import reverse

from governance.accounts.views import SIGN_IN_FAILED_MESSAGE
from governance.audit.models import AuditAction, AuditEvent
from governance.people.factories import DEMO_PASSWORD, UserFactory
from governance.people.models import Organisation, SpocRole, User, organisations_missing_spoc_roles
from tests.second_factor_helpers import next_code, totp_device

pytestmark = pytest.mark.django_db


def test_the_nine_principal_signatories_are_loaded(reference_data):
    assert Organisation.objects.count() == 9
    met = Organisation.objects.get(short_code="met")
    assert met.protective_marking == "RESTRICTED"
    assert (
        Organisation.objects.exclude(short_code="met")
        .filter(protective_marking="RESTRICTED")
        .count()
        == 0
    )


def test_only_one_spoc_per_organisation(sally, met):
    with pytest.raises(IntegrityError), transaction.atomic():
        UserFactory(organisation=met, spoc_role=SpocRole.SPOC)


def test_only_one_backup_spoc_per_organisation(sid, met):
    with pytest.raises(IntegrityError), transaction.atomic():
        UserFactory(organisation=met, spoc_role=SpocRole.BACKUP)


def test_each_organisation_has_its_own_spoc_and_backup(sally, sid, cora, council):
    UserFactory(organisation=council, spoc_role=SpocRole.BACKUP)
    assert User.objects.exclude(spoc_role="").count() == 4


def test_a_spoc_must_belong_to_an_organisation(reference_data):
    with pytest.raises(IntegrityError), transaction.atomic():
        UserFactory(organisation=None, is_portal_admin=True, spoc_role=SpocRole.SPOC)


def test_missing_spoc_roles_are_reported(sally, met):
    missing = dict(organisations_missing_spoc_roles())
    assert missing[met] == ["back-up SPOC"]
    assert len(missing) == 9


def test_sign_in_with_the_right_password(client, alice):
    device = totp_device(alice)
    response = client.post(reverse("login"), {"username": alice.email, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action=AuditAction.SIGNED_IN, actor=alice).exists()
    # The second factor comes next (ADR 0006).
    assert client.get(reverse("home"))["Location"].startswith(reverse("accounts:second_factor"))
    client.post(reverse("accounts:second_factor"), {"otp_token": next_code(device)})
    page = client.get(reverse("home")).content.decode()
    assert alice.organisation.name in page
    assert alice.full_name in page


@pytest.mark.parametrize("email", ["alice@council.example", "nobody@council.example"])
def test_wrong_password_gives_one_message_whatever_was_wrong(client, alice, email):
    response = client.post(reverse("login"), {"username": email, "password": "wrong-password"})
    assert response.status_code == 200
    body = response.content.decode()
    assert SIGN_IN_FAILED_MESSAGE in body
    assert "govuk-error-summary" in body
    assert "<title>Error:" in body
    event = AuditEvent.objects.get(action=AuditAction.SIGN_IN_FAILED)
    assert event.actor is None
    assert email not in event.detail


def test_sign_out_is_audited_and_post_only(client, alice):
    client.force_login(alice)
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action=AuditAction.SIGNED_OUT, actor=alice).exists()
    assert client.get(reverse("home")).status_code == 302


def test_home_page_shows_what_a_role_can_do(client, alice, bob, adam):
    client.force_login(alice)
    page = client.get(reverse("home")).content.decode()
    assert "Make a new request" in page
    assert "inbox" not in page.lower().split("what you can do")[1].split("protocol")[0]
    client.force_login(bob)
    page = client.get(reverse("home")).content.decode()
    assert "Open your organisation" in page
    assert "Make a new request" not in page
    client.force_login(adam)
    page = client.get(reverse("home")).content.decode()
    assert "Manage organisations" in page
    assert "Manage accounts" in page
    assert "Confirm or reject account changes" in page
    assert "Portal administration" in page


def test_healthz_checks_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_pages_carry_strict_security_headers(client, alice):
    client.force_login(alice)
    response = client.get(reverse("home"))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_session_cookie_is_secure_and_http_only(client, alice, settings):
    settings.SESSION_COOKIE_SECURE = True
    response = client.post(reverse("login"), {"username": alice.email, "password": DEMO_PASSWORD})
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["secure"]
    assert cookie["httponly"]


def test_demo_data_refuses_to_run_when_debug_is_off(settings, reference_data):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG off"):
        call_command("demo_data")
    assert not User.objects.exists()


def test_demo_data_creates_one_person_per_role_and_is_repeatable(settings, reference_data):
    settings.DEBUG = settings.DEMO_MODE = True
    call_command("demo_data", stdout=open(os.devnull, "w"))  # noqa: SIM115
    call_command("demo_data", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert User.objects.count() == 9 * 5 + 1
    assert organisations_missing_spoc_roles() == []
    spoc = User.objects.get(email="spoc@met.example")
    assert spoc.check_password(DEMO_PASSWORD)


def test_missing_secret_key_refuses_to_start():
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG")}
    env["DEBUG"] = "0"
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [
        "ISP Portal refuses to start: SECRET_KEY must be set when DEBUG is off "
        "(set DEBUG=1 for local development)."
    ]


def test_keep_alive_renews_a_signed_in_session(client, alice):
    client.force_login(alice)
    assert client.get(reverse("keep_alive")).status_code == 405
    assert client.post(reverse("keep_alive")).status_code == 204


def test_keep_alive_does_nothing_for_anonymous(client):
    response = client.post(reverse("keep_alive"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
