"""Demo mode's data: one demo person per role in every Partner Organisation, a demo administrator,
and a working inbox: about a dozen made-up requests in every state of the workflow (an overdue one
and an urgent one among them), a consent record and a breach.

Everything is made through the services and the workflow (requests_app.workflow.transition), so
the audit trail, due dates, clock stops and conversation are the real ones. The notifications
those moves send go to Django's in-memory mailbox while the command runs, so `make run` shows the
demo logins, not a page of raw emails. Safe to run twice; refuses to run with DEBUG off.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from consent import services as consent_services
from governance.accounts.second_factor import DEMO_TOTP_KEY, demo_device_set
from governance.breaches import services as breach_services
from governance.breaches.choices import BreachRisk
from governance.people.factories import DEMO_PASSWORD, UserFactory
from governance.people.models import Organisation, SpocRole, User
from governance.people.permissions_setup import portal_admin_group_sync
from requests_app import services, workflow
from requests_app.factories import part_a_data
from requests_app.models import InformationRequest, Legislation, SubjectRole, YesNo

ROLES: list[tuple[str, str, str, dict[str, Any]]] = [
    # (email local part, role as the logins table names it, job title, role flags)
    (
        "requester",
        "Requesting officer",
        "Community Safety Officer",
        {"is_requesting_officer": True},
    ),
    (
        "discloser",
        "Disclosing officer",
        "Information Disclosure Officer",
        {"is_disclosing_officer": True},
    ),
    ("spoc", "SPOC", "Information Governance Lead", {"spoc_role": SpocRole.SPOC}),
    (
        "backup-spoc",
        "Back-up SPOC",
        "Information Governance Officer",
        {"spoc_role": SpocRole.BACKUP},
    ),
    ("board", "Board member", "CSP Board Member", {"is_board_member": True}),
]


# Made-up names for demo people: (first names per role) x (surnames per organisation).
FIRST_NAMES = ["Rae", "Dev", "Sam", "Bea", "Kit"]
SURNAMES = {
    "council": "Okafor",
    "met": "Lindqvist",
    "lfb": "Moreno",
    "ccg": "Achebe",
    "nps": "Kowalski",
    "crc": "Nakamura",
    "beh": "Oduya",
    "hfh": "Petrescu",
    "brt": "Quinlan",
}


def demo_name(org_code: str, role_index: int) -> str:
    surname = SURNAMES.get(org_code, org_code.title())
    return f"{FIRST_NAMES[role_index]} {surname}"


# The organisations whose people the logins table lists; the others follow the same pattern.
TABLE_ORGANISATIONS = ("council", "met")
ADMIN_EMAIL = "admin@portal.example"


@contextmanager
def emails_kept_in_memory() -> Iterator[None]:
    """The demo's notifications are sent, but into Django's in-memory mailbox (locmem), and the
    task engine runs their tasks inline while the command runs, so none waits in the queue to be
    printed by the console backend later. Emails from what people do afterwards print as usual."""
    from django_q.conf import Conf, logger

    inline, level = Conf.SYNC, logger.level
    Conf.SYNC = True
    logger.setLevel(logging.WARNING)  # not a line per task run inline
    try:
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            yield
    finally:
        Conf.SYNC = inline
        logger.setLevel(level)


@dataclass(frozen=True)
class Login:
    username: str
    role: str
    organisation: str


def demo_logins() -> list[Login]:
    """The administrator, then every role of the organisations the table lists."""
    logins = [Login(ADMIN_EMAIL, "Portal administrator", "none: accounts only")]
    for org in Organisation.objects.filter(short_code__in=TABLE_ORGANISATIONS).order_by("pk"):
        for local, role, _title, _flags in ROLES:
            logins.append(Login(f"{local}@{org.short_code}.example", role, org.name))
    return logins


def logins_table(logins: list[Login]) -> list[str]:
    """An aligned plain-text table: username, role, organisation, password; then the second
    factor every demo account shares."""
    rows = [("Username", "Role", "Organisation", "Password")]
    rows += [(login.username, login.role, login.organisation, DEMO_PASSWORD) for login in logins]
    widths = [max(len(row[column]) for row in rows) for column in range(3)]
    return [
        "  ".join(cell.ljust(width) for cell, width in zip(row[:3], widths, strict=True))
        + "  "
        + row[3]
        for row in rows
    ] + [
        f"Second factor: add the demo key {DEMO_TOTP_KEY} to an authenticator app, "
        "or run `make demo-code` for the current code."
    ]


# ---------------------------------------------------------------------------------------------
# The demo requests: made-up people only.

DEMO_SUBJECTS = [
    # (name, address, date of birth); none is a real person
    ("Sam Example", "Flat 1, 2 Example Road, London N17 0ZZ", datetime.date(1990, 3, 27)),
    ("Jo Sample", "14 Specimen Street, London N15 0ZZ", datetime.date(1984, 11, 2)),
    ("Alex Placeholder", "3 Dummy Close, London N22 0ZZ", datetime.date(1999, 6, 14)),
    ("Riley Fictional", "27 Pretend Avenue, London N8 0ZZ", datetime.date(1976, 1, 30)),
    ("Morgan Testcase", "Flat 9, Mock Court, London N17 0ZY", datetime.date(2002, 9, 8)),
    ("Casey Madeup", "5 Imaginary Lane, London N4 0ZZ", datetime.date(1988, 4, 19)),
]

QUESTION = (
    "Please give the dates of the incidents you are asking about, and the case number of the "
    "injunction application."
)
REPLY = "Incidents between 1 March and 30 June this year; injunction case ASB/2026/0412."

PART_B_SHARE = {
    "check_form_complete": True,
    "check_consent_evidence": False,
    "check_necessary": True,
    "check_accurate": True,
    "check_depersonalised": True,
    "check_need_to_know": True,
    "check_secure": True,
    "share_legitimate_purpose": "yes",
    "share_identifiable": "yes",
    "share_confidential": "yes",
    "share_consent": "no",
    "share_other_lawful_reason": "yes",
    "decline_reason": "",
    "decision_reasons": "Necessary and proportionate to prevent further anti-social behaviour; "
    "the requester has a legitimate purpose under s.17 of the Crime and Disorder Act 1998.",
    "information_disclosed": "Three reports of anti-social behaviour at the address this year "
    "(noise, threats to neighbours, criminal damage). No arrests.",
    "information_type": "Police incident summaries",
    "delivery_method": "portal",
    "delivery_method_other": "",
    "subject_informed": "no",
    "subject_not_informed_reason": "Informing would prejudice the prevention of crime.",
    "authorised_by": "",
}

PART_B_DECLINE = {
    **PART_B_SHARE,
    "share_identifiable": "no",
    "decline_reason": "The request does not show why identifiable information is needed; "
    "depersonalised figures for the street would meet the purpose.",
    "decision_reasons": "",
    "information_disclosed": "",
    "information_type": "",
}


class Demo:
    """Builds the demo requests as their users would, through the workflow."""

    def __init__(self) -> None:
        self.requester = User.objects.get(email="requester@council.example")
        self.discloser = User.objects.get(email="discloser@met.example")
        self.met = Organisation.objects.get(short_code="met")
        self.legislation = list(
            Legislation.objects.filter(is_active=True)
            .order_by("position")
            .values_list("pk", flat=True)[:2]
        )
        self.count = 0

    def draft(
        self, *, requester: User | None = None, to: Organisation | None = None, **part_a: Any
    ) -> InformationRequest:
        name, address, dob = DEMO_SUBJECTS[self.count % len(DEMO_SUBJECTS)]
        self.count += 1
        data = part_a_data(
            receiving_organisation=to or self.met,
            subject_name=name,
            subject_address=address,
            subject_dob=dob,
            **part_a,
        )
        data["legislation"] = self.legislation
        return services.request_create(requester=requester or self.requester, data=data)

    def move(
        self, req: InformationRequest, action: str, actor: User, **data: Any
    ) -> InformationRequest:
        return workflow.transition(reference=req.reference, action=action, actor=actor, **data)

    def submitted(self, *, requester: User | None = None, **part_a: Any) -> InformationRequest:
        req = self.draft(requester=requester, **part_a)
        who = requester or self.requester
        return self.move(req, "submit", who, signature_name=who.full_name)

    def under_review(self, **part_a: Any) -> InformationRequest:
        return self.move(self.submitted(**part_a), "take", self.discloser)

    def decided(self, action: str, part_b: dict[str, Any], **part_a: Any) -> InformationRequest:
        req = self.under_review(**part_a)
        return self.move(
            req,
            action,
            self.discloser,
            part_b={**part_b, "signature_name": self.discloser.full_name},
        )


def build_demo_requests() -> dict[str, str]:
    """About a dozen requests in every state, a consent record and a breach. Returns what each
    demo case is, by reference, for the summary."""
    demo = Demo()
    made: dict[str, str] = {}
    soon = timezone.localdate() + datetime.timedelta(days=21)

    made[demo.draft().reference] = "draft, not yet sent"
    made[demo.submitted().reference] = "submitted, waiting in the Met's queue"
    urgent = demo.submitted(
        is_urgent=True,
        urgency_reason="Case conference on the injunction application in two days.",
    )
    made[urgent.reference] = "urgent, waiting in the Met's queue"
    made[demo.under_review(required_by=soon).reference] = "under review by the Met's discloser"

    overdue = demo.under_review()
    # The demo has no history: the due date is put in the past directly, so the inbox shows an
    # Overdue tag (the chasing tasks will escalate it).
    InformationRequest.objects.filter(pk=overdue.pk).update(
        due_date=timezone.localdate() - datetime.timedelta(days=5)
    )
    made[overdue.reference] = "under review, overdue"

    asked = demo.move(
        demo.under_review(), "request_more_information", demo.discloser, note=QUESTION
    )
    made[asked.reference] = "more information needed: a question to answer"

    answered = demo.move(
        demo.under_review(), "request_more_information", demo.discloser, note=QUESTION
    )
    services.request_update(
        reference=answered.reference,
        editor=demo.requester,
        data={"information_description": f"{answered.information_description} {REPLY}"},
    )
    demo.move(
        answered,
        "provide_more_information",
        demo.requester,
        signature_name=demo.requester.full_name,
        reply=REPLY,
    )
    made[answered.reference] = "under review again: question answered, clock restarted"

    # A witness who signed the Consent form (Appendix B; protocol 5.1).
    witness = demo.under_review(
        subject_role=SubjectRole.WITNESS,
        consent_obtained=YesNo.YES,
        public_interest="",
        public_interest_reason="",
    )
    signed = timezone.localdate() - datetime.timedelta(days=2)
    consent_services.consent_record_create(
        reference=witness.reference,
        actor=demo.requester,
        data={
            "disclosing_officer_ref": "",
            "about_signer": YesNo.YES,
            "signer_capacity": "",
            "signer_capacity_other": "",
            "reasons_explained": YesNo.YES,
            "consent_given_to": demo.met.name,
            "disclose_to": demo.requester.organisation.name,
            "purposes": "Supporting an application for an anti-social behaviour injunction.",
            "signer_name": witness.subject_name,
            "signer_address": witness.subject_address,
            "signer_dob": witness.subject_dob,
            "signed_on": signed,
            "signature_method": "paper_on_file",
            "signed_form_location": "Council ASB case file 2026/0412",
            "witnessed_on": signed,
            "capacity_in_doubt": YesNo.NO,
            "child_sufficient_understanding": "",
            "no_parental_consent_reason": "",
            "capacity_impairment": "",
            "unable_to": None,
        },
    )
    made[witness.reference] = "under review, with a signed consent record"

    disclosed = demo.decided("disclose", PART_B_SHARE)
    made[disclosed.reference] = "disclosed (Part B and the decision record)"
    made[demo.decided("decline", PART_B_DECLINE).reference] = "declined, with the reason"
    withdrawn = demo.move(demo.submitted(), "withdraw", demo.requester)
    made[withdrawn.reference] = "withdrawn by the requester"
    closed = demo.move(demo.decided("disclose", PART_B_SHARE), "close", demo.requester)
    made[closed.reference] = "closed after disclosure"

    # The other way: the Met asks the Council, so the Council's inbox is not empty.
    council = demo.requester.organisation
    met_requester = User.objects.get(email="requester@met.example")
    from_met = demo.submitted(requester=met_requester, to=council)
    made[from_met.reference] = "from the Met, waiting in the Council's queue"

    # UK GDPR Art 33: a breach the Met's discloser found, linked to the disclosed request.
    aware = timezone.now() - datetime.timedelta(hours=20)
    breach = breach_services.breach_report_create(
        reporter=demo.discloser,
        data={
            "request": disclosed,
            "occurred_on": timezone.localdate(aware),
            "became_aware_at": aware,
            "what_happened": "The printed Request/Disclosure form was left on a shared printer "
            "for about an hour before it was collected.",
            "data_categories": "Name, address and date of birth of one person; police incident "
            "summaries.",
            "people_affected": 1,
            "effects": "Unlikely: the printer is in a secure police building.",
            "remedial_action": "Form collected and locked away; team reminded to use secure "
            "print release.",
            "risk": BreachRisk.LOW,
        },
    )
    made[breach.reference] = "breach report (open), linked to the disclosed request"
    return made


class Command(BaseCommand):
    help = (
        "Create demo people and a working inbox of demo requests (demo mode only; refuses when "
        "DEBUG is off)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError("Demo data is only for demo mode: refusing to run with DEBUG off.")
        if not settings.DEMO_MODE:
            # Every demo account shares the published demo key: never outside demo mode.
            raise CommandError(
                "Demo data is only for demo mode: refusing to run without DEMO_MODE."
            )
        with emails_kept_in_memory(), transaction.atomic():
            created = self._create()
            made = {} if InformationRequest.objects.exists() else build_demo_requests()
        self.stdout.write(self.style.SUCCESS(f"Demo people ready ({created} new)."))
        if not made:
            self.stdout.write(
                "Requests already exist, so no demo requests were added "
                "(delete db.sqlite3 for a fresh demo)."
            )
        else:
            requests = sum(1 for reference in made if reference.startswith("ISP-"))
            breaches = len(made) - requests
            self.stdout.write(f"Demo cases ready ({requests} requests, {breaches} breach):")
            width = max(len(reference) for reference in made)
            for reference, what in made.items():
                self.stdout.write(f"  {reference.ljust(width)}  {what}")
        self.stdout.write("")
        self.stdout.write("Demo logins (demo mode only):")
        for line in logins_table(demo_logins()):
            self.stdout.write(f"  {line}")
        self.stdout.write(
            "  Every other organisation has the same five roles, <role>@<code>.example: "
            + ", ".join(
                Organisation.objects.exclude(short_code__in=TABLE_ORGANISATIONS)
                .order_by("pk")
                .values_list("short_code", flat=True)
            )
            + "."
        )
        self.stdout.write("")

    def _create(self) -> int:
        created_ids: list[int] = []
        if not User.objects.filter(email=ADMIN_EMAIL).exists():
            UserFactory(
                email=ADMIN_EMAIL,
                full_name="Portal Administrator",
                job_title="Portal administrator",
                organisation=None,
                is_portal_admin=True,
                is_staff=True,
                department="",
                password=None,
            )
            created_ids.append(User.objects.get(email=ADMIN_EMAIL).pk)
        for org in Organisation.objects.all():
            for index, (local, _prefix, title, flags) in enumerate(ROLES):
                email = f"{local}@{org.short_code}.example"
                if User.objects.filter(email=email).exists():
                    continue
                UserFactory(
                    email=email,
                    full_name=demo_name(org.short_code, index),
                    job_title=title,
                    organisation=org,
                    department=org.department,
                    password=None,
                    **flags,
                )
                created_ids.append(User.objects.get(email=email).pk)
        portal_admin_group_sync()
        # One hash for every demo account: PBKDF2 is slow by design.
        User.objects.filter(pk__in=created_ids).update(password=make_password(DEMO_PASSWORD))
        # The second factor (ADR 0006): every demo account shares the documented demo key.
        demo_emails = [ADMIN_EMAIL] + [
            f"{local}@{org.short_code}.example"
            for org in Organisation.objects.all()
            for local, _role, _title, _flags in ROLES
        ]
        with_app = TOTPDevice.objects.filter(confirmed=True).values("user_id")
        for user in User.objects.filter(email__in=demo_emails).exclude(pk__in=with_app):
            demo_device_set(user=user)
        return len(created_ids)
