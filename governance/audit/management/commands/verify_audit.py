"""`manage.py verify_audit [--anchor PATH]`: walk the audit trail's hash chain and name the first
broken link; with --anchor, also check the trail against exported anchors (a file, or a directory
of them: governance.audit.anchors).

Exits 0 when every event matches its hash and follows the one before, and every anchor still
agrees; exits 1 (CommandError) naming the first event or anchor that does not, so an edit, a
deletion or a cut tail behind the portal's back is found.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from governance.audit.anchors import anchor_paths, anchor_read, verify_anchor
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
        parser.add_argument(
            "--anchor",
            type=Path,
            help="An anchor file, or a directory: every anchor in it (AUDIT_ANCHOR_DIR).",
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
        if options["anchor"] is not None:
            self._check_anchors(options["anchor"])

    def _check_anchors(self, path: Path) -> None:
        if not path.exists():
            raise CommandError(f"No anchor at {path}.")
        paths = anchor_paths(path)
        if not paths:
            raise CommandError(f"No anchors in {path}.")
        for anchor_path in paths:
            try:
                anchor = anchor_read(anchor_path)
            except (OSError, ValueError, KeyError, TypeError) as error:
                raise CommandError(f"Anchor {anchor_path} cannot be read: {error}") from error
            problem = verify_anchor(anchor)
            if problem is not None:
                raise CommandError(
                    f"Audit trail does not match anchor {anchor_path.name} "
                    f"(exported {anchor.exported_at}): {problem}."
                )
        self.stdout.write(self.style.SUCCESS(f"{len(paths)} anchor(s) match the trail."))
