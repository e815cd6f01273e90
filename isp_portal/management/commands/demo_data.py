"""Create one demo person per role in every Partner Organisation, and a demo administrator."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from governance.people.factories import DEMO_PASSWORD, UserFactory
from governance.people.models import Organisation, SpocRole, User
from governance.people.permissions_setup import portal_admin_group_sync
from requests_app import services, workflow
from requests_app.factories import part_a_data
from requests_app.models import InformationRequest, Legislation

ROLES: list[tuple[str, str, str, dict[str, Any]]] = [
    # (email local part, name prefix, job title, role flags)
    (
        "requester",
        "Requesting Officer",
        "Community Safety Officer",
        {"is_requesting_officer": True},
    ),
    (
        "discloser",
        "Disclosing Officer",
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
    ("board", "Board Member", "CSP Board Member", {"is_board_member": True}),
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


class Command(BaseCommand):
    help = "Create demo people for every organisation (demo mode only; refuses when DEBUG is off)."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError("Demo data is only for demo mode: refusing to run with DEBUG off.")
        with transaction.atomic():
            created = self._create()
            self._demo_request()
        self.stdout.write(self.style.SUCCESS(f"Demo people ready ({created} new)."))
        self.stdout.write(f"Every demo account's password: {DEMO_PASSWORD}")
        for email in [
            "admin@portal.example",
            *(f"{r[0]}@{c}.example" for c in ("council", "met") for r in ROLES),
        ]:
            self.stdout.write(f"  {email}")
        self.stdout.write(
            "  (and <role>@<code>.example for the other organisations: "
            + ", ".join(Organisation.objects.values_list("short_code", flat=True))
            + ")"
        )

    def _demo_request(self) -> None:
        """One request from the Council to the Met, waiting in the Met's inbox (made-up data)."""
        if InformationRequest.objects.exists():
            return
        requester = User.objects.get(email="requester@council.example")
        met = Organisation.objects.get(short_code="met")
        data = part_a_data(receiving_organisation=met)
        data["legislation"] = list(Legislation.objects.filter(position__in=[2, 3]))
        req = services.request_create(requester=requester, data=data)
        workflow.transition(
            reference=req.reference,
            action="submit",
            actor=requester,
            signature_name=requester.full_name,
        )
        self.stdout.write(f"Demo request {req.reference}: Council to the Met, submitted.")

    def _create(self) -> int:
        created_ids: list[int] = []
        if not User.objects.filter(email="admin@portal.example").exists():
            UserFactory(
                email="admin@portal.example",
                full_name="Portal Administrator",
                job_title="Portal administrator",
                organisation=None,
                is_portal_admin=True,
                is_staff=True,
                department="",
                password=None,
            )
            created_ids.append(User.objects.get(email="admin@portal.example").pk)
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
        return len(created_ids)
