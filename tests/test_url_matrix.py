"""Every URL of the project, for every kind of person: the expected status of a GET.

A new URL without an entry here fails test_every_url_has_an_entry.
"""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from governance.accounts import services as accounts
from governance.accounts.services import AccountValues
from governance.audit.models import AuditAction, AuditEvent
from governance.breaches import services as breach_services
from governance.breaches.models import Breach
from governance.people.models import AccountChange, User
from tests import workflow_helpers as wf

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "requester",
    "same_org_officer",
    "assigned_discloser",
    "unassigned_discloser",
    "third_org_officer",
    "spoc",
    "board_member",
    "administrator",
]
SIGNED_IN = ROLES[1:]
OFFICERS = ROLES[1:-1]


def expect(allowed: dict[str, int] | list[str], other: int = 403, anonymous: int = 302):
    """Map every role to a status: `allowed` roles get 200 (or their given status)."""
    allowed_map = allowed if isinstance(allowed, dict) else dict.fromkeys(allowed, 200)
    result = {}
    for role in ROLES:
        if role == "anonymous":
            result[role] = allowed_map.get(role, anonymous)
        else:
            result[role] = allowed_map.get(role, other)
    return result


EVERYONE = {role: 200 for role in ROLES}

# The request is under review, assigned to the Met's assigned disclosing officer.
EXPECTED: dict[str, dict[str, int]] = {
    "home": expect(SIGNED_IN),
    "healthz": EVERYONE,
    "login": expect({"anonymous": 200}, other=302),
    "logout": expect([], other=405, anonymous=405),
    "keep_alive": expect([], other=405, anonymous=405),
    "protocol": EVERYONE,
    "accessibility": EVERYONE,
    "privacy": EVERYONE,
    "cookies": EVERYONE,
    "requests_app:mine": expect(["requester", "same_org_officer", "third_org_officer"]),
    "requests_app:new": expect(["requester", "same_org_officer", "third_org_officer"]),
    "requests_app:new_about_you": expect(["requester", "same_org_officer", "third_org_officer"]),
    # Part A's task list, its pages and "Check your answers": drafts only, for their requester.
    "requests_app:task_list": expect([]),
    "requests_app:part_a_page": expect([]),
    "requests_app:check_answers": expect([]),
    "requests_app:detail": expect(
        ["requester", "assigned_discloser", "unassigned_discloser", "spoc"]
    ),
    "requests_app:edit": expect([]),
    "requests_app:submit": expect([], other=405),  # POST only; refusals in test_views
    # Only a draft is deleted; the request here was sent, so its requester is told why not.
    "requests_app:delete_draft": expect(["requester"]),
    # The receiving SPOC gives a reason to open personal details (ADR 0002).
    "requests_app:open_details": expect(["spoc"]),
    "requests_app:submitted": expect(["requester"]),
    "requests_app:assign": expect(["spoc"]),
    "requests_app:more_information": expect(["assigned_discloser"]),
    "requests_app:decide": expect(["assigned_discloser"]),
    # The assigned officer gives a request back to the queue; the receiving SPOC or the assigned
    # officer records an extension agreed with the requester.
    "requests_app:give_back": expect(["assigned_discloser"]),
    "requests_app:extend": expect(["assigned_discloser", "spoc"]),
    "requests_app:attachment": expect({"requester": 404, "assigned_discloser": 404}),
    "requests_app:action": expect(["requester"]),
    # Not sent back here, so its requester is told why it cannot be sent again.
    "requests_app:provide_more_information": expect(["requester"]),
    "requests_app:inbox": expect(
        ["assigned_discloser", "unassigned_discloser", "third_org_officer", "spoc"]
    ),
    # The SPOC has not given a reason to open the personal details here (ADR 0002).
    "requests_app:pdf": expect(["requester", "assigned_discloser"]),
    "requests_app:pdf_protected": expect([], other=405),  # POST only; test_pdf_protection
    "requests_app:pdf_protected_download": expect(  # unknown token: 404 for those who may print
        {"requester": 404, "assigned_discloser": 404}
    ),
    "requests_app:blank_request_form": expect(OFFICERS),
    "consent:blank_form": expect(OFFICERS),
    "oversight:audit": expect(["spoc"]),
    # The DPA 2018 s.62 log export: a SPOC their own organisation's, the administrator any.
    "oversight:s62_export": expect(["spoc", "administrator"]),
    # The SPOC's emails not delivered; sending one again is POST only.
    "oversight:undelivered": expect(["spoc"]),
    "oversight:undelivered_send_again": expect([], other=405, anonymous=405),
    # A request's consent records; an unknown record is 404 for those who may see it.
    "consent:list": expect(["requester", "assigned_discloser"]),
    "consent:new": expect(["requester"]),
    # Nothing waiting to be checked: back to the form.
    "consent:check": expect({"requester": 302}),
    "consent:detail": expect({"requester": 404, "assigned_discloser": 404}),
    "consent:withdraw": expect({"requester": 404, "assigned_discloser": 404}),
    "consent:pdf": expect({"requester": 404, "assigned_discloser": 404}),
    # The Met's breach, reported by the assigned disclosing officer (see world).
    "breaches:register": expect(["spoc", "board_member"]),
    "breaches:new": expect(OFFICERS),
    "breaches:detail": expect(["assigned_discloser", "spoc", "board_member"]),
    "breaches:reported": expect(["assigned_discloser"]),
    "breaches:update": expect(["spoc"]),
    "breaches:update_check": expect({"spoc": 302}),  # nothing waiting: back to the form
    # Organisations and accounts: portal administrators only (10.5.1-10.5.2).
    "accounts:organisations": expect(["administrator"]),
    "accounts:organisation_new": expect(["administrator"]),
    "accounts:organisation_edit": expect(["administrator"]),
    "accounts:accounts": expect(["administrator"]),
    "accounts:account_new": expect(["administrator"]),
    "accounts:account_detail": expect(["administrator"]),
    "accounts:account_change": expect(["administrator"]),
    "accounts:account_deactivate": expect(["administrator"]),
    "accounts:account_reactivate": expect(["administrator"]),
    "accounts:account_password_link": expect(["administrator"]),
    # The administrator's pending change to the Met's unassigned disclosing officer (see world):
    # the Met's SPOC may decide it; the administrator who proposed it only sees it (7.4).
    "accounts:changes": expect(["spoc", "administrator"]),
    "accounts:change_detail": expect(["spoc", "administrator"]),
    "accounts:change_confirm": expect([], other=405, anonymous=405),  # POST only
    "accounts:change_reject": expect(["spoc"]),
    # An unknown link: the "expired or already used" page, whoever opens it.
    "accounts:password_set": EVERYONE,
    "accounts:password_forgotten": EVERYONE,
    # Sign-in lockouts: the SPOC (their organisation's people) and the administrator (all);
    # unlocking is POST only (refusals in tests/governance/test_lockout.py).
    "accounts:lockouts": expect(["spoc", "administrator"]),
    "accounts:lockout_unlock": expect([], other=405, anonymous=405),
    "accounts:lockout_unlock_address": expect([], other=405, anonymous=405),
    # The second factor (ADR 0006): everyone here has passed it, so its pages send them on;
    # a session that passed the password alone is tested in tests/governance/test_second_factor.py.
    "accounts:second_factor": expect([], other=302),
    "accounts:second_factor_set_up": expect([], other=302),
    "accounts:second_factor_recovery": expect([], other=302),
    "accounts:security": expect(SIGNED_IN),
    "accounts:recovery_codes_regenerate": expect([], other=405, anonymous=405),  # POST only
    # The SPOC's own organisation's people, to reset a lost phone (protocol 7.4).
    "accounts:organisation_people": expect(["spoc"]),
    # Colin's second factor: an administrator or the Council's SPOC, never the Met's SPOC.
    "accounts:account_second_factor_reset": expect(["administrator"]),
    # Passkeys: the WebAuthn ceremonies are POST only (JSON), and refuse anonymous people with a
    # JSON 403; removing an unknown passkey is 404 (someone else's: tests/governance/test_passkeys).
    "passkeys:register_begin": expect([], other=405, anonymous=403),
    "passkeys:register_complete": expect([], other=405, anonymous=403),
    "passkeys:verify_begin": expect([], other=405, anonymous=403),
    "passkeys:verify_complete": expect([], other=405, anonymous=403),
    "passkeys:remove": expect([], other=404),
}


def _url_names(resolver: URLResolver | None = None, namespace: str = "") -> set[str]:
    resolver = resolver or get_resolver()
    names = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue  # Django's admin: covered by the administrator tests below
            ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= _url_names(pattern, ns)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


def test_every_url_has_an_entry():
    assert _url_names() == set(EXPECTED)


def _met_breach(*, reporter) -> Breach:
    aware = timezone.now() - datetime.timedelta(hours=1)
    data = {
        "request": None,
        "occurred_on": timezone.localdate(aware),
        "became_aware_at": aware,
        "what_happened": "A request form was left on a shared printer.",
        "data_categories": "Name and address of one person.",
        "people_affected": 1,
        "effects": "Possible distress.",
        "remedial_action": "The form was retrieved and locked away.",
        "risk": "low",
    }
    return breach_services.breach_report_create(reporter=reporter, data=data)


@pytest.fixture
def world(alice, colin, bob, bea, charlie, sally, brenda, adam, met):
    req = wf.under_review(alice, met, bob)
    _met_breach(reporter=bob)
    accounts.account_change_propose(
        proposer=adam,
        public_id=bea.public_id,
        values=AccountValues(
            organisation=met, is_requesting_officer=True, is_disclosing_officer=True
        ),
    )
    return {
        "request": req,
        "anonymous": None,
        "requester": alice,
        "same_org_officer": colin,
        "assigned_discloser": bob,
        "unassigned_discloser": bea,
        "third_org_officer": charlie,
        "spoc": sally,
        "board_member": brenda,
        "administrator": adam,
    }


def _url(name: str, reference: str) -> str:
    kwargs: dict[str, str] = {}
    if name.startswith("requests_app:") and name not in (
        "requests_app:mine",
        "requests_app:new",
        "requests_app:new_about_you",
        "requests_app:inbox",
        "requests_app:blank_request_form",
        "consent:blank_form",
    ):
        kwargs["reference"] = reference
    if name == "requests_app:action":
        kwargs["action"] = "withdraw"
    if name == "requests_app:attachment":
        kwargs["attachment_id"] = str(uuid.uuid4())
    if name == "requests_app:pdf_protected_download":
        kwargs["token"] = "unknown-token"
    if name == "requests_app:part_a_page":
        kwargs["page"] = "about-the-person"
    if name in ("breaches:detail", "breaches:reported", "breaches:update", "breaches:update_check"):
        kwargs["reference"] = Breach.objects.get().reference
    if name.startswith("consent:") and name != "consent:blank_form":
        kwargs["reference"] = reference
    if name.startswith("accounts:account_") and name != "accounts:account_new":
        kwargs["public_id"] = str(User.objects.get(email="colin@council.example").public_id)
    if name == "accounts:organisation_edit":
        kwargs["short_code"] = "met"
    if name.startswith("accounts:change_"):
        kwargs["public_id"] = str(AccountChange.objects.get().public_id)
    if name == "accounts:password_set":
        kwargs.update(account_ref=str(uuid.uuid4()), token="unknown-token")
    if name == "accounts:lockout_unlock":
        kwargs["public_id"] = str(User.objects.get(email="colin@council.example").public_id)
    if name in ("consent:detail", "consent:withdraw", "consent:pdf"):
        kwargs["public_id"] = str(uuid.uuid4())
    if name == "passkeys:remove":
        kwargs["reference"] = "0" * 64
    if name == "oversight:undelivered_send_again":
        kwargs["public_id"] = str(uuid.uuid4())
    return reverse(name, kwargs=kwargs)


@pytest.mark.parametrize("role", ROLES)
def test_url_matrix(client, world, role):
    user = world[role]
    if user is not None:
        client.force_login(user)
    reference = world["request"].reference
    mismatches = []
    for name, expected in sorted(EXPECTED.items()):
        response = client.get(_url(name, reference))
        if response.status_code != expected[role]:
            mismatches.append((name, expected[role], response.status_code))
    assert mismatches == []


@pytest.mark.parametrize(
    "role", ["same_org_officer", "third_org_officer", "board_member", "administrator"]
)
def test_refusal_is_audited_and_reveals_nothing(client, world, role):
    client.force_login(world[role])
    req = world["request"]
    response = client.get(reverse("requests_app:detail", args=[req.reference]))
    assert response.status_code == 403
    body = response.content.decode()
    assert req.subject_name not in body
    assert "You do not have access to this page" in body
    event = AuditEvent.objects.filter(action=AuditAction.PERMISSION_DENIED).latest("id")
    assert event.actor == world[role]
    assert event.object_reference == req.reference


def test_unknown_reference_is_404_for_everyone_signed_in(client, world):
    client.force_login(world["assigned_discloser"])
    assert client.get("/requests/ISP-2026-999999/").status_code == 404


def test_administrator_gets_no_access_to_the_admin_and_it_holds_no_personal_data_models(
    client, world
):
    """Django's admin is for superusers (break-glass); the portal administrator uses the
    portal's own pages, where role changes need a second person."""
    client.force_login(world["administrator"])
    response = client.get(reverse("admin:index"), follow=True)
    assert response.status_code == 403
    assert client.get(reverse("admin:governance_user_changelist"), follow=True).status_code == 403
    registered = {model._meta.label for model in admin.site._registry}
    personal = {
        "requests_app.InformationRequest",
        "requests_app.Disclosure",
        "requests_app.DecisionRecord",
        "requests_app.Attachment",
        "audit.AuditEvent",
        "governance.Breach",
        "consent.ConsentRecord",
    }
    assert registered & personal == set()


@pytest.mark.parametrize("role", ["requester", "assigned_discloser", "spoc", "board_member"])
def test_officers_cannot_open_the_admin(client, world, role):
    client.force_login(world[role])
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
    assert client.get(response["Location"]).status_code == 403
    event = AuditEvent.objects.filter(action=AuditAction.PERMISSION_DENIED).latest("id")
    assert event.actor == world[role]
