from django.db import migrations


class Migration(migrations.Migration):
    """Request references now come from governance.ReferenceSequence (prefix ISP)."""

    dependencies = [
        ("requests_app", "0006_part_a_versions"),
        ("governance", "0009_reference_sequence"),
    ]

    operations = [
        migrations.DeleteModel(name="ReferenceCounter"),
    ]
