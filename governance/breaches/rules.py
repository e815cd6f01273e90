"""The rules of the breach register, as pure functions (no writes): UK GDPR Art 33's 72 hours,
what a report and an update must hold, and what must be on the record before closing.

protocol 7.1-7.3: each partner's CSP board members deal with breaches of the protocol promptly;
protocol 7.4: its SPOC and back-up SPOC review compliance. UK GDPR Art 33: a personal data breach
is reported to the ICO without undue delay and, where feasible, within 72 hours of becoming aware
of it; Art 33(5): every breach is recorded, reported or not.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from governance.breaches.choices import BreachRisk, BreachStatus, IcoDecision
from ui.problems import Problem
from ui.templatetags.govuk import govuk_datetime

if TYPE_CHECKING:
    from governance.breaches.models import Breach

# UK GDPR Art 33(1): "where feasible, not later than 72 hours after having become aware of it".
ICO_REPORTING_WINDOW = datetime.timedelta(hours=72)


# Rules ---------------------------------------------------------------------------------------


def ico_deadline(became_aware_at: datetime.datetime) -> datetime.datetime:
    """UK GDPR Art 33(1): the ICO is told within 72 hours of becoming aware of the breach.

    72 hours of elapsed time, whatever the clocks do in between: counted in UTC, because adding
    hours to a local time adds them to the wall clock."""
    return became_aware_at.astimezone(datetime.UTC) + ICO_REPORTING_WINDOW


def is_late(*, became_aware_at: datetime.datetime, reported_at: datetime.datetime) -> bool:
    """UK GDPR Art 33(1): a report made after the 72 hours must give the reasons for the delay."""
    return reported_at > ico_deadline(became_aware_at)


def ico_decision_overdue(breach: Breach, now: datetime.datetime | None = None) -> bool:
    """UK GDPR Art 33(1): the 72 hours have passed and nobody has decided whether to report."""
    now = now or timezone.now()
    return breach.ico_decision == IcoDecision.PENDING and now > ico_deadline(breach.became_aware_at)


def ico_report_required(risk: str) -> bool:
    """UK GDPR Art 33(1): only a breach unlikely to result in a risk to people's rights and
    freedoms may go unreported to the ICO."""
    return risk != BreachRisk.LOW


BECAME_AWARE_IN_FUTURE = "Time you became aware of the breach must be in the past"
OCCURRED_AFTER_AWARE = (
    "Date the breach happened must be the same as or before the date you became aware of it"
)
REPORT_KEPT = "The breach has been reported to the ICO: that report stays on the record"
REPORT_REQUIRED = (
    "A medium or high risk breach must be reported to the ICO. Select low risk if the breach is "
    "unlikely to result in a risk to people's rights and freedoms"
)
NOT_REPORTED_REASON_MISSING = "Enter the reason the breach was not reported to the ICO"
REPORTED_AT_MISSING = "Enter the date and time the breach was reported to the ICO"
REPORTED_AT_IN_FUTURE = "Time the breach was reported to the ICO must be in the past"
REPORTED_BEFORE_AWARE = (
    "Date and time reported to the ICO must be after you became aware of the breach ({aware})"
)
DELAY_REASON_MISSING = (
    "Enter the reason the breach was reported to the ICO more than 72 hours after becoming "
    "aware of it"
)
DECISION_MISSING_BEFORE_CLOSING = (
    "Select whether the breach was reported to the ICO before closing it"
)
REMEDIAL_ACTION_MISSING_BEFORE_CLOSING = "Enter the action taken before closing the breach"
LESSONS_MISSING_BEFORE_CLOSING = "Enter the lessons learned before closing the breach"


def unmet_for_report(
    *,
    occurred_on: datetime.date | None,
    became_aware_at: datetime.datetime | None,
    now: datetime.datetime | None = None,
) -> list[Problem]:
    """UK GDPR Art 33(1): the 72 hours run from the moment of becoming aware, so that moment is a
    real one, already past, and not before the breach itself."""
    if became_aware_at is None:
        return []
    problems = []
    if became_aware_at > (now or timezone.now()):
        problems.append(Problem("became_aware_time", BECAME_AWARE_IN_FUTURE))
    if occurred_on is not None and occurred_on > timezone.localdate(became_aware_at):
        problems.append(Problem("occurred_on", OCCURRED_AFTER_AWARE))
    return problems


def _first_per_field(problems: list[Problem]) -> list[Problem]:
    """One problem a question, the first found: the one to put right first."""
    seen: set[str] = set()
    kept = []
    for problem in problems:
        if problem.field not in seen:
            seen.add(problem.field)
            kept.append(problem)
    return kept


def unmet_for_update(
    *, breach: Breach, data: Mapping[str, Any], now: datetime.datetime | None = None
) -> list[Problem]:
    """What the record still lacks after the proposed change, at most one problem a question.

    `data` holds the changed fields; the rest are read from the breach as it stands."""

    def value(name: str) -> Any:
        return data[name] if name in data else getattr(breach, name)

    problems: list[Problem] = []
    decision = value("ico_decision")
    if breach.ico_decision == IcoDecision.REPORTED and decision != IcoDecision.REPORTED:
        # UK GDPR Art 33(5): a report made to the ICO stays on the record.
        problems.append(Problem("ico_decision", REPORT_KEPT))
    if decision == IcoDecision.NOT_REPORTED:
        if ico_report_required(value("risk")):
            problems.append(Problem("ico_decision", REPORT_REQUIRED))
        elif not value("not_reported_reason").strip():
            # UK GDPR Art 33(5): the record of an unreported breach says why.
            problems.append(Problem("not_reported_reason", NOT_REPORTED_REASON_MISSING))
    reported_at = value("ico_reported_at")
    if decision == IcoDecision.REPORTED:
        # UK GDPR Art 33(1): the record shows when the ICO was told, which can only be after
        # becoming aware and not later than now.
        if reported_at is None:
            problems.append(Problem("ico_reported_on", REPORTED_AT_MISSING))
        elif reported_at > (now or timezone.now()):
            problems.append(Problem("ico_reported_time", REPORTED_AT_IN_FUTURE))
        elif reported_at < breach.became_aware_at:
            aware = govuk_datetime(breach.became_aware_at)
            problems.append(Problem("ico_reported_on", REPORTED_BEFORE_AWARE.format(aware=aware)))
        elif (
            is_late(became_aware_at=breach.became_aware_at, reported_at=reported_at)
            and not value("delay_reason").strip()
        ):
            # UK GDPR Art 33(1): a report after 72 hours is accompanied by the reasons for the
            # delay.
            problems.append(Problem("delay_reason", DELAY_REASON_MISSING))
    if value("status") == BreachStatus.CLOSED:
        problems += unmet_for_closing(
            ico_decision=decision,
            remedial_action=value("remedial_action"),
            lessons_learned=value("lessons_learned"),
        )
    return _first_per_field(problems)


def unmet_for_closing(
    *, ico_decision: str, remedial_action: str, lessons_learned: str
) -> list[Problem]:
    """What must be on the record before a breach is closed.

    UK GDPR Art 33(5): the record holds the remedial action taken and the ICO decision (with the
    reason when not reported); protocol 7.3: the board deals with the breach, which includes
    learning from it."""
    problems = []
    if ico_decision == IcoDecision.PENDING:
        problems.append(Problem("ico_decision", DECISION_MISSING_BEFORE_CLOSING))
    if not remedial_action.strip():
        problems.append(Problem("remedial_action", REMEDIAL_ACTION_MISSING_BEFORE_CLOSING))
    if not lessons_learned.strip():
        problems.append(Problem("lessons_learned", LESSONS_MISSING_BEFORE_CLOSING))
    return problems
