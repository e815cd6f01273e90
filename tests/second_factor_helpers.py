"""The second factor in tests: an authenticator app with a known key, and the code it shows."""

from __future__ import annotations

import time

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP, hotp
from django_otp.plugins.otp_totp.models import TOTPDevice

from governance.accounts.second_factor import TOTP_DEVICE_NAME
from governance.people.models import User

# 20 bytes, hex as django-otp stores it: a test-only key, never the demo key.
TEST_TOTP_KEY = "6973702d706f7274616c2d746573742d6b657973"

# Client.force_login as Django ships it: signs in with the password alone.
password_only_force_login = Client.force_login


def totp_device(user: User, *, key: str = TEST_TOTP_KEY) -> TOTPDevice:
    """The person's confirmed authenticator app, made with the known key if they have none."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(
            user=user, name=TOTP_DEVICE_NAME, key=key, confirmed=True
        )
    return device


def next_code(device: TOTPDevice) -> str:
    """A code the device accepts now: the current time step, or a later one within the
    tolerance when the current one was used already (a code works once)."""
    while True:
        device.refresh_from_db()
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        now_t = totp.t()
        t = max(now_t, device.last_t + 1)
        if t <= now_t + device.tolerance:
            return str(hotp(device.bin_key, t, digits=device.digits)).zfill(device.digits)
        time.sleep(1)


def current_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return str(totp.token()).zfill(device.digits)


def wrong_code(device: TOTPDevice) -> str:
    """Six digits no step within the tolerance shows."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    now_t = totp.t()
    shown = {
        str(hotp(device.bin_key, t, digits=device.digits)).zfill(device.digits)
        for t in range(now_t - device.tolerance - 1, now_t + device.tolerance + 2)
    }
    return next(f"{n:06d}" for n in range(1_000_000) if f"{n:06d}" not in shown)


def mark_second_factor_passed(client: Client, user: User) -> None:
    """The session holds the person's device, as django_otp.login leaves it."""
    device = totp_device(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def password_only_login(client: Client, user: User) -> None:
    """A session that passed the password alone (the second factor not yet given)."""
    password_only_force_login(client, user)
