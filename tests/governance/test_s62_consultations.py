"""DPA 2018 s.62: every GET of a page or file that shows a subject's personal details writes a
consultation event naming the record, by the person who opened it.

Walks the pages of the URL matrix (tests/test_url_matrix.py) that show personal details, each
opened by a person the matrix lets in, in the matrix's world. Pages of the request, consent and
breach rooms that show none are listed in NO_PERSONAL_DETAILS, so a new page must be placed in one
list or the other.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from governance.audit.models import AuditAction, AuditEvent
from governance.breaches.models import Breach
from governance.oversight import s62
from requests_app.models import Attachment, InformationRequest
from tests import test_url_matrix as matrix
from tests import workflow_helpers as wf
from tests.consent.conftest import consent_post, record_consent
from tests.governance.test_breaches import update_post

pytestmark = pytest.mark.django_db

world = matrix.world

CONSULTATIONS = {
    action for action, category in s62.CATEGORY_OF.items() if category == s62.Category.CONSULTATION
}

# Pages of the rooms that hold personal details which show none of a subject's (the reference,
# a status, an officer's name), are POST only, or redirect.
NO_PERSONAL_DETAILS = {
    "requests_app:mine",  # lists: references and statuses; a search is audited on its own
    "requests_app:inbox",
    "requests_app:new",
    "requests_app:new_about_you",
    "requests_app:task_list",  # a draft's sections and their state
    "requests_app:edit",  # GET goes to the task list or a Part A page
    "requests_app:submit",  # POST only
    "requests_app:delete_draft",
    "requests_app:open_details",
    "requests_app:submitted",
    "requests_app:assign",
    "requests_app:give_back",
    "requests_app:extend",
    "requests_app:action",
    "requests_app:pdf_protected",  # POST only: prepares the copy (audited as a print)
    "requests_app:blank_request_form",
    "consent:blank_form",
    "breaches:register",  # references, dates, risk and status
    "breaches:new",
    "breaches:reported",
}


@dataclass(frozen=True)
class Page:
    name: str
    role: str
    # Makes what the page needs and returns its URL and the reference the event must name.
    prepare: Callable[[dict, Client], tuple[str, str]]


def _request_page(name: str) -> Callable[[dict, Client], tuple[str, str]]:
    def prepare(world: dict, client: Client) -> tuple[str, str]:
        reference = world["request"].reference
        return matrix._url(name, reference), reference

    return prepare


def _draft_page(name: str, **kwargs: str) -> Callable[[dict, Client], tuple[str, str]]:
    def prepare(world: dict, client: Client) -> tuple[str, str]:
        draft = wf.draft(world["requester"], world["request"].receiving_organisation)
        return reverse(name, kwargs={"reference": draft.reference, **kwargs}), draft.reference

    return prepare


def _spoc_detail(world: dict, client: Client) -> tuple[str, str]:
    req = world["request"]
    wf.open_details_if_spoc(world["spoc"], req)
    return reverse("requests_app:detail", args=[req.reference]), req.reference


def _attachment(world: dict, client: Client) -> tuple[str, str]:
    req = world["request"]
    attachment = Attachment.objects.create(
        request=req,
        file=ContentFile(b"continuation sheet", name="sheet.txt"),
        original_name="sheet.txt",
        uploaded_by=world["assigned_discloser"],
    )
    url = reverse("requests_app:attachment", args=[req.reference, attachment.public_id])
    return url, req.reference


def _protected_copy(world: dict, client: Client) -> tuple[str, str]:
    req = world["request"]
    response = client.post(reverse("requests_app:pdf_protected", args=[req.reference]))
    assert response.status_code == 200
    return response.context["download_url"], req.reference


def _consent_record(name: str) -> Callable[[dict, Client], tuple[str, str]]:
    def prepare(world: dict, client: Client) -> tuple[str, str]:
        req = world["request"]
        record = record_consent(req, world["requester"])
        return reverse(name, args=[req.reference, record.public_id]), req.reference

    return prepare


def _consent_check(world: dict, client: Client) -> tuple[str, str]:
    req = world["request"]
    response = client.post(reverse("consent:new", args=[req.reference]), consent_post())
    assert response.status_code == 302
    return reverse("consent:check", args=[req.reference]), req.reference


def _breach_page(name: str) -> Callable[[dict, Client], tuple[str, str]]:
    def prepare(world: dict, client: Client) -> tuple[str, str]:
        breach = Breach.objects.get()
        return reverse(name, args=[breach.reference]), breach.reference

    return prepare


def _breach_check(world: dict, client: Client) -> tuple[str, str]:
    breach = Breach.objects.get()
    response = client.post(reverse("breaches:update", args=[breach.reference]), update_post(breach))
    assert response.status_code == 302
    return reverse("breaches:update_check", args=[breach.reference]), breach.reference


PAGES = [
    Page("requests_app:detail", "requester", _request_page("requests_app:detail")),
    Page("requests_app:detail", "assigned_discloser", _request_page("requests_app:detail")),
    # The receiving SPOC, once they have given a reason (ADR 0002).
    Page("requests_app:detail", "spoc", _spoc_detail),
    Page(
        "requests_app:part_a_page",
        "requester",
        _draft_page("requests_app:part_a_page", page="about-the-person"),
    ),
    Page("requests_app:check_answers", "requester", _draft_page("requests_app:check_answers")),
    Page(
        "requests_app:more_information",
        "assigned_discloser",
        _request_page("requests_app:more_information"),
    ),
    Page("requests_app:decide", "assigned_discloser", _request_page("requests_app:decide")),
    Page(
        "requests_app:provide_more_information",
        "requester",
        _request_page("requests_app:provide_more_information"),
    ),
    Page("requests_app:pdf", "requester", _request_page("requests_app:pdf")),
    Page("requests_app:pdf", "assigned_discloser", _request_page("requests_app:pdf")),
    Page("requests_app:attachment", "assigned_discloser", _attachment),
    Page("requests_app:pdf_protected_download", "requester", _protected_copy),
    Page("consent:list", "requester", _request_page("consent:list")),
    Page("consent:list", "assigned_discloser", _request_page("consent:list")),
    Page("consent:new", "requester", _request_page("consent:new")),
    Page("consent:check", "requester", _consent_check),
    Page("consent:detail", "assigned_discloser", _consent_record("consent:detail")),
    Page("consent:withdraw", "requester", _consent_record("consent:withdraw")),
    Page("consent:pdf", "requester", _consent_record("consent:pdf")),
    Page("breaches:detail", "assigned_discloser", _breach_page("breaches:detail")),
    Page("breaches:detail", "spoc", _breach_page("breaches:detail")),
    Page("breaches:detail", "board_member", _breach_page("breaches:detail")),
    Page("breaches:update", "spoc", _breach_page("breaches:update")),
    Page("breaches:update_check", "spoc", _breach_check),
]


@pytest.mark.parametrize("page", PAGES, ids=lambda page: f"{page.name}-{page.role}")
def test_opening_a_page_with_personal_details_records_a_consultation(
    client, world, settings, tmp_path, page
):
    settings.MEDIA_ROOT = tmp_path
    user = world[page.role]
    client.force_login(user)
    url, reference = page.prepare(world, client)
    before = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    response = client.get(url)
    assert response.status_code == 200, url
    if hasattr(response, "streaming_content"):
        b"".join(response.streaming_content)
    events = AuditEvent.objects.filter(id__gt=before, actor=user)
    assert [(e.action, e.object_reference) for e in events if e.action in CONSULTATIONS] != [], url
    for event in events.filter(action__in=CONSULTATIONS):
        assert event.object_reference == reference
        assert world["request"].subject_name not in event.detail


def test_every_personal_page_is_in_the_url_matrix():
    drafts_only = {"requests_app:part_a_page", "requests_app:check_answers"}
    for page in PAGES:
        assert page.name in matrix.EXPECTED
        # The matrix lets this person in: its world holds no attachment, copy, consent record
        # or answers waiting to be checked (404 or back to the form), and no draft.
        if page.name not in drafts_only:
            assert matrix.EXPECTED[page.name][page.role] in (200, 302, 404), page


def test_every_page_of_the_personal_data_rooms_is_classified():
    rooms = re.compile(r"^(requests_app|consent|breaches):")
    names = {name for name in matrix.EXPECTED if rooms.match(name)}
    personal = {page.name for page in PAGES}
    assert personal.isdisjoint(NO_PERSONAL_DETAILS)
    assert names - personal - NO_PERSONAL_DETAILS == set()


def test_a_summary_page_without_personal_details_is_not_a_consultation(client, world):
    """The receiving SPOC without a reason sees the summary only: no consultation event."""
    req: InformationRequest = world["request"]
    client.force_login(world["spoc"])
    before = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    assert client.get(reverse("requests_app:detail", args=[req.reference])).status_code == 200
    actions = set(AuditEvent.objects.filter(id__gt=before).values_list("action", flat=True))
    assert actions == {AuditAction.REQUEST_VIEWED}
