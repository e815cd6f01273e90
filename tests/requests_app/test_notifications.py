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
