"""The request workflow's periodic tasks, run by the task engine's workers (ADR 0005)."""

from __future__ import annotations

from requests_app import chasing


def chase_requests() -> str:
    result = chasing.chase()
    return (
        f"reminded {result.reminded}, overdue {result.escalated_overdue}, "
        f"urgent {result.escalated_urgent}, emails {result.emails}"
    )


def spoc_daily_digest() -> str:
    return f"emails {chasing.spoc_digest()}"
