import django.db.models.deletion
import pgtrigger.compiler
import pgtrigger.migrations
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("requests_app", "0005_part_b_write_once"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="PartAVersion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("sent_back", "Sent back for more information"),
                            ("resent", "Signed and sent again"),
                        ],
                        max_length=10,
                    ),
                ),
                ("answers", models.JSONField()),
                ("recorded_at", models.DateTimeField()),
                (
                    "recorded_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "request",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="part_a_versions",
                        to="requests_app.informationrequest",
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(fields=["request", "-id"], name="part_a_version_latest")
                ],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("kind__in", ["sent_back", "resent"])),
                        name="part_a_version_kind_valid",
                    )
                ],
            },
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="partaversion",
            trigger=pgtrigger.compiler.Trigger(
                name="part_a_version_immutable",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func="RAISE EXCEPTION 'pgtrigger: Cannot update or delete rows from % table', TG_TABLE_NAME;",
                    hash="1d20fac07b529a04a5cd98cfccec840ad1f5446b",
                    operation="UPDATE OR DELETE",
                    pgid="pgtrigger_part_a_version_immutable_6a5f1",
                    table="requests_app_partaversion",
                    when="BEFORE",
                ),
            ),
        ),
    ]
