"""The portal's database role may not rewrite history (issue 18).

On PostgreSQL, the role the portal connects as (settings.DATABASE_APP_ROLE) gets the ordinary
grants on every table, now and to come, except UPDATE, DELETE and TRUNCATE on the audit trail and
the write-once records, and TRUNCATE on consent records (their triggers confine an update to a
withdrawal, and a delete to the consent forms of a draft deleted before it was sent). The role owns nothing, so it can neither
drop nor disable a trigger. Migrations run as the owner (DATABASE_OWNER_URL, docs/security.md).
A write-once table added later needs its REVOKE in a migration of its own;
tests/governance/test_database_roles.py fails until it has one.
"""

import pgtrigger.compiler
import pgtrigger.migrations
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import migrations

WRITE_ONCE_TABLES = (
    "governance_auditevent",
    "requests_app_decisionrecord",
    "requests_app_disclosure",
    "requests_app_attachment",
    "requests_app_partaversion",
    "requests_app_extension",
    "requests_app_requestmessage",
)
# A SPOC's reasons for opening personal details are never changed; DELETE goes in 0007, once
# their foreign key to the request is PROTECT (a draft's deletion issued a DELETE on the table).
NEVER_UPDATED_TABLES = ("requests_app_personaldetailsaccess",)
NEVER_TRUNCATED_TABLES = ("consent_consentrecord",)


def _statements(schema_editor, grant: bool) -> list[str]:
    connection = schema_editor.connection
    role = settings.DATABASE_APP_ROLE
    if connection.vendor != "postgresql" or not role:
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user, current_schema()")
        current_user, schema = cursor.fetchone()
    if role == current_user:
        raise ImproperlyConfigured(
            f"Migrations must run as the schema's owner, not as the portal's role {role!r} "
            "(set DATABASE_OWNER_URL)."
        )
    quote = connection.ops.quote_name
    to, schema = quote(role), quote(schema)
    tables = "SELECT, INSERT, UPDATE, DELETE"
    if not grant:
        return [
            f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} REVOKE {tables} ON TABLES FROM {to}",
            f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} REVOKE USAGE, SELECT ON SEQUENCES "
            f"FROM {to}",
            f"REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM {to}",
            f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {schema} FROM {to}",
            f"REVOKE USAGE ON SCHEMA {schema} FROM {to}",
        ]
    return [
        f"GRANT USAGE ON SCHEMA {schema} TO {to}",
        f"GRANT {tables} ON ALL TABLES IN SCHEMA {schema} TO {to}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {to}",
        # Tables and sequences the owner creates later (this role's migrations) get the same.
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} GRANT {tables} ON TABLES TO {to}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} GRANT USAGE, SELECT ON SEQUENCES TO {to}",
        *(f"REVOKE UPDATE, DELETE, TRUNCATE ON {quote(t)} FROM {to}" for t in WRITE_ONCE_TABLES),
        *(f"REVOKE UPDATE, TRUNCATE ON {quote(t)} FROM {to}" for t in NEVER_UPDATED_TABLES),
        *(f"REVOKE TRUNCATE ON {quote(t)} FROM {to}" for t in NEVER_TRUNCATED_TABLES),
    ]


def grant_app_role(apps, schema_editor):
    for statement in _statements(schema_editor, grant=True):
        schema_editor.execute(statement, params=None)


def revoke_app_role(apps, schema_editor):
    for statement in _statements(schema_editor, grant=False):
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0004_email_sent_again"),
        # The write-once tables named above exist by then.
        ("requests_app", "0011_inbox_index"),
        ("consent", "0002_witness_position_optional"),
    ]

    operations = [
        pgtrigger.migrations.AddTrigger(
            model_name="auditevent",
            trigger=pgtrigger.compiler.Trigger(
                name="audit_no_truncate",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func="RAISE EXCEPTION 'pgtrigger: Cannot truncate the % table', "
                    "TG_TABLE_NAME;",
                    hash="9bc5fdb4e4b14b59a4ffdfeb5c11126bfe13a38c",
                    level="STATEMENT",
                    operation="TRUNCATE",
                    pgid="pgtrigger_audit_no_truncate_50e0d",
                    table="governance_auditevent",
                    when="BEFORE",
                ),
            ),
        ),
        migrations.RunPython(grant_app_role, revoke_app_role),
    ]
