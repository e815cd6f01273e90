import django.db.models.deletion
import django.db.models.functions.datetime
import django.utils.timezone
import pgtrigger.compiler
import pgtrigger.migrations
import zoneinfo
from django.conf import settings
from django.db import migrations, models


def content_type_follows(apps, schema_editor):
    """Permissions and admin history that name the audit event's content type keep it."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="governance", model="auditevent").update(app_label="audit")


def content_type_returns(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="audit", model="auditevent").update(app_label="governance")


# The append-only trigger as governance's first migration installed it (see governance 0007).
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


def drop_old_trigger(apps, schema_editor):
    """The trigger installed above replaces the one named after the governance app."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(OLD_TRIGGER.uninstall_sql, params=None)
        schema_editor.execute(
            f"DROP FUNCTION IF EXISTS {OLD_TRIGGER.sql.pgid}()", params=None
        )


def keep_old_trigger(apps, schema_editor):
    """Going backwards, governance's migration 0007 installs the old trigger again."""


class Migration(migrations.Migration):
    """The audit trail's table (governance_auditevent) moves to this app without being touched."""


    initial = True

    dependencies = [
        ('governance', '0007_audit_trail_moves_to_its_app'),
        ('contenttypes', '0002_remove_content_type_name'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='AuditEvent',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('occurred_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('actor_name', models.CharField(blank=True, max_length=200)),
                        ('action', models.CharField(choices=[('signed_in', 'Signed in'), ('sign_in_failed', 'Sign-in failed'), ('signed_out', 'Signed out'), ('request_created', 'Request created'), ('request_updated', 'Request draft saved'), ('request_submitted', 'Request submitted'), ('request_viewed', 'Request viewed'), ('request_assigned', 'Request assigned'), ('request_reassigned', 'Request reassigned'), ('more_information_requested', 'More information requested'), ('more_information_provided', 'More information provided'), ('request_withdrawn', 'Request withdrawn'), ('request_decided', 'Request decided'), ('request_closed', 'Request closed'), ('personal_details_viewed', 'Personal details viewed'), ('attachment_downloaded', 'Attachment downloaded'), ('pdf_printed', 'PDF printed'), ('consent_recorded', 'Consent recorded'), ('consent_withdrawn', 'Consent withdrawn'), ('breach_reported', 'Breach reported'), ('breach_updated', 'Breach updated'), ('request_draft_deleted', 'Draft request deleted'), ('personal_details_justified', 'Reason given to view personal details'), ('permission_denied', 'Permission denied'), ('export_made', 'Export made'), ('account_created', 'Account created'), ('account_changed', 'Account or role changed'), ('account_change_proposed', 'Account change proposed'), ('account_change_confirmed', 'Account change confirmed'), ('account_change_rejected', 'Account change rejected'), ('account_deactivated', 'Account deactivated'), ('password_link_sent', 'Password-set link sent'), ('password_link_requested', 'Password-set link requested'), ('password_set', 'Password set'), ('organisation_created', 'Organisation created'), ('organisation_changed', 'Organisation changed')], max_length=40)),
                        ('object_type', models.CharField(blank=True, max_length=40)),
                        ('object_reference', models.CharField(blank=True, max_length=40)),
                        ('ip_address', models.GenericIPAddressField(blank=True, null=True)),
                        ('user_agent', models.CharField(blank=True, max_length=300)),
                        ('detail', models.CharField(blank=True, max_length=300)),
                        ('previous_hash', models.CharField(max_length=64)),
                        ('hash', models.CharField(max_length=64)),
                        ('actor', models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('actor_organisation', models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='governance.organisation')),
                        ('receiving_organisation', models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='governance.organisation')),
                        ('requesting_organisation', models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='governance.organisation')),
                    ],
                    options={
                        'db_table': 'governance_auditevent',
                        'ordering': ['-occurred_at', '-id'],
                        'indexes': [models.Index(fields=['actor_organisation', '-occurred_at'], name='audit_actor_org_time'), models.Index(fields=['requesting_organisation', '-occurred_at'], name='audit_req_org_time'), models.Index(fields=['receiving_organisation', '-occurred_at'], name='audit_recv_org_time'), models.Index(fields=['actor', '-occurred_at'], name='audit_actor_time'), models.Index(fields=['object_reference', '-occurred_at'], name='audit_object_time'), models.Index(fields=['action', '-occurred_at'], name='audit_action_time'), models.Index(django.db.models.functions.datetime.ExtractHour('occurred_at', tzinfo=zoneinfo.ZoneInfo(key='Europe/London')), models.OrderBy(models.F('occurred_at'), descending=True), condition=models.Q(('action', 'personal_details_viewed')), name='audit_pdv_hour_time')],
                        'constraints': [models.UniqueConstraint(fields=('hash',), name='audit_hash_unique')],
                    },
                ),
            ],
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='auditevent',
            trigger=pgtrigger.compiler.Trigger(name='audit_append_only', sql=pgtrigger.compiler.UpsertTriggerSql(func="RAISE EXCEPTION 'pgtrigger: Cannot update or delete rows from % table', TG_TABLE_NAME;", hash='665aef54b5850549ed9ff437bf5e16a5cf2a66b7', operation='UPDATE OR DELETE', pgid='pgtrigger_audit_append_only_f6eda', table='governance_auditevent', when='BEFORE')),
        ),
        migrations.RunPython(drop_old_trigger, keep_old_trigger),
        migrations.RunPython(content_type_follows, content_type_returns),
    ]
