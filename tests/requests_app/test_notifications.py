import pytest
from django.core import mail

from tests import workflow_helpers as wf

pytestmark = pytest.mark.django_db


def test_emails_carry_only_the_reference(
    alice, bob, sally, met, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        req = wf.submitted(alice, met)
    with django_capture_on_commit_callbacks(execute=True):
        from requests_app import workflow

        workflow.transition(reference=req.reference, action="take", actor=bob)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.transition(
            reference=req.reference,
            action="disclose",
            actor=bob,
            part_b=wf.part_b(signature_name=bob.full_name),
        )
    assert len(mail.outbox) >= 3
    recipients = {addr for m in mail.outbox for addr in m.to}
    assert {bob.email, sally.email, alice.email} <= recipients
    for message in mail.outbox:
        text = message.subject + message.body
        assert req.reference in text
        for personal in (req.subject_name, req.subject_address, "1990", "ASB reports"):
            assert personal not in text


def test_a_withdrawal_tells_the_assigned_discloser_and_closing_tells_them_too(
    alice, bob, sally, met, django_capture_on_commit_callbacks
):
    from requests_app import workflow

    with django_capture_on_commit_callbacks(execute=True):
        req = wf.under_review(alice, met, bob)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.transition(reference=req.reference, action="withdraw", actor=alice)
    assert [(m.subject, m.to) for m in mail.outbox] == [
        (f"Information request {req.reference} has been withdrawn", [bob.email])
    ]

    with django_capture_on_commit_callbacks(execute=True):
        decided = wf.under_review(alice, met, bob)
        workflow.transition(
            reference=decided.reference,
            action="disclose",
            actor=bob,
            part_b=wf.part_b(signature_name=bob.full_name),
        )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.transition(reference=decided.reference, action="close", actor=alice)
    assert [(m.subject, m.to) for m in mail.outbox] == [
        (f"Information request {decided.reference} has been closed", [bob.email])
    ]


def test_withdrawing_a_request_nobody_took_tells_the_spocs(
    alice, sally, sid, met, django_capture_on_commit_callbacks
):
    from requests_app import workflow

    with django_capture_on_commit_callbacks(execute=True):
        req = wf.submitted(alice, met)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.transition(reference=req.reference, action="withdraw", actor=alice)
    assert len(mail.outbox) == 1
    assert sorted(mail.outbox[0].to) == sorted([sally.email, sid.email])


def test_urgent_requests_say_so_and_every_email_gives_the_due_date(
    alice, bob, met, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        req = wf.submitted(alice, met, is_urgent=True, urgency_reason="Risk of harm tonight")
    req.refresh_from_db()
    message = mail.outbox[-1]
    assert message.subject.startswith("URGENT: ")
    assert "Urgent: yes" in message.body
    assert "Reply due by:" in message.body
    assert "Risk of harm" not in message.body
