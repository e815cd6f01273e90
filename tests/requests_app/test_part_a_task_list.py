"""Part A as a task list: each section its own page, saved to the draft; a question only when it
applies; task statuses from the rules; "Check your answers" with "Change" links; "Accept and
send"."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from governance.audit.models import AuditAction, AuditEvent
from requests_app import part_a_views
from requests_app.models import InformationRequest, Legislation, Status
from tests import workflow_helpers as wf

pytestmark = pytest.mark.django_db


def _date(prefix: str, value: datetime.date) -> dict[str, str]:
    return {
        f"{prefix}_day": str(value.day),
        f"{prefix}_month": str(value.month),
        f"{prefix}_year": str(value.year),
    }


def about_you(met) -> dict[str, str]:
    return {
        "requester_department": "Community Safety",
        "requester_address": "River Park House",
        "requester_phone": "020 7946 0100",
        "receiving_organisation": str(met.pk),
    }


def about_the_person(role: str = "suspect") -> dict[str, str]:
    return {
        "subject_name": "Sam Example",
        "subject_address": "Flat 1, 2 Example Road",
        **_date("subject_dob", datetime.date(1990, 3, 27)),
        "subject_role": role,
    }


def what_you_need(**overrides: str) -> dict[str, str]:
    return {
        "information_description": "Incidents at the address in the last year.",
        **_date("required_by", timezone.localdate() + datetime.timedelta(days=7)),
        "is_urgent": "no",
        **overrides,
    }


def page_url(req: InformationRequest, page: str) -> str:
    return reverse("requests_app:part_a_page", args=[req.reference, page])


def statuses(client, req: InformationRequest) -> dict[str, str]:
    tasks = client.get(reverse("requests_app:task_list", args=[req.reference])).context["tasks"]
    return {task.section.slug: task.status for task in tasks}


def start(client, met) -> InformationRequest:
    response = client.post(reverse("requests_app:new_about_you"), about_you(met))
    req = InformationRequest.objects.latest("id")
    assert response["Location"] == reverse("requests_app:task_list", args=[req.reference])
    return req


def test_new_request_is_a_task_list_where_only_about_you_can_start(client, alice):
    client.force_login(alice)
    response = client.get(reverse("requests_app:new"))
    assert response.status_code == 200
    tasks = {task.section.slug: task.status for task in response.context["tasks"]}
    assert tasks == {
        "about-you": "Incomplete",
        "about-the-person": "Cannot start yet",
        "what-you-need": "Cannot start yet",
        "consent": "Cannot start yet",
        "legislation": "Cannot start yet",
    }
    body = response.content.decode()
    assert 'class="govuk-task-list"' in body
    assert reverse("requests_app:new_about_you") in body
    assert not InformationRequest.objects.exists()


def test_the_first_section_creates_the_draft_and_its_reference(client, alice, met):
    client.force_login(alice)
    req = start(client, met)
    assert req.reference == f"ISP-{timezone.localdate().year}-000001"
    assert req.status == Status.DRAFT
    assert req.requester == alice
    assert req.subject_role == ""
    assert req.required_by is None
    assert AuditEvent.objects.filter(action=AuditAction.REQUEST_CREATED).count() == 1
    assert statuses(client, req) == {
        "about-you": "Completed",
        "about-the-person": "Incomplete",
        "what-you-need": "Incomplete",
        "consent": "Cannot start yet",  # until the person's role is known
        "legislation": "Incomplete",
    }


def test_the_first_section_shows_errors_and_saves_nothing(client, alice, met):
    client.force_login(alice)
    response = client.post(
        reverse("requests_app:new_about_you"), {**about_you(met), "requester_phone": ""}
    )
    assert response.status_code == 200
    assert "Enter your contact phone number" in response.content.decode()
    assert not InformationRequest.objects.exists()


def test_a_suspect_is_not_asked_about_consent_but_about_public_interest(client, alice, met):
    client.force_login(alice)
    req = start(client, met)
    response = client.post(page_url(req, "about-the-person"), about_the_person("suspect"))
    assert response["Location"] == reverse("requests_app:task_list", args=[req.reference])
    tasks = client.get(reverse("requests_app:task_list", args=[req.reference])).context["tasks"]
    consent = next(task for task in tasks if task.section.slug == "consent")
    assert consent.status == "Incomplete"
    assert consent.href == page_url(req, "public-interest")
    # The consent question does not apply: its page is not shown.
    assert client.get(page_url(req, "consent"))["Location"] == reverse(
        "requests_app:task_list", args=[req.reference]
    )
    body = client.get(page_url(req, "public-interest")).content.decode()
    assert "Is it in the public interest to disclose?" in body


@pytest.mark.parametrize("role", ["victim", "informant", "witness", "convicted_offender"])
def test_consent_is_asked_for_a_victim_informant_witness_or_offender(client, alice, met, role):
    client.force_login(alice)
    req = start(client, met)
    client.post(page_url(req, "about-the-person"), about_the_person(role))
    tasks = client.get(reverse("requests_app:task_list", args=[req.reference])).context["tasks"]
    consent = next(task for task in tasks if task.section.slug == "consent")
    assert consent.href == page_url(req, "consent")
    # Consent obtained: the public interest page is skipped, the section is complete.
    response = client.post(page_url(req, "consent"), {"consent_obtained": "yes"})
    assert response["Location"] == reverse("requests_app:task_list", args=[req.reference])
    assert statuses(client, req)["consent"] == "Completed"
    assert client.get(page_url(req, "public-interest")).status_code == 302


def test_without_consent_the_public_interest_page_follows(client, alice, met):
    client.force_login(alice)
    req = start(client, met)
    client.post(page_url(req, "about-the-person"), about_the_person("victim"))
    response = client.post(page_url(req, "consent"), {"consent_obtained": "no"})
    assert response["Location"] == page_url(req, "public-interest")
    assert statuses(client, req)["consent"] == "Incomplete"
    response = client.post(
        page_url(req, "public-interest"),
        {"public_interest": "yes", "public_interest_reason": "Preventing further ASB."},
    )
    assert response.status_code == 302
    assert statuses(client, req)["consent"] == "Completed"


def test_public_interest_no_is_refused_with_the_rule(client, alice, met):
    client.force_login(alice)
    req = start(client, met)
    client.post(page_url(req, "about-the-person"), about_the_person("suspect"))
    response = client.post(page_url(req, "public-interest"), {"public_interest": "no"})
    assert response.status_code == 200
    assert "select yes if disclosure is in the public interest" in response.content.decode()
    req.refresh_from_db()
    assert req.public_interest == ""


def test_changing_the_role_to_a_suspect_drops_the_consent_answer(client, alice, met):
    client.force_login(alice)
    req = start(client, met)
    client.post(page_url(req, "about-the-person"), about_the_person("victim"))
    client.post(page_url(req, "consent"), {"consent_obtained": "yes"})
    client.post(page_url(req, "about-the-person"), about_the_person("suspect"))
    req.refresh_from_db()
    assert req.consent_obtained == ""
    # A suspect needs the public interest reason: the section is not complete any more.
    assert statuses(client, req)["consent"] == "Incomplete"


def test_urgency_reason_is_needed_only_when_urgent(client, alice, met):
    client.force_login(alice)
    req = start(client, met)
    response = client.post(page_url(req, "what-you-need"), what_you_need(is_urgent="yes"))
    assert response.status_code == 200
    assert "Enter the reason the request is urgent" in response.content.decode()
    response = client.post(
        page_url(req, "what-you-need"),
        what_you_need(is_urgent="no", urgency_reason="left from before"),
    )
    assert response.status_code == 302
    req.refresh_from_db()
    assert req.is_urgent is False
    assert req.urgency_reason == ""
    assert statuses(client, req)["what-you-need"] == "Completed"


def test_a_date_that_has_passed_makes_the_section_incomplete_again(client, alice, met):
    client.force_login(alice)
    req = start(client, met)
    client.post(page_url(req, "what-you-need"), what_you_need())
    assert statuses(client, req)["what-you-need"] == "Completed"
    InformationRequest.objects.filter(pk=req.pk).update(
        required_by=timezone.localdate() - datetime.timedelta(days=1)
    )
    assert statuses(client, req)["what-you-need"] == "Incomplete"


def _complete(client, met) -> InformationRequest:
    req = start(client, met)
    client.post(page_url(req, "about-the-person"), about_the_person("suspect"))
    client.post(page_url(req, "what-you-need"), what_you_need())
    client.post(
        page_url(req, "public-interest"),
        {"public_interest": "yes", "public_interest_reason": "Preventing further ASB."},
    )
    legislation = Legislation.objects.order_by("position").first()
    client.post(page_url(req, "legislation"), {"legislation": [str(legislation.pk)]})
    return req


def test_check_answers_lists_each_answer_with_a_change_link(client, alice, met):
    client.force_login(alice)
    req = _complete(client, met)
    assert set(statuses(client, req).values()) == {"Completed"}
    response = client.get(reverse("requests_app:check_answers", args=[req.reference]))
    body = response.content.decode()
    assert "Check your answers before sending your request" in body
    assert "Sam Example" in body
    assert "27 March 1990" in body
    for page in ("about-you", "about-the-person", "what-you-need", "public-interest"):
        assert f"{page_url(req, page)}?from=check#" in body
    assert f"{page_url(req, 'consent')}?from=check" not in body  # not asked of a suspect
    assert "Accept and send" in body
    assert AuditEvent.objects.filter(
        action=AuditAction.PERSONAL_DETAILS_VIEWED, detail="check your answers"
    ).exists()


def test_a_change_from_check_answers_comes_back_to_it(client, alice, met):
    client.force_login(alice)
    req = _complete(client, met)
    response = client.post(
        f"{page_url(req, 'about-the-person')}?from=check",
        {**about_the_person("suspect"), "subject_name": "Sam Other"},
    )
    assert response["Location"] == reverse("requests_app:check_answers", args=[req.reference])
    req.refresh_from_db()
    assert req.subject_name == "Sam Other"


def test_check_answers_of_an_incomplete_draft_offers_no_signature(client, alice, met):
    client.force_login(alice)
    req = start(client, met)
    body = client.get(reverse("requests_app:check_answers", args=[req.reference])).content.decode()
    assert "You cannot send the request yet" in body
    assert "Accept and send" not in body
    response = client.post(
        reverse("requests_app:submit", args=[req.reference]), {"signature_name": alice.full_name}
    )
    assert response.status_code == 400
    req.refresh_from_db()
    assert req.status == Status.DRAFT


def test_accept_and_send_signs_and_shows_the_confirmation(client, alice, met):
    client.force_login(alice)
    req = _complete(client, met)
    response = client.post(
        reverse("requests_app:submit", args=[req.reference]), {"signature_name": "Someone Else"}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert re.search(r"<title>\s*Error: Check your answers", body)
    assert "Type your full name exactly as it appears on your account" in body
    response = client.post(
        reverse("requests_app:submit", args=[req.reference]), {"signature_name": alice.full_name}
    )
    assert response["Location"] == reverse("requests_app:submitted", args=[req.reference])
    req.refresh_from_db()
    assert req.status == Status.SUBMITTED
    assert req.signature_name == alice.full_name
    assert req.due_date is not None
    confirmation = client.get(response["Location"]).content.decode()
    assert req.reference in confirmation


def test_the_request_page_of_a_draft_leads_to_its_task_list(client, alice, met):
    client.force_login(alice)
    req = wf.draft(alice, met)
    response = client.get(reverse("requests_app:detail", args=[req.reference]))
    assert response["Location"] == reverse("requests_app:task_list", args=[req.reference])
    edit = client.get(reverse("requests_app:edit", args=[req.reference]))
    assert edit["Location"] == reverse("requests_app:task_list", args=[req.reference])


@pytest.mark.parametrize("persona", ["colin", "bob", "sally", "charlie", "adam"])
def test_every_part_a_page_refuses_anyone_but_the_requester(client, request, persona, alice, met):
    req = wf.draft(alice, met)
    client.force_login(request.getfixturevalue(persona))
    urls = [
        reverse("requests_app:task_list", args=[req.reference]),
        reverse("requests_app:check_answers", args=[req.reference]),
        *(page_url(req, slug) for slug in part_a_views.PAGES),
    ]
    for url in urls:
        assert client.get(url).status_code == 403, url
        assert client.post(url, about_you(met)).status_code == 403, url
    assert (
        client.post(
            reverse("requests_app:submit", args=[req.reference]),
            {"signature_name": alice.full_name},
        ).status_code
        == 403
    )
    req.refresh_from_db()
    assert req.status == Status.DRAFT
    assert req.requester_phone == "020 7946 0100"


def test_a_sent_request_has_no_task_list(client, alice, met):
    client.force_login(alice)
    req = wf.submitted(alice, met)
    assert client.get(page_url(req, "about-you")).status_code == 403
    assert client.get(reverse("requests_app:task_list", args=[req.reference])).status_code == 403


def test_an_unknown_page_is_404(client, alice, met):
    client.force_login(alice)
    req = wf.draft(alice, met)
    assert client.get(page_url(req, "no-such-page")).status_code == 404


def test_someone_who_may_not_request_cannot_start_one(client, adam):
    client.force_login(adam)
    assert client.get(reverse("requests_app:new_about_you")).status_code == 403
    assert client.post(reverse("requests_app:new_about_you"), {}).status_code == 403


def test_hostile_answers_on_every_page_give_form_errors(client, alice, met):
    client.force_login(alice)
    req = wf.draft(alice, met, subject_role="victim", consent_obtained="no")
    for slug in part_a_views.PAGES:
        form = part_a_views.PAGES[slug][1].form
        names = [f"{name}_{part}" for name in form.base_fields for part in ("day", "month", "year")]
        hostile = dict.fromkeys([*form.base_fields, *names], "\x00<script>' OR 1=1")
        response = client.post(page_url(req, slug), hostile)
        assert response.status_code == 200, slug
        assert "govuk-error-summary" in response.content.decode(), slug


def test_a_draft_with_only_its_first_section_lists_and_prints(client, alice, met):
    client.force_login(alice)
    req = start(client, met)
    for tab in ("", "drafts"):
        response = client.get(reverse("requests_app:mine"), {"tab": tab} if tab else {})
        assert response.status_code == 200
    assert req.reference in client.get(reverse("requests_app:mine"), {"tab": "drafts"}).text
    response = client.get(reverse("requests_app:pdf", args=[req.reference]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"


# A request sent back for more information is changed through the same section pages.


def test_a_sent_back_request_is_changed_through_its_task_list(client, alice, bob, met):
    req = wf.sent_back(alice, met, bob, note="Which months do you need?")
    client.force_login(alice)
    detail = client.get(reverse("requests_app:detail", args=[req.reference])).content.decode()
    task_list_url = reverse("requests_app:task_list", args=[req.reference])
    assert f'href="{task_list_url}">Change your request</a>' in detail
    # The one-page form of the whole of Part A is not where a GET leads any more.
    edit = client.get(reverse("requests_app:edit", args=[req.reference]))
    assert edit["Location"] == task_list_url

    page = client.get(task_list_url)
    html = page.content.decode()
    assert page.status_code == 200
    assert '<h1 class="govuk-heading-l">Change your request</h1>' in html
    assert "Which months do you need?" in html
    assert html.count('id="protective-marking"') == 1
    provide_url = reverse("requests_app:provide_more_information", args=[req.reference])
    assert f'href="{provide_url}"' in html
    assert "Reply and send again" in html
    assert "Delete draft" not in html
    assert AuditEvent.objects.filter(
        action=AuditAction.PERSONAL_DETAILS_VIEWED, detail="Part A: change the request"
    ).exists()


def test_a_section_of_a_sent_back_request_saves_and_leads_back(client, alice, bob, met):
    req = wf.sent_back(alice, met, bob)
    client.force_login(alice)
    url = page_url(req, "what-you-need")
    assert client.get(url).status_code == 200
    response = client.post(url, what_you_need(information_description="January to June 2026."))
    assert response["Location"] == reverse("requests_app:task_list", args=[req.reference])
    req.refresh_from_db()
    assert req.information_description == "January to June 2026."
    assert req.status == Status.MORE_INFORMATION
    # A change from the reply page comes back to the reply page, which lists the change.
    back = client.post(f"{url}?from=check", what_you_need(information_description="2026 only."))
    provide_url = reverse("requests_app:provide_more_information", args=[req.reference])
    assert back["Location"] == provide_url
    assert "2026 only." in client.get(provide_url).content.decode()
    check = client.get(reverse("requests_app:check_answers", args=[req.reference]))
    assert check["Location"] == provide_url


def test_a_section_error_on_a_sent_back_request_keeps_what_was_saved(client, alice, bob, met):
    req = wf.sent_back(alice, met, bob)
    client.force_login(alice)
    before = req.information_description
    response = client.post(
        page_url(req, "what-you-need"), what_you_need(information_description="")
    )
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    req.refresh_from_db()
    assert req.information_description == before


def test_a_change_link_leads_to_the_page_asking_that_question(client, alice, bob, met):
    req = wf.sent_back(alice, met, bob)
    client.force_login(alice)
    edit = reverse("requests_app:edit", args=[req.reference])
    response = client.get(edit, {"field": "subject_name"})
    assert response["Location"] == page_url(req, "about-the-person") + "#id_subject_name"
    page = client.get(response["Location"]).content.decode()
    assert 'id="id_subject_name"' in page
    dob = client.get(edit, {"field": "subject_dob"})
    assert dob["Location"] == page_url(req, "about-the-person") + "#id_subject_dob_day"
    legislation = client.get(edit, {"field": "legislation"})
    assert legislation["Location"] == page_url(req, "legislation") + "#id_legislation_0"
    assert 'id="id_legislation_0"' in client.get(legislation["Location"]).content.decode()
    for unknown in ["nonsense", "<script>", ""]:
        response = client.get(edit, {"field": unknown})
        assert response["Location"] == reverse("requests_app:task_list", args=[req.reference])


@pytest.mark.parametrize("persona", ["colin", "bob", "sally", "charlie", "adam"])
def test_only_the_requester_changes_a_sent_back_request(client, request, persona, alice, bob, met):
    req = wf.sent_back(alice, met, bob)
    client.force_login(request.getfixturevalue(persona))
    for url in [
        reverse("requests_app:task_list", args=[req.reference]),
        page_url(req, "what-you-need"),
        reverse("requests_app:edit", args=[req.reference]),
    ]:
        assert client.get(url).status_code == 403, url
    assert client.post(page_url(req, "what-you-need"), what_you_need()).status_code == 403
    req.refresh_from_db()
    assert req.information_description != "Incidents at the address in the last year."


def test_once_sent_again_the_sections_are_closed_to_the_requester(client, alice, bob, met):
    req = wf.resend(wf.sent_back(alice, met, bob), alice, information_description="Changed.")
    client.force_login(alice)
    assert req.status == Status.UNDER_REVIEW
    assert client.get(reverse("requests_app:task_list", args=[req.reference])).status_code == 403
    assert client.post(page_url(req, "what-you-need"), what_you_need()).status_code == 403
