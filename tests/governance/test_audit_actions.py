"""Every action of the audit vocabulary that a page performs is recorded by that page.

One test per action, performed through the views as a person would (Django's test client), each
asserting the event's fields: who, their organisation, what, which request, the organisations
concerned, the source address, and that no subject data is in the event.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from governance.audit.models import AuditAction, AuditEvent
from governance.people.factories import DEMO_PASSWORD
from governance.people.models import Organisation, User
from requests_app import workflow
from requests_app.factories import part_a_data
from requests_app.models import Attachment, InformationRequest, Legislation, Status
from tests import workflow_helpers as wf

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]

IP = "203.0.113.7"
USER_AGENT = "AuditTest/1.0 (test client)"
SUBJECT = part_a_data()
SUBJECT_DATA = (str(SUBJECT["subject_name"]), str(SUBJECT["subject_address"]), "1990-03-27")

# Actions no page performs yet: a feature that adds one moves it to a test here or below.
NO_VIEW_YET: set[AuditAction] = set()
# Actions whose pages' own tests assert their events.
TESTED_ELSEWHERE = {
    AuditAction.PDF_PRINTED: "tests/requests_app/test_pdf.py",
    AuditAction.CONSENT_RECORDED: "tests/consent/test_consent_new_view.py",
    AuditAction.CONSENT_WITHDRAWN: "tests/consent/test_consent_withdraw_view.py",
    AuditAction.BREACH_REPORTED: "tests/governance/test_breaches.py",
    AuditAction.BREACH_UPDATED: "tests/governance/test_breaches.py",
    AuditAction.ACCOUNT_CHANGE_PROPOSED: "tests/governance/test_accounts.py",
    AuditAction.ACCOUNT_CHANGE_CONFIRMED: "tests/governance/test_accounts.py",
    AuditAction.ACCOUNT_CHANGE_REJECTED: "tests/governance/test_accounts.py",
    AuditAction.ACCOUNT_DEACTIVATED: "tests/governance/test_accounts.py",
    AuditAction.PASSWORD_LINK_SENT: "tests/governance/test_accounts.py",
    AuditAction.PASSWORD_LINK_REQUESTED: "tests/governance/test_accounts.py",
    AuditAction.PASSWORD_SET: "tests/governance/test_accounts.py",
    AuditAction.ORGANISATION_CREATED: "tests/governance/test_accounts.py",
    AuditAction.ORGANISATION_CHANGED: "tests/governance/test_accounts.py",
    AuditAction.REQUEST_DRAFT_DELETED: "tests/requests_app/test_draft_delete.py",
    AuditAction.PERSONAL_DETAILS_JUSTIFIED: "tests/requests_app/test_spoc_details_access.py",
    AuditAction.SEARCH_MADE: "tests/requests_app/test_lists.py",
    AuditAction.EMAIL_SENT_AGAIN: "tests/governance/test_undelivered_emails.py",
    AuditAction.SECOND_FACTOR_SET_UP: "tests/governance/test_second_factor.py",
    AuditAction.SECOND_FACTOR_FAILED: "tests/governance/test_second_factor.py",
    AuditAction.RECOVERY_CODE_USED: "tests/governance/test_second_factor.py",
    AuditAction.RECOVERY_CODES_REGENERATED: "tests/governance/test_second_factor.py",
    AuditAction.SECOND_FACTOR_RESET: "tests/governance/test_second_factor.py",
    AuditAction.PASSKEY_ADDED: "tests/governance/test_passkeys.py",
    AuditAction.PASSKEY_REMOVED: "tests/governance/test_passkeys.py",
    AuditAction.PASSKEY_USED: "tests/governance/test_passkeys.py",
}

COVERED: set[AuditAction] = set()
F = TypeVar("F", bound=Callable[..., Any])


def covers(action: AuditAction) -> Callable[[F], F]:
    """Marks the test that proves `action` is recorded by its page."""

    def register(test: F) -> F:
        COVERED.add(action)
        return test

    return register


@pytest.fixture
def client() -> Client:
    """A browser with a known address and user agent, so the events' source can be asserted."""
    return Client(REMOTE_ADDR=IP, HTTP_USER_AGENT=USER_AGENT)


def last_event(action: AuditAction) -> AuditEvent:
    event = AuditEvent.objects.filter(action=action).order_by("-id").first()
    assert event is not None, f"no {action.label} event"
    return event


def assert_event(
    action: AuditAction,
    *,
    actor: User | None,
    reference: str = "",
    requesting: Organisation | None = None,
    receiving: Organisation | None = None,
) -> AuditEvent:
    event = last_event(action)
    assert event.actor == actor
    assert event.actor_name == (actor.full_name if actor else "")
    assert event.actor_organisation_id == (actor.organisation_id if actor else None)
    assert event.object_reference == reference
    assert event.requesting_organisation == requesting
    assert event.receiving_organisation == receiving
    assert event.ip_address == IP
    assert event.user_agent == USER_AGENT
    assert_no_subject_data(event)
    return event


def assert_no_subject_data(event: AuditEvent) -> None:
    stored = " ".join(str(getattr(event, f.attname)) for f in AuditEvent._meta.concrete_fields)
    for value in SUBJECT_DATA:
        assert value not in stored


def part_a_post(to: Organisation, **overrides: Any) -> dict[str, Any]:
    """Part A as the browser posts it."""
    data = part_a_data(**overrides)
    post: dict[str, Any] = {
        key: value
        for key, value in data.items()
        if not isinstance(value, datetime.date | bool) and key != "receiving_organisation"
    }
    for name in ("subject_dob", "required_by"):
        day = data[name]
        assert isinstance(day, datetime.date)
        post |= {f"{name}_day": day.day, f"{name}_month": day.month, f"{name}_year": day.year}
    post["is_urgent"] = "no"
    post["receiving_organisation"] = to.pk
    post["legislation"] = [Legislation.objects.order_by("position").first().pk]
    return post


def decision_post(discloser: User) -> dict[str, Any]:
    """Part B, disclosing, as the browser posts it."""
    part_b = wf.part_b(signature_name=discloser.full_name)
    return {
        "checks": [name for name, ticked in part_b.items() if name.startswith("check_") and ticked],
        "disclosure_agreed": "yes",
        **{
            name: part_b[name]
            for name in (
                "decision_reasons",
                "information_disclosed",
                "information_type",
                "delivery_method",
                "subject_informed",
                "subject_not_informed_reason",
                "signature_name",
                *wf.WHEN_TO_SHARE_YES,
            )
        },
    }


# Sign-in and sign-out ----------------------------------------------------------------------


@covers(AuditAction.SIGNED_IN)
def test_signing_in_is_recorded(client, alice):
    response = client.post(reverse("login"), {"username": alice.email, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert_event(AuditAction.SIGNED_IN, actor=alice)


@covers(AuditAction.SIGN_IN_FAILED)
def test_failed_sign_in_is_recorded_without_the_address_typed(client, alice):
    response = client.post(reverse("login"), {"username": alice.email, "password": "wrong-one"})
    assert response.status_code == 200
    event = assert_event(AuditAction.SIGN_IN_FAILED, actor=None)
    assert alice.email not in event.detail
    assert "wrong-one" not in event.detail


@covers(AuditAction.SIGNED_OUT)
def test_signing_out_is_recorded(client, alice):
    client.force_login(alice)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert_event(AuditAction.SIGNED_OUT, actor=alice)


@covers(AuditAction.SIGN_IN_LOCKED)
def test_a_lockout_is_recorded_for_the_account_and_the_address(client, alice, council):
    for _ in range(5):
        client.post(reverse("login"), {"username": alice.email, "password": "wrong-one"})
    account_event, address_event = AuditEvent.objects.filter(
        action=AuditAction.SIGN_IN_LOCKED
    ).order_by("id")
    assert account_event.receiving_organisation == council
    assert account_event.detail.startswith(alice.email)
    assert address_event == assert_event(AuditAction.SIGN_IN_LOCKED, actor=None)
    assert address_event.detail.startswith(f"address {IP}")


@covers(AuditAction.SIGN_IN_UNLOCKED)
def test_an_unlock_is_recorded(client, alice, cora, council):
    for _ in range(5):
        client.post(reverse("login"), {"username": alice.email, "password": "wrong-one"})
    client.force_login(cora)
    response = client.post(reverse("accounts:lockout_unlock", args=[alice.public_id]))
    assert response.status_code == 302
    event = assert_event(AuditAction.SIGN_IN_UNLOCKED, actor=cora, receiving=council)
    assert event.detail.startswith(alice.email)


# The request, through its workflow -------------------------------------------------------


@covers(AuditAction.REQUEST_CREATED)
def test_creating_a_request_is_recorded(client, alice, council, met):
    client.force_login(alice)
    response = client.post(reverse("requests_app:new"), part_a_post(met))
    assert response.status_code == 302
    req = InformationRequest.objects.get(requester=alice)
    assert_event(
        AuditAction.REQUEST_CREATED,
        actor=alice,
        reference=req.reference,
        requesting=council,
        receiving=None,  # a draft has not reached the Met: its SPOC does not see it
    )


@covers(AuditAction.REQUEST_UPDATED)
def test_saving_a_draft_is_recorded(client, alice, council, met):
    req = wf.draft(alice, met)
    client.force_login(alice)
    post = part_a_post(met, information_description="ASB reports since January, for an injunction.")
    response = client.post(reverse("requests_app:edit", args=[req.reference]), post)
    assert response.status_code == 302
    assert_event(
        AuditAction.REQUEST_UPDATED,
        actor=alice,
        reference=req.reference,
        requesting=council,
        receiving=None,  # a draft has not reached the Met: its SPOC does not see it
    )


@covers(AuditAction.REQUEST_SUBMITTED)
def test_submitting_a_request_is_recorded(client, alice, council, met):
    req = wf.draft(alice, met)
    client.force_login(alice)
    response = client.post(
        reverse("requests_app:submit", args=[req.reference]), {"signature_name": alice.full_name}
    )
    assert response.status_code == 302
    assert_event(
        AuditAction.REQUEST_SUBMITTED,
        actor=alice,
        reference=req.reference,
        requesting=council,
        receiving=met,
    )


@covers(AuditAction.REQUEST_VIEWED)
def test_viewing_a_request_without_personal_details_is_recorded(client, alice, bea, council, met):
    req = wf.submitted(alice, met)
    client.force_login(bea)
    response = client.get(reverse("requests_app:detail", args=[req.reference]))
    assert response.status_code == 200
    assert SUBJECT["subject_name"] not in response.content.decode()
    assert_event(
        AuditAction.REQUEST_VIEWED,
        actor=bea,
        reference=req.reference,
        requesting=council,
        receiving=met,
    )
    assert not AuditEvent.objects.filter(
        action=AuditAction.PERSONAL_DETAILS_VIEWED, actor=bea
    ).exists()


@covers(AuditAction.PERSONAL_DETAILS_VIEWED)
def test_viewing_personal_details_is_recorded(client, alice, bob, council, met):
    req = wf.under_review(alice, met, bob)
    client.force_login(bob)
    response = client.get(reverse("requests_app:detail", args=[req.reference]))
    assert response.status_code == 200
    assert SUBJECT["subject_name"] in response.content.decode()
    assert_event(
        AuditAction.PERSONAL_DETAILS_VIEWED,
        actor=bob,
        reference=req.reference,
        requesting=council,
        receiving=met,
    )


def test_opening_the_decision_page_records_personal_details_viewed(
    client, alice, bob, council, met
):
    req = wf.under_review(alice, met, bob)
    client.force_login(bob)
    response = client.get(reverse("requests_app:decide", args=[req.reference]))
    assert response.status_code == 200
    event = assert_event(
        AuditAction.PERSONAL_DETAILS_VIEWED,
        actor=bob,
        reference=req.reference,
        requesting=council,
        receiving=met,
    )
    assert event.detail == "decision page"


@covers(AuditAction.REQUEST_ASSIGNED)
def test_taking_a_request_is_recorded(client, alice, bob, council, met):
    req = wf.submitted(alice, met)
    client.force_login(bob)
    response = client.post(reverse("requests_app:action", args=[req.reference, "take"]))
    assert response.status_code == 302
    assert_event(
        AuditAction.REQUEST_ASSIGNED,
        actor=bob,
        reference=req.reference,
        requesting=council,
        receiving=met,
    )


@covers(AuditAction.REQUEST_REASSIGNED)
def test_reassigning_a_request_is_recorded(client, alice, bob, bea, sally, council, met):
    req = wf.under_review(alice, met, bob)
    client.force_login(sally)
    response = client.post(
        reverse("requests_app:assign", args=[req.reference]), {"officer": bea.pk}
    )
    assert response.status_code == 302
    event = assert_event(
        AuditAction.REQUEST_REASSIGNED,
        actor=sally,
        reference=req.reference,
        requesting=council,
        receiving=met,
    )
    assert event.detail.endswith(f"to user {bea.pk}")


@covers(AuditAction.MORE_INFORMATION_REQUESTED)
def test_asking_for_more_information_is_recorded(client, alice, bob, council, met):
    req = wf.under_review(alice, met, bob)
    client.force_login(bob)
    response = client.post(
        reverse("requests_app:more_information", args=[req.reference]),
        {"note": "Which incidents, and over what period?"},
    )
    assert response.status_code == 302
    event = assert_event(
        AuditAction.MORE_INFORMATION_REQUESTED,
        actor=bob,
        reference=req.reference,
        requesting=council,
        receiving=met,
    )
    assert "Which incidents" not in event.detail


@covers(AuditAction.MORE_INFORMATION_PROVIDED)
def test_sending_the_updated_request_is_recorded(client, alice, bob, council, met):
    req = wf.under_review(alice, met, bob)
    workflow.transition(
        reference=req.reference, action="request_more_information", actor=bob, note="Dates?"
    )
    wf.change_part_a(req, alice, information_description="Dates: 2026 only.")
    client.force_login(alice)
    response = client.post(
        reverse("requests_app:provide_more_information", args=[req.reference]),
        {"signature_name": alice.full_name, "reply": "Dates: 2026 only."},
    )
    assert response.status_code == 302
    assert_event(
        AuditAction.MORE_INFORMATION_PROVIDED,
        actor=alice,
        reference=req.reference,
        requesting=council,
        receiving=met,
    )


@covers(AuditAction.REQUEST_GIVEN_BACK)
def test_giving_a_request_back_is_recorded(client, alice, bob, council, met):
    req = wf.under_review(alice, met, bob)
    client.force_login(bob)
    response = client.post(
        reverse("requests_app:give_back", args=[req.reference]),
        {"reason": "I know the family named in it."},
    )
    assert response.status_code == 302
    event = assert_event(
        AuditAction.REQUEST_GIVEN_BACK,
        actor=bob,
        reference=req.reference,
        requesting=council,
        receiving=met,
    )
    assert "family" not in event.detail


@covers(AuditAction.DUE_DATE_EXTENDED)
def test_recording_an_extension_is_recorded(client, alice, bob, council, met):
    req = wf.under_review(alice, met, bob)
    later = req.due_date + datetime.timedelta(days=7)
    client.force_login(bob)
    response = client.post(
        reverse("requests_app:extend", args=[req.reference]),
        {
            "new_due_date_day": later.day,
            "new_due_date_month": later.month,
            "new_due_date_year": later.year,
            "reason": "The records are held off site.",
            "agreed_with": alice.full_name,
        },
    )
    assert response.status_code == 302
    event = assert_event(
        AuditAction.DUE_DATE_EXTENDED,
        actor=bob,
        reference=req.reference,
        requesting=council,
        receiving=met,
    )
    assert "off site" not in event.detail
    assert later.isoformat() in event.detail


@covers(AuditAction.REQUEST_WITHDRAWN)
def test_withdrawing_a_request_is_recorded(client, alice, council, met):
    req = wf.submitted(alice, met)
    client.force_login(alice)
    response = client.post(reverse("requests_app:action", args=[req.reference, "withdraw"]))
    assert response.status_code == 302
    assert_event(
        AuditAction.REQUEST_WITHDRAWN,
        actor=alice,
        reference=req.reference,
        requesting=council,
        receiving=met,
    )


@covers(AuditAction.REQUEST_DECIDED)
def test_deciding_a_request_is_recorded(client, alice, bob, council, met):
    req = wf.under_review(alice, met, bob)
    client.force_login(bob)
    response = client.post(reverse("requests_app:decide", args=[req.reference]), decision_post(bob))
    assert response.status_code == 302
    req.refresh_from_db()
    assert req.status == Status.DISCLOSED
    event = assert_event(
        AuditAction.REQUEST_DECIDED,
        actor=bob,
        reference=req.reference,
        requesting=council,
        receiving=met,
    )
    assert "disclosed" in event.detail
    assert "Three reports of ASB" not in event.detail


@covers(AuditAction.REQUEST_CLOSED)
def test_closing_a_request_is_recorded(client, alice, bob, council, met):
    req = wf.disclosed(alice, met, bob)
    client.force_login(alice)
    response = client.post(reverse("requests_app:action", args=[req.reference, "close"]))
    assert response.status_code == 302
    assert_event(
        AuditAction.REQUEST_CLOSED,
        actor=alice,
        reference=req.reference,
        requesting=council,
        receiving=met,
    )


@covers(AuditAction.ATTACHMENT_DOWNLOADED)
def test_downloading_an_attachment_is_recorded(
    client, settings, tmp_path, alice, bob, council, met
):
    settings.MEDIA_ROOT = tmp_path
    req = wf.disclosed(alice, met, bob)
    attachment = Attachment.objects.create(
        request=req,
        file=ContentFile(b"continuation sheet", name="sheet.txt"),
        original_name="sheet.txt",
        uploaded_by=bob,
    )
    client.force_login(alice)
    response = client.get(
        reverse("requests_app:attachment", args=[req.reference, attachment.public_id])
    )
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"continuation sheet"
    event = assert_event(
        AuditAction.ATTACHMENT_DOWNLOADED,
        actor=alice,
        reference=req.reference,
        requesting=council,
        receiving=met,
    )
    assert event.detail == f"attachment {attachment.public_id}"


# Refusals, exports, accounts ---------------------------------------------------------------


@covers(AuditAction.PERMISSION_DENIED)
def test_a_refused_access_is_recorded(client, alice, charlie, council, met, lfb):
    req = wf.submitted(alice, met)
    client.force_login(charlie)
    response = client.get(reverse("requests_app:detail", args=[req.reference]))
    assert response.status_code == 403
    assert SUBJECT["subject_name"] not in response.content.decode()
    event = assert_event(
        AuditAction.PERMISSION_DENIED,
        actor=charlie,
        reference=req.reference,
        requesting=council,
        receiving=met,
    )
    assert event.actor_organisation == lfb
    assert event.detail == f"GET /requests/{req.reference}/ view request"
    assert not AuditEvent.objects.filter(
        action__in=[AuditAction.REQUEST_VIEWED, AuditAction.PERSONAL_DETAILS_VIEWED],
        actor=charlie,
    ).exists()


@covers(AuditAction.EXPORT_MADE)
def test_exporting_the_audit_trail_is_recorded(client, sally, met):
    client.force_login(sally)
    response = client.get(reverse("oversight:audit"), {"format": "csv", "action": "signed_in"})
    assert response.status_code == 200
    b"".join(response.streaming_content)
    event = assert_event(AuditAction.EXPORT_MADE, actor=sally)
    assert event.actor_organisation == met
    assert event.detail == "audit trail CSV: action signed_in"


@covers(AuditAction.S62_LOG_EXPORTED)
def test_exporting_the_s62_log_is_recorded(client, adam, met):
    client.force_login(adam)
    params = {"organisation": met.short_code}
    for name in ("date_from", "date_to"):
        params |= {f"{name}_day": "1", f"{name}_month": "4", f"{name}_year": "2026"}
    response = client.get(reverse("oversight:s62_export"), params)
    assert response.status_code == 200
    b"".join(response.streaming_content)
    # The organisation whose log left is on the event, so its SPOC sees the export.
    event = assert_event(AuditAction.S62_LOG_EXPORTED, actor=adam, receiving=met)
    assert event.detail == "DPA 2018 s.62 log of met: 2026-04-01 to 2026-04-01"


@covers(AuditAction.ACCOUNT_CREATED)
def test_creating_an_account_is_recorded(client, adam, met):
    client.force_login(adam)
    response = client.post(
        reverse("accounts:account_new"),
        {
            "full_name": "Nina Newcomer",
            "email": "newcomer@met.example",
            "organisation": met.pk,
            "roles": ["disclosing"],
            "spoc_role": "none",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    created = User.objects.get(email="newcomer@met.example")
    assert not created.is_active
    # The account's organisation is on the event, so its SPOC sees the change.
    event = assert_event(AuditAction.ACCOUNT_CREATED, actor=adam, receiving=met)
    assert event.detail.startswith(f"{created.email}:")


@covers(AuditAction.ACCOUNT_CHANGED)
def test_a_superuser_changing_an_account_in_the_admin_is_recorded(client, bea, met):
    root = User.objects.create_superuser(
        "root@portal.example", DEMO_PASSWORD, full_name="Root Operator"
    )
    client.force_login(root)
    response = client.post(
        reverse("admin:governance_user_change", args=[bea.pk]),
        {
            "email": bea.email,
            "full_name": bea.full_name,
            "job_title": "Senior Disclosure Officer",
            "phone": bea.phone,
            "department": bea.department,
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    bea.refresh_from_db()
    assert bea.job_title == "Senior Disclosure Officer"
    event = assert_event(AuditAction.ACCOUNT_CHANGED, actor=root, receiving=met)
    assert event.detail == f"{bea.email}: job_title (Django admin)"


def test_every_action_with_a_page_has_a_test():
    """A feature that adds a page performing an action must add its test above (or name the
    test file that asserts it in TESTED_ELSEWHERE)."""
    assert set(AuditAction) - NO_VIEW_YET - set(TESTED_ELSEWHERE) == COVERED


@pytest.mark.parametrize("action", list(TESTED_ELSEWHERE), ids=str)
def test_actions_tested_elsewhere_are_asserted_there(action):
    test_file = ROOT / TESTED_ELSEWHERE[action]
    assert f"AuditAction.{action.name}" in test_file.read_text()
