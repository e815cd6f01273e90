"""Account tasks run by the task engine's workers (ADR 0005)."""

from __future__ import annotations

from governance.accounts import services


def email_password_link(account_id: int) -> str:
    services.email_password_link(account_id)
    return "sent"
