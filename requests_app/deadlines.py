"""When a reply is due (protocol 9.2: "a reply to the request must be made within an agreed
timescale"). Pure date arithmetic in working days: Monday to Friday, less the bank holidays of
England and Wales (the `holidays` package keeps them). The timescales are the partnership's,
set in settings (ISP_TIMESCALE_*); one function serves the pages, the workflow and the chasing
tasks, so a due date is worked out in one place only.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import cache

from django.conf import settings


@cache
def _bank_holidays(year: int) -> frozenset[datetime.date]:
    # Imported on first use: the package loads every country's calendar (about a second), which
    # only processes that work out dates should pay.
    import holidays

    # England and Wales share their bank holidays (subdivision "ENG" covers both).
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The working day `days` working days after `start` (start itself not counted)."""
    day = start
    remaining = days
    while remaining > 0:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after `start` up to and including `end`; negative when end is earlier."""
    if end < start:
        return -working_days_between(end, start)
    count = 0
    day = start
    while day < end:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count


def timescale_working_days(*, urgent: bool) -> int:
    """The partnership's agreed timescale for a reply, in working days."""
    if urgent:
        return settings.ISP_TIMESCALE_URGENT_WORKING_DAYS
    return settings.ISP_TIMESCALE_STANDARD_WORKING_DAYS


def due_date_on_receipt(
    *, received: datetime.date, urgent: bool, required_by: datetime.date
) -> datetime.date:
    """The agreed timescale from the day the request was received, or the date the requester
    needs it by if that is earlier."""
    agreed = add_working_days(received, timescale_working_days(urgent=urgent))
    return min(agreed, required_by)


def due_date_after_restart(due: datetime.date, stopped_working_days: int) -> datetime.date:
    """The due date once a stopped clock restarts: moved on by the working days it stood."""
    return add_working_days(due, stopped_working_days) if stopped_working_days > 0 else due


@dataclass(frozen=True)
class Deadline:
    """What a list or page shows about a request's due date."""

    due: datetime.date | None
    days_left: int | None  # working days; negative when overdue
    tag: str  # "" / "Due soon" / "Overdue" / "Clock stopped"
    tag_class: str

    @property
    def days_left_text(self) -> str:
        if self.tag == "Clock stopped":
            return "Clock stopped"
        if self.days_left is None:
            return ""
        if self.days_left < 0:
            n = -self.days_left
            return f"{n} working day{'s' if n != 1 else ''} overdue"
        if self.days_left == 0:
            return "Due today"
        return f"{self.days_left} working day{'s' if self.days_left != 1 else ''} left"


NO_DEADLINE = Deadline(None, None, "", "")


def deadline(
    *, due: datetime.date | None, clock_running: bool, clock_stopped: bool, today: datetime.date
) -> Deadline:
    """Days left and the tag for a request: Overdue past the due date, Due soon within
    ISP_DUE_SOON_WORKING_DAYS, Clock stopped while more information is awaited; nothing once
    decided, withdrawn or closed."""
    if clock_stopped:
        return Deadline(due, None, "Clock stopped", "govuk-tag--grey")
    if not clock_running or due is None:
        return NO_DEADLINE
    left = working_days_between(today, due)
    if due < today:
        return Deadline(due, left, "Overdue", "govuk-tag--red")
    if left <= settings.ISP_DUE_SOON_WORKING_DAYS:
        return Deadline(due, left, "Due soon", "govuk-tag--orange")
    return Deadline(due, left, "", "")
