from django.db import migrations, models

# The two counters this sequence replaces, with the prefix of their references.
COUNTERS = (("requests_app", "ReferenceCounter", "ISP"), ("breaches", "BreachReferenceCounter", "BR"))


def copy_counters(apps, schema_editor):
    Sequence = apps.get_model("governance", "ReferenceSequence")
    for app_label, model_name, prefix in COUNTERS:
        for counter in apps.get_model(app_label, model_name).objects.all():
            Sequence.objects.create(
                prefix=prefix, year=counter.year, last_number=counter.last_number
            )


def copy_back(apps, schema_editor):
    Sequence = apps.get_model("governance", "ReferenceSequence")
    for app_label, model_name, prefix in COUNTERS:
        Counter = apps.get_model(app_label, model_name)
        for sequence in Sequence.objects.filter(prefix=prefix):
            Counter.objects.create(year=sequence.year, last_number=sequence.last_number)


class Migration(migrations.Migration):
    """One sequence model for every human reference; the numbers carry on where they were."""

    dependencies = [
        ("governance", "0008_breach_register_moves_to_its_app"),
        ("requests_app", "0006_part_a_versions"),
        ("breaches", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="ReferenceSequence",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("prefix", models.CharField(max_length=10)),
                ("year", models.PositiveIntegerField()),
                ("last_number", models.PositiveIntegerField(default=0)),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("prefix", "year"), name="one_sequence_per_prefix_year"
                    )
                ],
            },
        ),
        migrations.RunPython(copy_counters, copy_back),
    ]
