"""The demo's second factor: every demo account shares the documented demo key, `make demo-code`
prints its current code, and none of it works outside demo mode."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from governance.accounts.second_factor import DEMO_TOTP_KEY, demo_key_hex
from governance.people.models import User

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def demo_mode(settings, reference_data):
    settings.DEBUG = settings.DEMO_MODE = True
    return settings


def test_every_demo_account_has_the_demo_key_and_the_logins_say_so(demo_mode):
    out = io.StringIO()
    call_command("demo_data", stdout=out)
    devices = TOTPDevice.objects.filter(confirmed=True)
    assert devices.count() == User.objects.count() == 9 * 5 + 1
    assert set(devices.values_list("key", flat=True)) == {demo_key_hex()}
    assert DEMO_TOTP_KEY in out.getvalue()
    assert "make demo-code" in out.getvalue()
    # Safe to run twice: no second device.
    call_command("demo_data", stdout=io.StringIO())
    assert TOTPDevice.objects.count() == 9 * 5 + 1


def test_demo_data_refuses_to_run_outside_demo_mode(settings, reference_data):
    settings.DEBUG, settings.DEMO_MODE = True, False
    with pytest.raises(CommandError, match="DEMO_MODE"):
        call_command("demo_data", stdout=io.StringIO())
    assert not TOTPDevice.objects.exists()


def test_demo_code_prints_the_code_the_demo_key_shows_now(demo_mode):
    out = io.StringIO()
    call_command("demo_code", stdout=out, stderr=io.StringIO())
    code = out.getvalue().strip()
    assert len(code) == 6
    assert code.isdigit()
    totp = TOTP(bytes.fromhex(demo_key_hex()))
    assert totp.verify(int(code), tolerance=1)


@pytest.mark.parametrize(("debug", "demo"), [(False, True), (True, False), (False, False)])
def test_demo_code_refuses_outside_demo_mode(settings, debug, demo):
    settings.DEBUG, settings.DEMO_MODE = debug, demo
    with pytest.raises(CommandError, match="demo mode only"):
        call_command("demo_code", stdout=io.StringIO())


def test_the_demo_key_is_documented_where_make_run_prints_it():
    assert DEMO_TOTP_KEY in (ROOT / "README.md").read_text()
    makefile = (ROOT / "Makefile").read_text()
    assert DEMO_TOTP_KEY in makefile
    assert "demo-code:" in makefile
