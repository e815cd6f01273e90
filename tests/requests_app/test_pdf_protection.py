"""Password-protected copies of the filled form (protocol 8.3.2): the password is shown once and
kept nowhere; the encrypted file is downloaded once, by the person who asked for it."""

from __future__ import annotations

import io
import logging
import math
import re

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader
from pypdf.errors import FileNotDecryptedError

from documents import protection as pdf_protection
from governance.audit.models import AuditAction, AuditEvent
from governance.people.access import REFUSAL_MESSAGE
from requests_app.models import InformationRequest
from tests import workflow_helpers as wf

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def met_disclosed(alice, met, bob) -> InformationRequest:
    """Alice's request to the Met, disclosed by Bob."""
    return wf.disclosed(alice, met, bob)


def protected_url(req: InformationRequest) -> str:
    return reverse("requests_app:pdf_protected", kwargs={"reference": req.reference})


def download_url(req: InformationRequest, token: str) -> str:
    return reverse(
        "requests_app:pdf_protected_download", kwargs={"reference": req.reference, "token": token}
    )


def ask(client: Client, req: InformationRequest) -> tuple[str, str]:
    """Ask for a protected copy; returns the password shown and the download link."""
    response = client.post(protected_url(req))
    assert response.status_code == 200
    return response.context["password"], response.context["download_url"]


def decrypted_text(content: bytes, password: str) -> str:
    reader = PdfReader(io.BytesIO(content))
    assert reader.decrypt(password)
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def printed_events(user) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=AuditAction.PDF_PRINTED, actor=user))


# ---------------------------------------------------------------------------------------------
# The password and the encryption


def test_one_time_password_is_four_readable_groups():
    password = pdf_protection.one_time_password()
    assert re.fullmatch(r"[A-HJKMNP-Z2-9]{5}(-[A-HJKMNP-Z2-9]{5}){3}", password)
    assert not set(password) & set("01ILO")


def test_one_time_password_has_at_least_80_bits():
    characters = pdf_protection.GROUPS * pdf_protection.GROUP_LENGTH
    assert len(set(pdf_protection.READABLE_ALPHABET)) == len(pdf_protection.READABLE_ALPHABET)
    assert characters * math.log2(len(pdf_protection.READABLE_ALPHABET)) >= 80


def test_one_time_passwords_differ():
    assert len({pdf_protection.one_time_password() for _ in range(50)}) == 50


def test_encrypted_pdf_uses_aes_256_and_opens_only_with_its_password():
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    plain = io.BytesIO()
    writer.write(plain)
    encrypted = pdf_protection.encrypt_pdf(plain.getvalue(), "ABCDE-FGHJK-MNPQR-STUVW")
    reader = PdfReader(io.BytesIO(encrypted))
    assert reader.is_encrypted
    assert reader.trailer["/Encrypt"]["/V"] == 5  # AES-256 (PDF 2.0, revision 6)
    assert reader.trailer["/Encrypt"]["/R"] == 6
    assert not reader.decrypt("ABCDE-FGHJK-MNPQR-STUVX")
    assert reader.decrypt("ABCDE-FGHJK-MNPQR-STUVW")


# ---------------------------------------------------------------------------------------------
# Asking for a copy and downloading it


@pytest.mark.parametrize("persona", ["alice", "bob", "sally"])
def test_downloaded_copy_is_encrypted_and_opens_with_the_shown_password(
    client, request, met_disclosed, persona
):
    user = request.getfixturevalue(persona)
    wf.open_details_if_spoc(user, met_disclosed)
    client.force_login(user)
    password, link = ask(client, met_disclosed)
    response = client.get(link)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert (
        f'filename="{met_disclosed.reference}-password-protected.pdf"'
        in response["Content-Disposition"]
    )
    assert "no-store" in response["Cache-Control"]
    assert PdfReader(io.BytesIO(response.content)).is_encrypted
    text = decrypted_text(response.content, password)
    assert met_disclosed.reference in text
    assert "RESTRICTED" in text


def test_wrong_password_does_not_open_the_copy(client, alice, met_disclosed):
    client.force_login(alice)
    password, link = ask(client, met_disclosed)
    content = client.get(link).content
    reader = PdfReader(io.BytesIO(content))
    wrong = pdf_protection.one_time_password()
    assert wrong != password
    assert not reader.decrypt(wrong)
    with pytest.raises(FileNotDecryptedError):
        reader.pages[0].extract_text()
    assert b"Sam Example" not in content
    assert met_disclosed.reference.encode() not in content


def test_password_page_shows_the_password_once_and_warns_about_sending_it(
    client, alice, met_disclosed
):
    client.force_login(alice)
    response = client.post(protected_url(met_disclosed))
    body = response.content.decode()
    password = response.context["password"]
    assert body.count(password) == 1
    assert "no-store" in response["Cache-Control"]
    assert "Send the password by a different route from the document" in body
    assert "Never put it in an email with the document" in body
    assert f'href="{response.context["download_url"]}"' in body
    title = re.search(r"<title>(.*?)</title>", body, re.S).group(1)
    assert password not in title
    assert met_disclosed.subject_name not in title


def test_each_copy_gets_a_new_password(client, alice, met_disclosed):
    client.force_login(alice)
    first, first_link = ask(client, met_disclosed)
    second, second_link = ask(client, met_disclosed)
    assert first != second
    assert first_link != second_link


def test_password_is_never_in_a_url(client, alice, met_disclosed):
    client.force_login(alice)
    response = client.post(protected_url(met_disclosed))
    password = response.context["password"]
    assert password not in response.context["download_url"]
    for href in re.findall(r'(?:href|action)="([^"]*)"', response.content.decode()):
        assert password not in href
    assert "Location" not in response


def test_asking_and_downloading_are_each_audited(client, alice, met_disclosed):
    client.force_login(alice)
    _password, link = ask(client, met_disclosed)
    assert [e.detail for e in printed_events(alice)] == ["password-protected copy prepared"]
    client.get(link)
    events = printed_events(alice)
    assert [e.detail for e in events] == [  # newest first
        "password-protected copy downloaded",
        "password-protected copy prepared",
    ]
    assert all(e.object_reference == met_disclosed.reference for e in events)


def test_password_is_not_kept_logged_emailed_or_audited(client, alice, met_disclosed, caplog):
    caplog.set_level(logging.DEBUG)
    client.force_login(alice)
    password, link = ask(client, met_disclosed)
    client.get(link)
    client.get(link)  # a second use: logged as not found, still without the password
    assert password not in caplog.text
    for record in caplog.records:
        assert password not in str(record.args)
    assert all(password not in str(m.message()) for m in mail.outbox)
    for event in AuditEvent.objects.all():
        values = [str(getattr(event, f.attname)) for f in AuditEvent._meta.concrete_fields]
        assert all(password not in value for value in values)
    for session in Session.objects.all():
        assert password not in str(session.get_decoded())
        assert password not in session.session_data


def test_held_copy_is_ciphertext_and_holds_no_password(client, alice, met_disclosed):
    client.force_login(alice)
    password, link = ask(client, met_disclosed)
    token = link.rstrip("/").rsplit("/", 1)[1]
    held = cache.get(pdf_protection._cache_key(token))
    assert isinstance(held, pdf_protection.HeldCopy)
    assert PdfReader(io.BytesIO(held.content)).is_encrypted
    assert password.encode() not in held.content
    assert password not in repr(held)


# ---------------------------------------------------------------------------------------------
# One download, by the same person in the same session


def test_the_link_works_once(client, alice, met_disclosed):
    client.force_login(alice)
    _password, link = ask(client, met_disclosed)
    assert client.get(link).status_code == 200
    second = client.get(link)
    assert second.status_code == 404
    assert not second.content.startswith(b"%PDF")
    assert len(printed_events(alice)) == 2  # the page and the one download


def test_another_permitted_person_cannot_use_the_link(client, alice, bob, met_disclosed):
    client.force_login(alice)
    _password, link = ask(client, met_disclosed)
    other = Client()
    other.force_login(bob)
    response = other.get(link)
    assert response.status_code == 404
    assert not printed_events(bob)
    assert client.get(link).status_code == 200  # still there for Alice


def test_the_same_person_in_another_session_cannot_use_the_link(client, alice, met_disclosed):
    client.force_login(alice)
    _password, link = ask(client, met_disclosed)
    elsewhere = Client()
    elsewhere.force_login(alice)
    assert elsewhere.get(link).status_code == 404
    assert client.get(link).status_code == 200


def test_signing_out_and_in_again_ends_the_link(client, alice, met_disclosed):
    client.force_login(alice)
    _password, link = ask(client, met_disclosed)
    client.logout()
    client.force_login(alice)
    assert client.get(link).status_code == 404


def test_the_link_is_for_its_own_request_only(client, alice, met, bob, met_disclosed):
    other_req = wf.disclosed(alice, met, bob)
    client.force_login(alice)
    _password, link = ask(client, met_disclosed)
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert client.get(download_url(other_req, token)).status_code == 404
    assert client.get(link).status_code == 200


def test_the_link_expires_after_five_minutes(client, alice, met_disclosed):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client.force_login(alice)
        _password, link = ask(client, met_disclosed)
        traveller.shift(pdf_protection.HOLD_SECONDS + 1)
        assert client.get(link).status_code == 404


def test_an_unknown_token_is_not_found(client, alice, met_disclosed):
    client.force_login(alice)
    assert client.get(download_url(met_disclosed, "not-a-token")).status_code == 404
    assert not printed_events(alice)


# ---------------------------------------------------------------------------------------------
# Refusals


@pytest.mark.parametrize("persona", ["colin", "charlie", "brenda", "adam", "bea"])
def test_people_who_may_not_see_personal_details_are_refused_and_audited(
    client, request, met_disclosed, persona
):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    response = client.post(protected_url(met_disclosed))
    assert response.status_code == 403
    body = response.content.decode()
    assert REFUSAL_MESSAGE.split(".")[0] in body
    assert met_disclosed.subject_name not in body
    assert "password" not in (response.context or {})
    assert AuditEvent.objects.filter(
        action=AuditAction.PERMISSION_DENIED, actor=user, object_reference=met_disclosed.reference
    ).exists()
    assert not AuditEvent.objects.filter(action=AuditAction.PDF_PRINTED).exists()


@pytest.mark.parametrize("persona", ["colin", "charlie", "brenda", "adam"])
def test_people_who_may_not_see_personal_details_cannot_use_a_link(
    client, request, alice, met_disclosed, persona
):
    client.force_login(alice)
    _password, link = ask(client, met_disclosed)
    user = request.getfixturevalue(persona)
    other = Client()
    other.force_login(user)
    response = other.get(link)
    assert response.status_code == 403
    assert not response.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(
        action=AuditAction.PERMISSION_DENIED, actor=user, object_reference=met_disclosed.reference
    ).exists()
    assert client.get(link).status_code == 200  # still there for Alice


def test_access_removed_after_asking_refuses_the_download(client, alice, bob, sally, met_disclosed):
    client.force_login(bob)
    _password, link = ask(client, met_disclosed)
    from guardian.shortcuts import remove_perm

    from requests_app.permissions import VIEW_PERSONAL_DETAILS

    remove_perm(VIEW_PERSONAL_DETAILS, bob, met_disclosed)
    assert client.get(link).status_code == 403


def test_anonymous_is_sent_to_sign_in(client, met_disclosed):
    response = client.post(protected_url(met_disclosed))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    response = client.get(download_url(met_disclosed, "any-token"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert not AuditEvent.objects.filter(action=AuditAction.PDF_PRINTED).exists()


def test_asking_needs_a_post(client, alice, met_disclosed):
    client.force_login(alice)
    assert client.get(protected_url(met_disclosed)).status_code == 405
    assert not printed_events(alice)


def test_asking_needs_the_csrf_token(alice, met_disclosed):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    response = client.post(protected_url(met_disclosed))
    assert response.status_code == 403
    assert not printed_events(alice)


def test_unknown_reference_is_not_found(client, alice):
    client.force_login(alice)
    response = client.post(
        reverse("requests_app:pdf_protected", kwargs={"reference": "ISP-1999-000001"})
    )
    assert response.status_code == 404


# ---------------------------------------------------------------------------------------------
# The request page


def test_request_page_offers_a_protected_copy(client, alice, met_disclosed):
    client.force_login(alice)
    body = client.get(reverse("requests_app:detail", args=[met_disclosed.reference])).content
    assert f'action="{protected_url(met_disclosed)}"'.encode() in body
    assert b"Download a password-protected copy" in body


def test_request_page_offers_no_protected_copy_without_personal_details(
    client, alice, bea, met, bob
):
    req = wf.under_review(alice, met, bob)
    client.force_login(bea)  # an unassigned Met officer sees the request without personal details
    body = client.get(reverse("requests_app:detail", args=[req.reference])).content
    assert protected_url(req).encode() not in body
