"""`manage.py verify_audit`: walk the audit trail's hash chain and name the first broken link.

Exits 0 when every event matches its hash and follows the one before; exits 1 (CommandError)
naming the first event that does not, so an edit or deletion behind the portal's back is found.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from governance.audit.trail import verify_chain


class Command(BaseCommand):
    help = "Check that the audit trail has not been changed: walks the hash chain in order."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--batch-size",
            type=int,
            default=5000,
            help="Events read per query (default 5000).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        checked, broken = verify_chain(batch_size=options["batch_size"])
        seconds = time.perf_counter() - started
        if broken is not None:
            raise CommandError(
                f"Audit trail broken at event {broken.event_id}: {broken.reason}. "
                f"{checked} events before it are intact."
            )
        self.stdout.write(
            self.style.SUCCESS(f"Checked {checked} events in {seconds:.1f}s: the chain is intact.")
        )
