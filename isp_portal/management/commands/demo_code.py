"""`manage.py demo_code` (`make demo-code`): the 6-digit code the demo key shows now, for
signing in to the demo without an authenticator app. Demo mode only."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP

from governance.accounts.second_factor import demo_key_allowed, demo_key_hex


class Command(BaseCommand):
    help = "Print the current code of the demo accounts' authenticator app (demo mode only)."

    def handle(self, *args: Any, **options: Any) -> None:
        if not demo_key_allowed():
            raise CommandError("The demo key is for demo mode only (DEBUG=1 DEMO_MODE=1).")
        totp = TOTP(bytes.fromhex(demo_key_hex()))
        seconds_left = totp.step - int(totp.time - totp.t0) % totp.step
        self.stdout.write(f"{totp.token():06d}")
        self.stderr.write(f"(valid for about {seconds_left} more seconds; each code works once)")
