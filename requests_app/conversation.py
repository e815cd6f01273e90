"""The conversation on a request as the request page shows it (MOJ timeline, newest first): the
questions, replies and hand-backs (RequestMessage), the times the clock stood (ClockStop), and
the extensions agreed (Extension). Reads only."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from governance.people.models import Organisation, User
from requests_app.models import ClockStop, Extension, InformationRequest, RequestMessage

MESSAGE_TITLES = {
    RequestMessage.Kind.QUESTION: "More information asked for",
    RequestMessage.Kind.REPLY: "Requester replied",
    RequestMessage.Kind.GIVEN_BACK: "Given back to the queue",
}


@dataclass(frozen=True)
class Entry:
    title: str
    at: datetime.datetime
    author: User | None = None
    organisation: Organisation | None = None
    # Free text that may name people: shown only to those who see the personal details.
    text: str = ""
    # Dates and counts, never personal: shown to everyone who sees the request.
    facts: str = ""
    kind: str = ""


def _date(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _working_days(n: int) -> str:
    return f"{n} working day{'s' if n != 1 else ''}"


def _clock_entry(stop: ClockStop) -> Entry:
    started = _date(timezone.localdate(stop.stopped_at))
    if stop.restarted_at is None:
        return Entry(
            title="Clock stopped",
            at=stop.stopped_at,
            facts=f"Clock stopped on {started} while more information is awaited.",
            kind="clock",
        )
    ended = _date(timezone.localdate(stop.restarted_at))
    return Entry(
        title="Clock restarted",
        at=stop.restarted_at,
        facts=f"Clock stopped {started} to {ended}: "
        f"{_working_days(stop.working_days_added)} added to the due date.",
        kind="clock",
    )


def _extension_entry(extension: Extension) -> Entry:
    return Entry(
        title="Due date extended",
        at=extension.recorded_at,
        author=extension.recorded_by,
        organisation=extension.recorded_by.organisation,
        text=f"Reason: {extension.reason}\nAgreed with: {extension.agreed_with}",
        facts=f"Due date moved from {_date(extension.previous_due_date)} to "
        f"{_date(extension.new_due_date)}.",
        kind="extension",
    )


def _message_entry(message: RequestMessage) -> Entry:
    return Entry(
        title=MESSAGE_TITLES[RequestMessage.Kind(message.kind)],
        at=message.created_at,
        author=message.author,
        organisation=message.author.organisation,
        text=message.text,
        kind=message.kind,
    )


def thread(req: InformationRequest) -> list[Entry]:
    """Every entry of the request's conversation and clock, newest first."""
    messages = req.messages.select_related("author__organisation")
    extensions = req.extensions.select_related("recorded_by__organisation")
    entries = [
        *(_message_entry(m) for m in messages),
        *(_clock_entry(s) for s in req.clock_stops.all()),
        *(_extension_entry(e) for e in extensions),
    ]
    return sorted(entries, key=lambda e: e.at, reverse=True)
