"""The portal's periodic tasks: one table, written to the task engine's schedule (django-q2's
Schedule rows) after every migrate, so each deployment runs the same timetable. Workers on any
number of machines share it; the scheduler hands each run to one worker."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils import timezone


@dataclass(frozen=True)
class Periodic:
    name: str
    func: str
    cron: str  # minute hour day month weekday, in the portal's time zone (Europe/London)
    purpose: str


SCHEDULES = (
    Periodic(
        "chase-requests",
        "requests_app.tasks.chase_requests",
        "*/15 * * * *",
        "protocol 9.2: reminders before the due date, escalation when overdue or urgent",
    ),
    Periodic(
        "spoc-daily-digest",
        "requests_app.tasks.spoc_daily_digest",
        "0 7 * * 1-5",
        "protocol 7.4: each SPOC's queue in figures, each working morning",
    ),
    Periodic(
        "requeue-stuck-emails",
        "governance.outbox.tasks.requeue_stuck_emails",
        "*/5 * * * *",
        "an email whose task was lost is queued again",
    ),
    Periodic(
        "audit-anchor",
        "governance.audit.tasks.export_audit_anchor",
        "30 0 * * *",
        "App. G 9: the audit chain's head exported daily, so a rewritten trail is found",
    ),
)


def ensure_schedules(**kwargs: Any) -> None:
    """post_migrate: make the task engine's schedule match SCHEDULES (by name), and remove
    schedules of ours that the table no longer lists."""
    from django_q.models import Schedule

    names = {periodic.name for periodic in SCHEDULES}
    for periodic in SCHEDULES:
        Schedule.objects.update_or_create(
            name=periodic.name,
            defaults={
                "func": periodic.func,
                "schedule_type": Schedule.CRON,
                "cron": periodic.cron,
                "repeats": -1,
            },
            create_defaults={
                "func": periodic.func,
                "schedule_type": Schedule.CRON,
                "cron": periodic.cron,
                "repeats": -1,
                "next_run": timezone.now(),
            },
        )
    ours = ("requests_app.tasks.", "governance.outbox.tasks.", "governance.audit.tasks.")
    stale = Schedule.objects.exclude(name__in=names).filter(
        func__regex=r"^(" + "|".join(prefix.replace(".", r"\.") for prefix in ours) + ")"
    )
    stale.delete()
