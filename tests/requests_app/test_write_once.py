"""Part B, its attachments and the versions of Part A are written once and never changed or
deleted (App. G 9; protocol 9.2, 10.5.2): the model refuses, and on PostgreSQL a trigger refuses
the same from raw SQL."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.db import InternalError, connection, transaction

from requests_app.models import Attachment, Disclosure, PartAVersion
from tests import workflow_helpers as wf
from tests.db_roles import as_owner

pytestmark = pytest.mark.django_db

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the triggers are PostgreSQL's"
)


@pytest.fixture
def disclosure(alice, bob, met) -> Disclosure:
    return Disclosure.objects.get(request=wf.disclosed(alice, met, bob))


@pytest.fixture
def attachment(settings, tmp_path, disclosure, bob) -> Attachment:
    settings.MEDIA_ROOT = tmp_path
    return Attachment.objects.create(
        request=disclosure.request,
        file=ContentFile(b"continuation sheet", name="sheet.txt"),
        original_name="sheet.txt",
        uploaded_by=bob,
    )


@pytest.fixture
def part_a_version(alice, bob, met) -> PartAVersion:
    return PartAVersion.objects.get(request=wf.sent_back(alice, met, bob))


@pytest.fixture(autouse=True)
def _as_the_tables_owner():
    """The trigger refuses even the table's owner (the portal's own role has no UPDATE or DELETE
    here at all: tests/governance/test_database_roles.py)."""
    with as_owner():
        yield


def raw(sql: str, pk: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, [pk])


def test_part_b_cannot_be_changed(disclosure):
    disclosure.information_disclosed = "Something else"
    with pytest.raises(PermissionError, match="Part B cannot be changed once written"):
        disclosure.save()
    disclosure.refresh_from_db()
    assert disclosure.information_disclosed == "Three reports of ASB at the address in 2026."


def test_part_b_cannot_be_deleted(disclosure):
    with pytest.raises(PermissionError, match="Part B cannot be deleted"):
        disclosure.delete()
    assert Disclosure.objects.filter(pk=disclosure.pk).exists()


def test_an_attachment_cannot_be_changed(attachment):
    attachment.original_name = "renamed.txt"
    with pytest.raises(PermissionError, match="An attachment cannot be changed once written"):
        attachment.save()
    attachment.refresh_from_db()
    assert attachment.original_name == "sheet.txt"


def test_an_attachment_cannot_be_deleted(attachment):
    with pytest.raises(PermissionError, match="An attachment cannot be deleted"):
        attachment.delete()
    assert Attachment.objects.filter(pk=attachment.pk).exists()


def test_a_version_of_part_a_cannot_be_changed_or_deleted(part_a_version):
    with pytest.raises(PermissionError):
        part_a_version.save()
    with pytest.raises(PermissionError):
        part_a_version.delete()


@postgresql_only
def test_the_database_refuses_to_update_part_b(disclosure):
    with pytest.raises(InternalError, match="Cannot update or delete"), transaction.atomic():
        raw(
            "UPDATE requests_app_disclosure SET information_disclosed = 'x' WHERE id = %s",
            disclosure.pk,
        )
    disclosure.refresh_from_db()
    assert disclosure.information_disclosed == "Three reports of ASB at the address in 2026."


@postgresql_only
def test_the_database_refuses_to_delete_part_b(disclosure):
    with pytest.raises(InternalError, match="Cannot update or delete"), transaction.atomic():
        raw("DELETE FROM requests_app_disclosure WHERE id = %s", disclosure.pk)
    assert Disclosure.objects.filter(pk=disclosure.pk).exists()


@postgresql_only
def test_the_database_refuses_to_update_an_attachment(attachment):
    with pytest.raises(InternalError, match="Cannot update or delete"), transaction.atomic():
        raw(
            "UPDATE requests_app_attachment SET original_name = 'x.txt' WHERE id = %s",
            attachment.pk,
        )
    attachment.refresh_from_db()
    assert attachment.original_name == "sheet.txt"


@postgresql_only
def test_the_database_refuses_to_delete_an_attachment(attachment):
    with pytest.raises(InternalError, match="Cannot update or delete"), transaction.atomic():
        raw("DELETE FROM requests_app_attachment WHERE id = %s", attachment.pk)
    assert Attachment.objects.filter(pk=attachment.pk).exists()


@postgresql_only
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE requests_app_partaversion SET answers = '{}' WHERE id = %s",
        "DELETE FROM requests_app_partaversion WHERE id = %s",
    ],
)
def test_the_database_refuses_to_rewrite_a_version_of_part_a(part_a_version, sql):
    with pytest.raises(InternalError, match="Cannot update or delete"), transaction.atomic():
        raw(sql, part_a_version.pk)
    part_a_version.refresh_from_db()
    assert part_a_version.answers["subject_name"] == "Sam Example"
