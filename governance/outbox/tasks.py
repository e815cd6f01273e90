"""The outbox's tasks, run by the task engine's workers (ADR 0005)."""

from __future__ import annotations

import datetime

from governance.outbox import services


def send_email(email_id: int) -> str:
    return services.email_deliver(email_id)


def requeue_stuck_emails() -> int:
    """Periodic: queue again any email still waiting after 15 minutes."""
    return services.emails_requeue_stuck(older_than=datetime.timedelta(minutes=15))
