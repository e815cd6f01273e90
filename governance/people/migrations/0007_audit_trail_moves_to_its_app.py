import pgtrigger.migrations
from django.db import migrations


class Migration(migrations.Migration):
    """The audit trail moves to its own app (label "audit"). Its table stays where it is; only
    Django's record of which app owns it changes. The append-only trigger is named after the
    owning app, so the old one is dropped here and audit's first migration installs the new one."""

    dependencies = [
        ("governance", "0006_account_changes_and_admin_separation"),
    ]

    operations = [
        pgtrigger.migrations.RemoveTrigger(model_name="auditevent", name="audit_append_only"),
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="AuditEvent")],
        ),
    ]
