"""Sessions (governance.accounts.sessions; OWASP ASVS 4.0.3 V3): a new key at sign-in, the
12-hour absolute limit, other sessions ended when access is taken away or the password is set,
and no caching of anything a signed-in person is sent."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from governance.accounts import services as accounts
from governance.accounts import sessions
from governance.accounts.second_factor import second_factor_reset
from governance.accounts.services import AccountValues
from governance.people.access import AccessRefused
from governance.people.factories import DEMO_PASSWORD
from governance.people.models import AccountChange, User
from tests import workflow_helpers as wf
from tests.requests_app.test_request_views import _decide_post
from tests.test_url_matrix import EXPECTED, SIGNED_IN, _url, world  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def signed_in(client: Client) -> bool:
    return SESSION_KEY in client.session


def assert_signed_out_on_next_request(client: Client) -> None:
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert not signed_in(client)


def assert_still_signed_in(client: Client) -> None:
    assert client.get(reverse("home")).status_code == 200
    assert signed_in(client)


# A new session key at sign-in (ASVS 3.2.1) ------------------------------------------------------


def test_signing_in_gives_a_new_session_key(client, alice):
    before = client.session
    before["seen_the_cookie_banner"] = True
    before.save()
    old_key = before.session_key
    response = client.post(reverse("login"), {"username": alice.email, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    new_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert new_key != old_key
    assert client.session[SESSION_KEY] == str(alice.pk)
    # The key the browser had before signing in no longer opens anything.
    assert not SessionStore().exists(old_key)


def test_a_failed_sign_in_leaves_no_signed_in_session(client, alice):
    client.post(reverse("login"), {"username": alice.email, "password": "not-the-password"})
    assert not signed_in(client)


# The absolute limit (ASVS 3.3.2) ------------------------------------------------------------------

STEP = datetime.timedelta(minutes=25)  # within the 30-minute idle limit


def _stay_active(client: Client, traveller: time_machine.Coordinates, until: datetime.datetime):
    """Open a page every 25 minutes, so the idle limit never ends the session."""
    while timezone.now() + STEP < until:
        traveller.shift(STEP)
        assert client.get(reverse("home")).status_code == 200


def test_an_active_session_lasts_until_12_hours_after_sign_in(client, alice):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        client.force_login(alice)
        assert client.get(reverse("home")).status_code == 200
        _stay_active(client, traveller, start + datetime.timedelta(hours=12))
        traveller.move_to(start + datetime.timedelta(hours=11, minutes=59))
        assert_still_signed_in(client)


def test_an_active_session_ends_12_hours_after_sign_in_with_a_message(client, alice):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        client.force_login(alice)
        assert client.get(reverse("home")).status_code == 200
        _stay_active(client, traveller, start + datetime.timedelta(hours=12))
        traveller.move_to(start + datetime.timedelta(hours=12, seconds=1))
        response = client.get(reverse("requests_app:mine"))
        assert response.status_code == 302
        assert response["Location"] == (reverse("login") + "?next=" + reverse("requests_app:mine"))
        assert not signed_in(client)
        page = client.get(response["Location"]).content.decode()
        assert "You have been signed out because you signed in more than 12 hours ago" in page


def test_a_form_sent_after_the_limit_goes_to_sign_in_without_returning_to_it(client, alice):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        client.force_login(alice)
        # Here the idle limit is out of the way: only the absolute limit can end the session.
        session = client.session
        session.set_expiry(13 * 60 * 60)
        session.save()
        assert client.get(reverse("home")).status_code == 200
        traveller.move_to(start + datetime.timedelta(hours=12, seconds=1))
        response = client.post(reverse("keep_alive"))
        assert response.status_code == 302
        assert response["Location"] == reverse("login")
        assert not signed_in(client)


def test_the_sign_in_page_opened_after_the_limit_keeps_its_own_next(client, alice):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        client.force_login(alice)
        session = client.session
        session.set_expiry(13 * 60 * 60)
        session.save()
        client.get(reverse("home"))
        traveller.move_to(start + datetime.timedelta(hours=12, seconds=1))
        # The warning's script opens the sign-in page itself when the time is up.
        sign_in_page = reverse("login") + "?next=/requests/"
        response = client.get(sign_in_page)
        assert response.status_code == 302
        assert response["Location"] == sign_in_page
        assert not signed_in(client)
        assert "signed in more than 12 hours ago" in client.get(sign_in_page).content.decode()


def test_pages_tell_the_warning_when_the_session_ends(client, alice):
    start = timezone.now().replace(microsecond=0)
    with time_machine.travel(start, tick=False) as traveller:
        client.force_login(alice)
        client.get(reverse("home"))
        traveller.shift(datetime.timedelta(minutes=20))
        response = client.get(reverse("home"))
        assert response.context["session_ends_in_seconds"] == 12 * 60 * 60 - 20 * 60
        assert 'data-ends-in-seconds="42000"' in response.content.decode()


def test_the_clock_starts_at_sign_in_not_at_the_first_page(client, alice):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        client.post(reverse("login"), {"username": alice.email, "password": DEMO_PASSWORD})
        assert client.session[sessions.SIGNED_IN_AT_KEY] == int(start.timestamp())
        traveller.shift(datetime.timedelta(minutes=20))
        client.get(reverse("home"))
        assert client.session[sessions.SIGNED_IN_AT_KEY] == int(start.timestamp())


def test_the_absolute_limit_follows_its_setting(client, alice, settings):
    settings.SESSION_ABSOLUTE_SECONDS = 60 * 60
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        client.force_login(alice)
        client.get(reverse("home"))
        _stay_active(client, traveller, start + datetime.timedelta(hours=1))
        traveller.move_to(start + datetime.timedelta(minutes=59))
        assert_still_signed_in(client)
        traveller.move_to(start + datetime.timedelta(minutes=60))
        assert_signed_out_on_next_request(client)


# Other sessions end when access is taken away (ASVS 3.3.3, 3.3.4) -------------------------------


@pytest.fixture
def two_sessions(alice) -> tuple[Client, Client]:
    """Alice signed in on two devices."""
    here, elsewhere = Client(), Client()
    here.force_login(alice)
    elsewhere.force_login(alice)
    assert_still_signed_in(here)
    assert_still_signed_in(elsewhere)
    return here, elsewhere


def test_deactivating_an_account_ends_its_sessions(two_sessions, alice, adam):
    accounts.account_deactivate(actor=adam, public_id=alice.public_id)
    for client in two_sessions:
        assert_signed_out_on_next_request(client)


def test_deactivating_through_the_page_ends_its_sessions(client, two_sessions, alice, adam):
    client.force_login(adam)
    response = client.post(reverse("accounts:account_deactivate", args=[alice.public_id]))
    assert response.status_code == 302
    assert_signed_out_on_next_request(two_sessions[1])


def _confirm(*, account: User, values: AccountValues, proposer: User, decider: User) -> None:
    change = accounts.account_change_propose(
        proposer=proposer, public_id=account.public_id, values=values
    )
    accounts.account_change_confirm(public_id=change.public_id, decider=decider)
    assert AccountChange.objects.get(pk=change.pk).status == "confirmed"


def test_removing_a_role_ends_the_persons_sessions(two_sessions, alice, council, adam, cora):
    without_requesting = AccountValues(
        organisation=council, is_requesting_officer=False, is_board_member=True
    )
    _confirm(account=alice, values=without_requesting, proposer=adam, decider=cora)
    assert_signed_out_on_next_request(two_sessions[1])


def test_moving_organisation_ends_the_persons_sessions(two_sessions, alice, met, adam, sally):
    elsewhere = AccountValues(organisation=met, is_requesting_officer=True)
    _confirm(account=alice, values=elsewhere, proposer=adam, decider=sally)
    assert_signed_out_on_next_request(two_sessions[1])


def test_adding_a_role_keeps_the_persons_sessions(two_sessions, alice, council, adam, cora):
    more = AccountValues(organisation=council, is_requesting_officer=True, is_board_member=True)
    _confirm(account=alice, values=more, proposer=adam, decider=cora)
    for client in two_sessions:
        assert_still_signed_in(client)


def test_a_rejected_change_keeps_the_persons_sessions(two_sessions, alice, council, adam, cora):
    change = accounts.account_change_propose(
        proposer=adam,
        public_id=alice.public_id,
        values=AccountValues(organisation=council, is_requesting_officer=False),
    )
    accounts.account_change_reject(public_id=change.public_id, decider=cora, reason="Not agreed")
    assert_still_signed_in(two_sessions[1])


def test_resetting_the_second_factor_ends_the_persons_sessions(two_sessions, alice, adam):
    second_factor_reset(actor=adam, account=alice)
    for client in two_sessions:
        assert_signed_out_on_next_request(client)


def test_setting_ones_password_ends_the_other_sessions_but_keeps_this_one(two_sessions, alice):
    here, elsewhere = two_sessions
    url = accounts.password_set_link(alice).removeprefix(settings.PORTAL_BASE_URL.rstrip("/"))
    new_password = "a-new-long-pass-phrase-2026"
    response = here.post(url, {"new_password": new_password, "confirm_password": new_password})
    assert response.status_code == 302, response.content.decode()
    assert_still_signed_in(here)
    assert_signed_out_on_next_request(elsewhere)


def test_a_password_set_from_a_link_while_signed_out_ends_every_session(two_sessions, alice):
    alice.refresh_from_db()
    accounts.password_set(account=alice, password="a-new-long-pass-phrase-2026")
    for client in two_sessions:
        assert_signed_out_on_next_request(client)


def test_other_peoples_sessions_are_untouched(two_sessions, alice, colin, adam):
    colins = Client()
    colins.force_login(colin)
    accounts.account_deactivate(actor=adam, public_id=alice.public_id)
    assert_still_signed_in(colins)


def test_a_refused_deactivation_ends_no_session(two_sessions, alice, colin):
    with pytest.raises(AccessRefused):
        accounts.account_deactivate(actor=colin, public_id=alice.public_id)
    assert_still_signed_in(two_sessions[1])


# No caching of what a signed-in person is sent (ASVS 8.2.1) --------------------------------------


def _assert_not_stored(response) -> None:
    directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
    assert {"no-store", "private"} <= directives, response.get("Cache-Control")


@pytest.mark.parametrize("role", SIGNED_IN)
def test_every_page_sent_to_a_signed_in_person_is_not_stored(client, world, role):  # noqa: F811
    client.force_login(world[role])
    reference = world["request"].reference
    unstored = []
    for name in sorted(EXPECTED):
        response = client.get(_url(name, reference))
        directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
        if not {"no-store", "private"} <= directives:
            unstored.append((name, response.status_code, response.get("Cache-Control")))
    assert unstored == []


def test_an_attachment_is_not_stored(client, alice, bob, met, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    req = wf.under_review(alice, met, bob)
    client.force_login(bob)
    upload = SimpleUploadedFile("sheet.txt", b"Continuation sheet", content_type="text/plain")
    client.post(
        reverse("requests_app:decide", args=[req.reference]),
        {**_decide_post(bob), "attachments": upload},
    )
    attachment = req.attachments.get()
    client.force_login(alice)
    response = client.get(
        reverse("requests_app:attachment", args=[req.reference, attachment.public_id])
    )
    assert response.status_code == 200
    _assert_not_stored(response)


def test_the_sign_out_response_is_not_stored(client, alice):
    client.force_login(alice)
    _assert_not_stored(client.post(reverse("logout")))


def test_public_pages_for_people_not_signed_in_may_be_cached(client):
    assert "no-store" not in client.get(reverse("accessibility")).get("Cache-Control", "")


# Cookies ---------------------------------------------------------------------------------------


def test_no_script_of_ours_reads_cookies():
    """The CSRF cookie is HttpOnly and __Host- named in production: forms carry the token, and
    no script may depend on reading the cookie."""
    sources = [
        path
        for folder in ("static/src", "ui")
        for path in (ROOT / folder).rglob("*")
        if path.suffix in {".js", ".mjs", ".html"}
    ]
    assert sources
    readers = [
        str(path.relative_to(ROOT))
        for path in sources
        if "document.cookie" in path.read_text() or "csrftoken" in path.read_text()
    ]
    assert readers == []
