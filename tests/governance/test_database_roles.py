"""The database itself refuses tampering by the portal's own role (issue 18; App. G 9).

The suite's sessions run as the portal's role (tests/db_roles.py): it may not UPDATE, DELETE or
TRUNCATE the audit trail or a write-once record, and owns no table, so it can neither drop nor
switch off a trigger (governance.audit 0005)."""

from __future__ import annotations

import pgtrigger
import pytest
from django.apps import apps
from django.db import DatabaseError, connection, transaction

from governance.audit import trail as audit
from governance.audit.management.commands.migrate import as_schema_owner
from governance.audit.models import AuditAction, AuditEvent
from governance.people.models import WriteOnceModel
from requests_app.models import DecisionRecord
from tests import workflow_helpers as wf
from tests.db_roles import app_role, as_owner

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="database roles are PostgreSQL's"),
]

INSUFFICIENT_PRIVILEGE = "42501"
AUDIT = "governance_auditevent"
DECISION = "requests_app_decisionrecord"
AUDIT_TRIGGER = "pgtrigger_audit_append_only_f6eda"
DECISION_TRIGGER = "pgtrigger_decision_record_immutable_cab69"


def refused(sql: str) -> DatabaseError:
    """Run `sql` as the portal's role and return the refusal (the test's transaction lives on)."""
    with pytest.raises(DatabaseError) as caught, transaction.atomic(), connection.cursor() as c:
        c.execute(sql)
    return caught.value


def assert_permission_denied(sql: str) -> None:
    error = refused(sql)
    assert error.__cause__.pgcode == INSUFFICIENT_PRIVILEGE, error
    assert "permission denied" in str(error) or "must be owner" in str(error)


@pytest.fixture
def decided(alice, met, bob) -> DecisionRecord:
    req = wf.disclosed(alice, met, bob)
    return DecisionRecord.objects.get(request=req)


def test_the_suite_runs_as_the_portals_role_which_is_not_a_superuser():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_user, rolsuper, rolcreaterole, rolcreatedb, rolbypassrls "
            "FROM pg_roles WHERE rolname = current_user"
        )
        user, *powers = cursor.fetchone()
    assert user == app_role()
    assert powers == [False, False, False, False]


@pytest.mark.parametrize("table", [AUDIT, DECISION])
@pytest.mark.parametrize(
    "statement",
    ["UPDATE {table} SET id = id", "DELETE FROM {table}", "TRUNCATE {table}"],
    ids=["update", "delete", "truncate"],
)
def test_the_portals_role_may_not_rewrite_the_audit_trail_or_a_decision(decided, table, statement):
    before = AuditEvent.objects.count()
    assert_permission_denied(statement.format(table=table))
    assert AuditEvent.objects.count() == before
    assert DecisionRecord.objects.filter(pk=decided.pk).exists()


@pytest.mark.parametrize(
    "statement",
    [
        f"DROP TRIGGER {AUDIT_TRIGGER} ON {AUDIT}",
        f"ALTER TABLE {AUDIT} DISABLE TRIGGER {AUDIT_TRIGGER}",
        f"ALTER TABLE {AUDIT} DISABLE TRIGGER USER",
        f"DROP TABLE {AUDIT}",
        f"DROP TRIGGER {DECISION_TRIGGER} ON {DECISION}",
        f"ALTER TABLE {DECISION} DISABLE TRIGGER {DECISION_TRIGGER}",
        f"DROP TABLE {DECISION}",
        f"ALTER TABLE {AUDIT} OWNER TO CURRENT_USER",
    ],
)
def test_the_portals_role_may_not_drop_or_disable_a_trigger(statement):
    assert_permission_denied(statement)


def test_the_triggers_named_here_exist():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgname FROM pg_trigger WHERE tgname IN (%s, %s) AND tgenabled = 'O'",
            [AUDIT_TRIGGER, DECISION_TRIGGER],
        )
        assert {row[0] for row in cursor.fetchall()} == {AUDIT_TRIGGER, DECISION_TRIGGER}


def test_setting_the_trigger_bypass_does_not_help_the_portals_role():
    """pgtrigger's per-session bypass is a setting anyone may set: the privileges still hold."""
    (event,) = [audit.record(action=AuditAction.SIGNED_IN, detail="kept")]
    with pgtrigger.ignore("audit.AuditEvent:audit_append_only"):
        assert_permission_denied(f"UPDATE {AUDIT} SET detail = 'rewritten' WHERE id = {event.pk}")
    assert AuditEvent.objects.get(pk=event.pk).detail == "kept"


def test_the_owner_cannot_truncate_the_audit_trail_either():
    audit.record(action=AuditAction.SIGNED_IN)
    with as_owner():
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no deferred checks pending
        error = refused(f"TRUNCATE {AUDIT}")
    assert "Cannot truncate" in str(error)
    assert AuditEvent.objects.count() == 1


def privileges(table: str) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT p FROM unnest(ARRAY['SELECT','INSERT','UPDATE','DELETE','TRUNCATE']) AS p "
            "WHERE has_table_privilege(%s, %s, p)",
            [app_role(), table],
        )
        return {row[0] for row in cursor.fetchall()}


WRITE_ONCE = sorted(
    model._meta.db_table
    for model in apps.get_models()
    if issubclass(model, WriteOnceModel) and not model._meta.proxy
)


@pytest.mark.parametrize("table", WRITE_ONCE)
def test_every_write_once_table_is_read_and_insert_only(table):
    assert privileges(table) == {"SELECT", "INSERT"}


def test_consent_records_keep_update_and_delete_for_their_triggered_exceptions():
    """A withdrawal is an update; a draft deleted before it was sent takes its consent forms with
    it (requests_app.workflow.draft_delete). The triggers confine both."""
    assert privileges("consent_consentrecord") == {"SELECT", "INSERT", "UPDATE", "DELETE"}


def test_other_tables_have_the_ordinary_grants_without_truncate():
    assert privileges("requests_app_informationrequest") == {
        "SELECT",
        "INSERT",
        "UPDATE",
        "DELETE",
    }


def test_a_table_the_owner_creates_later_gets_the_ordinary_grants():
    with as_owner(), connection.cursor() as cursor:
        cursor.execute("CREATE TABLE later_table (id bigserial PRIMARY KEY, note text)")
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO later_table (note) VALUES ('written') RETURNING id")
        cursor.execute("UPDATE later_table SET note = 'changed'")
        cursor.execute("DELETE FROM later_table")
    assert privileges("later_table") == {"SELECT", "INSERT", "UPDATE", "DELETE"}


@pytest.mark.django_db(transaction=True)
def test_migrate_connects_as_the_schema_owner(settings):
    def current_user() -> str:
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_user")
            return cursor.fetchone()[0]

    owner = connection.settings_dict["USER"]
    assert current_user() == app_role()
    with as_schema_owner("default"):
        assert current_user() == owner
    assert current_user() == app_role()
    settings.DATABASE_OWNER_URL = f"postgres://{owner}@{connection.settings_dict['HOST']}:" + (
        f"{connection.settings_dict['PORT']}/elsewhere"
    )
    with as_schema_owner("default"):
        assert current_user() == owner
        assert connection.settings_dict["NAME"].startswith("test_")
    assert current_user() == app_role()
