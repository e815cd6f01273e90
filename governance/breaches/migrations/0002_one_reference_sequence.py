from django.db import migrations


class Migration(migrations.Migration):
    """Breach references now come from governance.ReferenceSequence (prefix BR)."""

    dependencies = [
        ("breaches", "0001_initial"),
        ("governance", "0009_reference_sequence"),
    ]

    operations = [
        migrations.DeleteModel(name="BreachReferenceCounter"),
    ]
