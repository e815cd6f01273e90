import pgtrigger.compiler
import pgtrigger.migrations
from django.db import migrations

# The append-only trigger as governance's first migration installed it. Its name includes the
# owning app, so audit's first migration installs it under its new name and only then drops this
# one, in the same transaction: the table is never without it.
OLD_TRIGGER = pgtrigger.compiler.Trigger(
    name="audit_append_only",
    sql=pgtrigger.compiler.UpsertTriggerSql(
        func="RAISE EXCEPTION 'pgtrigger: Cannot update or delete rows from % table', "
        "TG_TABLE_NAME;",
        hash="a1a1c1c0e62c19baddcd49dcdacb15be98a27d95",
        operation="UPDATE OR DELETE",
        pgid="pgtrigger_audit_append_only_c59aa",
        table="governance_auditevent",
        when="BEFORE",
    ),
)


def keep_the_trigger(apps, schema_editor):
    """Going forward the old trigger stays until audit's first migration replaces it."""


def reinstall_the_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(OLD_TRIGGER.install_sql, params=None)


class Migration(migrations.Migration):
    """The audit trail moves to its own app (label "audit"). Its table stays where it is; only
    Django's record of which app owns it changes."""

    dependencies = [
        ("governance", "0006_account_changes_and_admin_separation"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                pgtrigger.migrations.RemoveTrigger(
                    model_name="auditevent", name="audit_append_only"
                ),
                migrations.DeleteModel(name="AuditEvent"),
            ],
            database_operations=[
                migrations.RunPython(keep_the_trigger, reinstall_the_trigger),
            ],
        ),
    ]
