import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


MODELS = ("breach", "breachreferencecounter")


def content_types_follow(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="governance", model__in=MODELS).update(
        app_label="breaches"
    )


def content_types_return(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="breaches", model__in=MODELS).update(
        app_label="governance"
    )


class Migration(migrations.Migration):
    """The breach register's tables (governance_breach, governance_breachreferencecounter) move to
    this app without being touched."""


    initial = True

    dependencies = [
        ('governance', '0008_breach_register_moves_to_its_app'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('requests_app', '0006_part_a_versions'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='BreachReferenceCounter',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('year', models.PositiveIntegerField(unique=True)),
                        ('last_number', models.PositiveIntegerField(default=0)),
                    ],
                    options={
                        'db_table': 'governance_breachreferencecounter',
                    },
                ),
                migrations.CreateModel(
                    name='Breach',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('reference', models.CharField(editable=False, max_length=20, unique=True)),
                        ('occurred_on', models.DateField(verbose_name='date the breach happened')),
                        ('became_aware_at', models.DateTimeField(verbose_name='became aware')),
                        ('what_happened', models.TextField(verbose_name='what happened')),
                        ('data_categories', models.TextField(verbose_name='kinds of personal data involved')),
                        ('people_affected', models.PositiveIntegerField(verbose_name='approximate number of people affected')),
                        ('effects', models.TextField(verbose_name='likely consequences')),
                        ('remedial_action', models.TextField(verbose_name='action taken')),
                        ('risk', models.CharField(choices=[('low', 'Low'), ('medium', 'Medium'), ('high', 'High')], max_length=10)),
                        ('ico_decision', models.CharField(choices=[('pending', 'Not decided yet'), ('reported', 'Reported'), ('not_reported', 'Not reported')], default='pending', max_length=20, verbose_name='reported to the ICO')),
                        ('ico_reported_at', models.DateTimeField(blank=True, null=True, verbose_name='reported to the ICO at')),
                        ('not_reported_reason', models.TextField(blank=True, verbose_name='reason for not reporting')),
                        ('delay_reason', models.TextField(blank=True, verbose_name='reason for the delay')),
                        ('status', models.CharField(choices=[('open', 'Open'), ('closed', 'Closed')], default='open', max_length=10)),
                        ('closed_at', models.DateTimeField(blank=True, null=True)),
                        ('lessons_learned', models.TextField(blank=True)),
                        ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='breaches', to='governance.organisation')),
                        ('reported_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='breaches_reported', to=settings.AUTH_USER_MODEL)),
                        ('request', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='breaches', to='requests_app.informationrequest')),
                    ],
                    options={
                        'verbose_name_plural': 'breaches',
                        'db_table': 'governance_breach',
                        'ordering': ['-became_aware_at', '-id'],
                        'indexes': [models.Index(fields=['organisation', 'status', '-became_aware_at'], name='breach_register')],
                        'constraints': [models.CheckConstraint(condition=models.Q(('status__in', ['open', 'closed'])), name='breach_status_valid'), models.CheckConstraint(condition=models.Q(('risk__in', ['low', 'medium', 'high'])), name='breach_risk_valid'), models.CheckConstraint(condition=models.Q(('ico_decision__in', ['pending', 'reported', 'not_reported'])), name='breach_ico_decision_valid'), models.CheckConstraint(condition=models.Q(models.Q(('closed_at__isnull', True), ('status', 'open')), models.Q(('closed_at__isnull', False), ('status', 'closed')), _connector='OR'), name='breach_closed_has_closed_at', violation_error_message='A closed breach must have the date it was closed.'), models.CheckConstraint(condition=models.Q(('status', 'open'), models.Q(('ico_decision', 'pending'), _negated=True), _connector='OR'), name='breach_closed_has_ico_decision'), models.CheckConstraint(condition=models.Q(models.Q(('ico_decision', 'reported'), ('ico_reported_at__isnull', False)), models.Q(models.Q(('ico_decision', 'reported'), _negated=True), ('ico_reported_at__isnull', True)), _connector='OR'), name='breach_reported_has_reported_at'), models.CheckConstraint(condition=models.Q(models.Q(('ico_decision', 'not_reported'), _negated=True), models.Q(('not_reported_reason', ''), _negated=True), _connector='OR'), name='breach_not_reported_has_reason'), models.CheckConstraint(condition=models.Q(('ico_reported_at__isnull', True), ('ico_reported_at__gte', models.F('became_aware_at')), _connector='OR'), name='breach_reported_after_aware')],
                    },
                ),
            ],
        ),
        migrations.RunPython(content_types_follow, content_types_return),
    ]
