"""The conversation on a request (protocol 9.2): the question, the requester's reply (required
before the request goes back), giving a request back to the queue (7.4), extensions agreed with
the requester, the clock stops shown, and the request page that leads with what matters."""

from __future__ import annotations

import datetime
from html import escape

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from governance.audit.models import AuditAction, AuditEvent
from governance.people.access import AccessRefused
from requests_app import deadlines, permissions, services, workflow
from requests_app.models import (
    ClockStop,
    Extension,
    InformationRequest,
    RequestMessage,
    Status,
)
from tests import workflow_helpers as wf

pytestmark = pytest.mark.django_db

REPLY = "Only the first half of 2026, please."
REASON = "I know the family named in this request."


def _detail(client, user, req: InformationRequest):
    client.force_login(user)
    return client.get(reverse("requests_app:detail", args=[req.reference]))


def _resend_url(req: InformationRequest) -> str:
    return reverse("requests_app:provide_more_information", args=[req.reference])


def _extend_post(day: datetime.date, **overrides) -> dict:
    data = {
        "new_due_date_day": day.day,
        "new_due_date_month": day.month,
        "new_due_date_year": day.year,
        "reason": "The records are held off site.",
        "agreed_with": "Alice Able",
    }
    data.update(overrides)
    return data


# --- the reply ------------------------------------------------------------------------------


def test_the_reply_is_required_before_the_request_goes_back(alice, bob, met):
    req = wf.sent_back(alice, met, bob)
    wf.change_part_a(req, alice, information_description="Reports in 2026 only.")
    with pytest.raises(workflow.TransitionNotAllowed, match=workflow.REPLY_REQUIRED):
        workflow.transition(
            reference=req.reference,
            action="provide_more_information",
            actor=alice,
            signature_name=alice.full_name,
            reply="   ",
        )
    req.refresh_from_db()
    assert req.status == Status.MORE_INFORMATION
    assert req.clock_stopped_at is not None
    assert not RequestMessage.objects.filter(kind=RequestMessage.Kind.REPLY).exists()


def test_the_reply_is_saved_with_the_move(alice, bob, met):
    req = wf.sent_back(alice, met, bob, note="Which dates?")
    wf.resend(req, alice, reply=REPLY)
    kinds = list(req.messages.values_list("kind", "text", "author"))
    assert kinds == [
        (RequestMessage.Kind.QUESTION, "Which dates?", bob.pk),
        (RequestMessage.Kind.REPLY, REPLY, alice.pk),
    ]


def test_the_page_refuses_a_send_without_a_reply(client, alice, bob, met):
    req = wf.sent_back(alice, met, bob)
    wf.change_part_a(req, alice, information_description="Reports in 2026 only.")
    client.force_login(alice)
    response = client.post(_resend_url(req), {"signature_name": alice.full_name, "reply": ""})
    assert response.status_code == 400
    assert escape(workflow.REPLY_REQUIRED) in response.content.decode()
    req.refresh_from_db()
    assert req.status == Status.MORE_INFORMATION


def test_the_thread_shows_question_and_reply_with_author_and_organisation(
    client, alice, bob, met, council
):
    req = wf.sent_back(alice, met, bob, note="Which dates?")
    wf.resend(req, alice, reply=REPLY)
    body = _detail(client, bob, req).content.decode()
    assert 'id="conversation"' in body
    assert "More information asked for" in body
    assert f"by {bob.full_name}, {met.name}" in body
    assert "Requester replied" in body
    assert f"by {alice.full_name}, {council.name}" in body
    assert REPLY in body
    # The thread is newest first.
    assert body.index("Requester replied") < body.index("More information asked for")


def test_a_summary_reader_sees_the_thread_without_its_text(client, alice, bob, sally, met):
    req = wf.sent_back(alice, met, bob, note="Which dates?")
    wf.resend(req, alice, reply=REPLY)
    body = _detail(client, sally, req).content.decode()  # no reason given: summary only
    assert "Requester replied" in body
    assert REPLY not in body
    assert "Which dates?" not in body


# --- the clock ------------------------------------------------------------------------------


def test_a_restarted_clock_shows_the_days_it_stood(client, alice, bob, met):
    req = wf.sent_back(alice, met, bob)
    # The clock is moved: the question was asked a week ago.
    stopped = timezone.now() - datetime.timedelta(days=7)
    ClockStop.objects.filter(request=req).update(stopped_at=stopped)
    InformationRequest.objects.filter(pk=req.pk).update(clock_stopped_at=stopped)
    due_before = InformationRequest.objects.get(pk=req.pk).due_date
    wf.resend(req, alice, reply=REPLY)
    stood = deadlines.working_days_between(timezone.localdate(stopped), timezone.localdate())
    assert stood >= 3  # a week holds at least three working days, bank holidays or not
    req.refresh_from_db()
    assert req.due_date == deadlines.add_working_days(due_before, stood)
    assert ClockStop.objects.get(request=req).working_days_added == stood
    start, end = timezone.localdate(stopped), timezone.localdate()
    body = _detail(client, bob, req).content.decode()
    assert (
        f"Clock stopped {start.day} {start:%B %Y} to {end.day} {end:%B %Y}: "
        f"{stood} working days added to the due date." in body
    )


# --- giving a request back ------------------------------------------------------------------


def test_give_back_clears_the_assignment_and_the_permissions(alice, bob, met):
    req = wf.under_review(alice, met, bob)
    assert permissions.can_view_personal_details(bob, req)
    req = workflow.transition(reference=req.reference, action="give_back", actor=bob, reason=REASON)
    req = InformationRequest.objects.get(pk=req.pk)
    assert req.status == Status.SUBMITTED
    assert req.assigned_officer is None
    bob = type(bob).objects.get(pk=bob.pk)  # a fresh user: guardian caches permissions
    assert not bob.has_perm(permissions.DECIDE, req)
    assert not permissions.can_view_personal_details(bob, req)
    assert not permissions.is_assigned_discloser(bob, req)
    message = RequestMessage.objects.get(request=req)
    assert (message.kind, message.text, message.author) == (
        RequestMessage.Kind.GIVEN_BACK,
        REASON,
        bob,
    )
    event = AuditEvent.objects.filter(object_reference=req.reference).latest("id")
    assert event.action == AuditAction.REQUEST_GIVEN_BACK
    assert REASON not in event.detail


def test_give_back_needs_a_reason(alice, bob, met):
    req = wf.under_review(alice, met, bob)
    with pytest.raises(workflow.TransitionNotAllowed, match=workflow.GIVE_BACK_REASON_REQUIRED):
        workflow.transition(reference=req.reference, action="give_back", actor=bob, reason=" ")
    req.refresh_from_db()
    assert req.status == Status.UNDER_REVIEW
    assert req.assigned_officer == bob
    assert not RequestMessage.objects.exists()


def test_the_give_back_page_shows_a_missing_reason(client, alice, bob, met):
    req = wf.under_review(alice, met, bob)
    client.force_login(bob)
    response = client.post(reverse("requests_app:give_back", args=[req.reference]), {})
    assert response.status_code == 400
    assert workflow.GIVE_BACK_REASON_REQUIRED in response.content.decode()


@pytest.mark.parametrize("who", ["alice", "bea", "sally", "charlie"])
def test_only_the_assigned_officer_may_give_back(who, request, client, alice, bob, met):
    req = wf.under_review(alice, met, bob)
    user = request.getfixturevalue(who)
    with pytest.raises(AccessRefused):
        workflow.transition(reference=req.reference, action="give_back", actor=user, reason=REASON)
    client.force_login(user)
    url = reverse("requests_app:give_back", args=[req.reference])
    assert client.get(url).status_code == 403
    assert client.post(url, {"reason": REASON}).status_code == 403
    req.refresh_from_db()
    assert req.status == Status.UNDER_REVIEW
    assert req.assigned_officer == bob


def test_give_back_tells_the_spoc_and_back_up_without_personal_data(
    alice, bob, sally, sid, met, django_capture_on_commit_callbacks
):
    req = wf.under_review(alice, met, bob)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.transition(reference=req.reference, action="give_back", actor=bob, reason=REASON)
    recipients = {addr for m in mail.outbox for addr in m.to}
    assert {sally.email, sid.email} <= recipients
    assert alice.email not in recipients
    for message in mail.outbox:
        text = message.subject + message.body
        assert req.reference in text
        for personal in (REASON, req.subject_name, req.subject_address):
            assert personal not in text


def test_the_request_page_offers_give_back_to_the_assigned_officer_only(
    client, alice, bob, bea, met
):
    req = wf.under_review(alice, met, bob)
    url = reverse("requests_app:give_back", args=[req.reference])
    assert f'href="{url}"' in _detail(client, bob, req).content.decode()
    assert f'href="{url}"' not in _detail(client, bea, req).content.decode()


# --- extensions -----------------------------------------------------------------------------


def test_an_extension_moves_the_due_date_and_is_recorded(alice, bob, met):
    req = wf.under_review(alice, met, bob)
    before = req.due_date
    later = before + datetime.timedelta(days=10)
    extension = services.extension_record(
        reference=req.reference,
        actor=bob,
        new_due_date=later,
        reason="The records are held off site.",
        agreed_with="Alice Able",
    )
    req.refresh_from_db()
    assert req.due_date == later
    assert (extension.previous_due_date, extension.new_due_date) == (before, later)
    event = AuditEvent.objects.filter(object_reference=req.reference).latest("id")
    assert event.action == AuditAction.DUE_DATE_EXTENDED
    assert "off site" not in event.detail


@pytest.mark.parametrize("days", [0, -1])
def test_an_extension_must_be_later_than_the_due_date(days, alice, bob, met):
    req = wf.under_review(alice, met, bob)
    with pytest.raises(services.ExtensionRefused, match="must be later than the current due"):
        services.extension_record(
            reference=req.reference,
            actor=bob,
            new_due_date=req.due_date + datetime.timedelta(days=days),
            reason="The records are held off site.",
            agreed_with="Alice Able",
        )
    assert not Extension.objects.exists()


def test_an_extension_needs_a_reason_and_who_agreed(alice, bob, met):
    req = wf.under_review(alice, met, bob)
    with pytest.raises(services.ExtensionRefused) as refused:
        services.extension_record(
            reference=req.reference,
            actor=bob,
            new_due_date=req.due_date + datetime.timedelta(days=5),
            reason=" ",
            agreed_with="",
        )
    assert {p.field for p in refused.value.problems} == {"reason", "agreed_with"}
    assert not Extension.objects.exists()


def test_no_extension_while_the_clock_is_stopped(alice, bob, met):
    req = wf.sent_back(alice, met, bob)
    with pytest.raises(services.ExtensionRefused, match="only while the clock runs"):
        services.extension_record(
            reference=req.reference,
            actor=bob,
            new_due_date=req.due_date + datetime.timedelta(days=5),
            reason="The records are held off site.",
            agreed_with="Alice Able",
        )


def test_the_receiving_spoc_may_record_an_extension(client, alice, sally, met):
    req = wf.submitted(alice, met)
    later = req.due_date + datetime.timedelta(days=7)
    client.force_login(sally)
    response = client.post(
        reverse("requests_app:extend", args=[req.reference]), _extend_post(later)
    )
    assert response.status_code == 302
    req.refresh_from_db()
    assert req.due_date == later


def test_the_extension_page_shows_a_date_that_is_not_later(client, alice, bob, met):
    req = wf.under_review(alice, met, bob)
    client.force_login(bob)
    response = client.post(
        reverse("requests_app:extend", args=[req.reference]), _extend_post(req.due_date)
    )
    assert response.status_code == 400
    assert "must be later than the current due date" in response.content.decode()
    assert not Extension.objects.exists()


def test_the_extension_page_shows_a_date_that_is_not_a_date(client, alice, bob, met):
    req = wf.under_review(alice, met, bob)
    client.force_login(bob)
    response = client.post(
        reverse("requests_app:extend", args=[req.reference]),
        _extend_post(req.due_date, new_due_date_month="13"),
    )
    assert response.status_code == 400
    assert not Extension.objects.exists()


@pytest.mark.parametrize("who", ["alice", "colin", "bea", "charlie"])
def test_others_cannot_record_an_extension(who, request, client, alice, bob, met):
    req = wf.under_review(alice, met, bob)
    user = request.getfixturevalue(who)
    later = req.due_date + datetime.timedelta(days=7)
    with pytest.raises(AccessRefused):
        services.extension_record(
            reference=req.reference,
            actor=user,
            new_due_date=later,
            reason="The records are held off site.",
            agreed_with="Alice Able",
        )
    client.force_login(user)
    url = reverse("requests_app:extend", args=[req.reference])
    assert client.get(url).status_code == 403
    assert client.post(url, _extend_post(later)).status_code == 403
    assert not Extension.objects.exists()


def test_the_extension_shows_in_the_thread(client, alice, bob, met):
    req = wf.under_review(alice, met, bob)
    later = deadlines.add_working_days(req.due_date, 5)
    services.extension_record(
        reference=req.reference,
        actor=bob,
        new_due_date=later,
        reason="The records are held off site.",
        agreed_with="Alice Able",
    )
    body = _detail(client, bob, req).content.decode()
    assert "Due date extended" in body
    assert f"to {later.day} {later:%B %Y}" in body
    assert "The records are held off site." in body


# --- what the request page leads with -------------------------------------------------------


def test_the_discloser_sees_what_is_asked_and_by_when_first(client, alice, bob, met):
    req = wf.under_review(alice, met, bob)
    body = _detail(client, bob, req).content.decode()
    assert "What is being asked and by when" in body
    assert "Reply due by" in body
    assert req.deadline().days_left_text in body
    assert body.index("What is being asked") < body.index("Part A – information requested")


def test_the_requester_sees_the_outcome_first_and_part_a_folded(client, alice, bob, met):
    req = wf.disclosed(alice, met, bob)
    body = _detail(client, alice, req).content.decode()
    outcome = body.index(f"What {met.name} shared with you")
    assert outcome < body.index("What you must do with it now")
    assert body.index("What you must do with it now") < body.index("Your request (Part A)")
    for section in ("10.5.2", "10.3.2"):
        assert f"protocol {section}" in body
    assert '<details class="govuk-details" id="part-a">' in body


def test_the_protective_marking_shows_with_the_personal_details(client, alice, bob, sally, met):
    met.protective_marking = "restricted"
    met.save()
    req = wf.under_review(alice, met, bob)
    for user in (alice, bob):
        assert 'class="app-protective-marking"' in _detail(client, user, req).content.decode()
    client.force_login(bob)
    for name in ("decide", "more_information"):
        body = client.get(reverse(f"requests_app:{name}", args=[req.reference])).content.decode()
        assert "RESTRICTED</p>" in body
    client.force_login(alice)
    body = client.get(reverse("consent:list", args=[req.reference])).content.decode()
    assert "RESTRICTED</p>" in body
    # The SPOC without a recorded reason sees the summary: no personal details, no banner.
    assert "app-protective-marking" not in _detail(client, sally, req).content.decode()


def test_status_tags_differ_in_colour():
    from requests_app.models import STATUS_TAG_CLASSES

    assert STATUS_TAG_CLASSES[Status.SUBMITTED] != STATUS_TAG_CLASSES[Status.UNDER_REVIEW]
    blues = {"govuk-tag--blue", "govuk-tag--light-blue"}
    assert (
        not {
            STATUS_TAG_CLASSES[Status.SUBMITTED],
            STATUS_TAG_CLASSES[Status.UNDER_REVIEW],
        }
        <= blues
    )
    open_states = [Status.SUBMITTED, Status.UNDER_REVIEW, Status.MORE_INFORMATION]
    assert len({STATUS_TAG_CLASSES[s] for s in open_states}) == len(open_states)
