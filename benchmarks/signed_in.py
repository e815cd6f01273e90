"""A test client signed in past both factors, for benchmarks that measure pages rather than
the sign-in: the password (force_login) and the authenticator app (the device that
django_otp.login records in the session)."""

from __future__ import annotations

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from governance.people.models import User


def verified_client(user: User, **defaults: str) -> Client:
    client = Client(**defaults)
    client.force_login(user)
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, name="Benchmark authenticator", defaults={"confirmed": True}
    )
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client
