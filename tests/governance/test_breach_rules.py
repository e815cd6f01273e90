"""The UK GDPR Art 33 rules of the breach register, as Problems the forms show and the services
refuse on."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from governance.breaches import rules as breach_rules
from governance.breaches.models import Breach, BreachRisk, BreachStatus, IcoDecision
from ui.problems import Problem

AWARE = timezone.make_aware(datetime.datetime(2026, 3, 4, 10, 0))
NOW = AWARE + datetime.timedelta(hours=1)


def _breach(**overrides) -> Breach:
    values = {
        "became_aware_at": AWARE,
        "risk": BreachRisk.MEDIUM,
        "ico_decision": IcoDecision.PENDING,
        "ico_reported_at": None,
        "not_reported_reason": "",
        "delay_reason": "",
        "remedial_action": "The email was deleted.",
        "lessons_learned": "",
        "status": BreachStatus.OPEN,
    }
    values.update(overrides)
    return Breach(**values)


def test_a_report_made_in_the_past_after_the_breach_has_no_problems():
    assert (
        breach_rules.unmet_for_report(occurred_on=AWARE.date(), became_aware_at=AWARE, now=NOW)
        == []
    )


def test_a_report_cannot_be_aware_in_the_future_or_before_the_breach():
    assert breach_rules.unmet_for_report(
        occurred_on=AWARE.date() + datetime.timedelta(days=1),
        became_aware_at=AWARE,
        now=AWARE - datetime.timedelta(minutes=1),
    ) == [
        Problem("became_aware_time", breach_rules.BECAME_AWARE_IN_FUTURE),
        Problem("occurred_on", breach_rules.OCCURRED_AFTER_AWARE),
    ]


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (
            {"ico_decision": IcoDecision.NOT_REPORTED},
            Problem("ico_decision", breach_rules.REPORT_REQUIRED),
        ),
        (
            {"ico_decision": IcoDecision.NOT_REPORTED, "risk": BreachRisk.LOW},
            Problem("not_reported_reason", breach_rules.NOT_REPORTED_REASON_MISSING),
        ),
        (
            {"ico_decision": IcoDecision.REPORTED},
            Problem("ico_reported_on", breach_rules.REPORTED_AT_MISSING),
        ),
        (
            {"ico_decision": IcoDecision.REPORTED, "ico_reported_at": NOW + datetime.timedelta(1)},
            Problem("ico_reported_time", breach_rules.REPORTED_AT_IN_FUTURE),
        ),
        (
            {
                "ico_decision": IcoDecision.REPORTED,
                "ico_reported_at": AWARE + datetime.timedelta(days=4),
            },
            Problem("delay_reason", breach_rules.DELAY_REASON_MISSING),
        ),
    ],
)
def test_each_update_rule_names_its_question(data, problem):
    # Five days on: every report time above is in the past, except the one a day after NOW.
    now = AWARE + datetime.timedelta(days=5)
    if problem.field == "ico_reported_time":
        now = NOW
    assert breach_rules.unmet_for_update(breach=_breach(), data=data, now=now) == [problem]


def test_a_report_cannot_come_before_becoming_aware():
    data = {"ico_decision": IcoDecision.REPORTED, "ico_reported_at": AWARE - datetime.timedelta(1)}
    [problem] = breach_rules.unmet_for_update(breach=_breach(), data=data, now=NOW)
    assert problem.field == "ico_reported_on"
    assert problem.message.startswith("Date and time reported to the ICO must be after")


def test_a_report_made_stays_on_the_record():
    breach = _breach(ico_decision=IcoDecision.REPORTED, ico_reported_at=NOW)
    assert breach_rules.unmet_for_update(
        breach=breach, data={"ico_decision": IcoDecision.PENDING}, now=NOW
    ) == [Problem("ico_decision", breach_rules.REPORT_KEPT)]


def test_closing_needs_the_decision_the_action_and_the_lessons():
    assert breach_rules.unmet_for_closing(
        ico_decision=IcoDecision.PENDING, remedial_action=" ", lessons_learned=""
    ) == [
        Problem("ico_decision", breach_rules.DECISION_MISSING_BEFORE_CLOSING),
        Problem("remedial_action", breach_rules.REMEDIAL_ACTION_MISSING_BEFORE_CLOSING),
        Problem("lessons_learned", breach_rules.LESSONS_MISSING_BEFORE_CLOSING),
    ]


def test_update_gives_one_problem_a_question():
    data = {"status": BreachStatus.CLOSED, "ico_decision": IcoDecision.NOT_REPORTED}
    assert breach_rules.unmet_for_update(breach=_breach(), data=data, now=NOW) == [
        Problem("ico_decision", breach_rules.REPORT_REQUIRED),
        Problem("lessons_learned", breach_rules.LESSONS_MISSING_BEFORE_CLOSING),
    ]
