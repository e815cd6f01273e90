import django.db.models.deletion
from django.db import migrations, models


def link_requests(apps, schema_editor):
    """Turn each breach's typed request reference into a link to that request."""
    Breach = apps.get_model("governance", "Breach")
    InformationRequest = apps.get_model("requests_app", "InformationRequest")
    for breach in Breach.objects.exclude(request_reference=""):
        breach.request = InformationRequest.objects.filter(
            reference=breach.request_reference
        ).first()
        breach.save(update_fields=["request"])


def unlink_requests(apps, schema_editor):
    Breach = apps.get_model("governance", "Breach")
    for breach in Breach.objects.exclude(request=None).select_related("request"):
        breach.request_reference = breach.request.reference
        breach.save(update_fields=["request_reference"])


class Migration(migrations.Migration):

    dependencies = [
        ('governance', '0004_audit_lean_indexes'),
        ('requests_app', '0002_request_outbox_index'),
    ]

    operations = [
        migrations.AddField(
            model_name='breach',
            name='request',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='breaches', to='requests_app.informationrequest'),
        ),
        migrations.RunPython(link_requests, unlink_requests),
        migrations.RemoveField(
            model_name='breach',
            name='request_reference',
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='action',
            field=models.CharField(choices=[('signed_in', 'Signed in'), ('sign_in_failed', 'Sign-in failed'), ('signed_out', 'Signed out'), ('request_created', 'Request created'), ('request_updated', 'Request draft saved'), ('request_submitted', 'Request submitted'), ('request_viewed', 'Request viewed'), ('request_assigned', 'Request assigned'), ('request_reassigned', 'Request reassigned'), ('more_information_requested', 'More information requested'), ('more_information_provided', 'More information provided'), ('request_withdrawn', 'Request withdrawn'), ('request_decided', 'Request decided'), ('request_closed', 'Request closed'), ('personal_details_viewed', 'Personal details viewed'), ('attachment_downloaded', 'Attachment downloaded'), ('pdf_printed', 'PDF printed'), ('consent_recorded', 'Consent recorded'), ('consent_withdrawn', 'Consent withdrawn'), ('breach_reported', 'Breach reported'), ('breach_updated', 'Breach updated'), ('request_draft_deleted', 'Draft request deleted'), ('personal_details_justified', 'Reason given to view personal details'), ('permission_denied', 'Permission denied'), ('export_made', 'Export made'), ('account_created', 'Account created'), ('account_changed', 'Account or role changed')], max_length=40),
        ),
    ]
