"""A canary: unique names put into requests must appear only where need-to-know allows (10.5.2).

Every persona fetches every URL of the URL matrix for a request under review, a deleted draft and
a draft left withdrawn by an older version (never sent), and the real consent record's pages.
"""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from requests_app import workflow
from requests_app.models import InformationRequest, Status
from tests import workflow_helpers as wf
from tests.consent.conftest import record_consent
from tests.test_url_matrix import EXPECTED, _url, world  # noqa: F401  (world is a fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("world")]

SENT_NAME = "Quintessa Canarywood"
SIGNER_NAME = "Bartholomew Signwell"
DELETED_NAME = "Ozymandias Deletia"
UNSENT_NAME = "Perpetua Unsentworth"
PERSONAS = [
    "alice",
    "colin",
    "bob",
    "bea",
    "sally",
    "sid",
    "charlie",
    "cora",
    "brenda",
    "adam",
]
# Who may read each name: the requester and the officer deciding the request (10.5.2). Nobody on
# the receiving side ever had a part in a request that was not sent.
ALLOWED = {
    SENT_NAME: {"alice", "bob"},
    SIGNER_NAME: {"alice", "bob"},
    DELETED_NAME: set(),
    UNSENT_NAME: {"alice"},
}


def _text(response) -> str:
    if response.get("Content-Type", "").startswith("application/pdf"):
        pages = PdfReader(io.BytesIO(response.content)).pages
        return "\n".join(page.extract_text() for page in pages)
    if hasattr(response, "streaming_content"):
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


@pytest.fixture
def canaries(alice, bob, met, sid, cora):
    sent = wf.under_review(alice, met, bob, subject_name=SENT_NAME)
    consent = record_consent(sent, alice, signer_name=SIGNER_NAME)
    deleted = wf.draft(alice, met, subject_name=DELETED_NAME)
    workflow.draft_delete(reference=deleted.reference, actor=alice)
    unsent = wf.draft(alice, met, subject_name=UNSENT_NAME)
    InformationRequest.objects.filter(pk=unsent.pk).update(status=Status.WITHDRAWN)
    return {"sent": sent, "consent": consent, "deleted": deleted, "unsent": unsent}


@pytest.mark.parametrize("persona", PERSONAS)
def test_canary_names_appear_only_where_the_rules_allow(client, request, canaries, persona):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    sent, consent = canaries["sent"], canaries["consent"]
    urls = [
        _url(name, req.reference)
        for name in sorted(EXPECTED)
        for req in (sent, canaries["deleted"], canaries["unsent"])
    ]
    urls += [
        reverse("consent:detail", args=[sent.reference, consent.public_id]),
        reverse("consent:pdf", args=[sent.reference, consent.public_id]),
        reverse("requests_app:inbox") + "?status=withdrawn",
        reverse("requests_app:inbox") + "?status=draft",
    ]
    leaks = []
    seen = set()
    for url in dict.fromkeys(urls):
        response = client.get(url)
        assert response.status_code < 500, url
        text = _text(response)
        for name, allowed in ALLOWED.items():
            if name in text:
                seen.add(name)
                if persona not in allowed:
                    leaks.append((url, name))
    assert leaks == []
    # The canary works: those allowed do see each name somewhere.
    assert seen == {name for name, allowed in ALLOWED.items() if persona in allowed}
