from django.db import migrations


class Migration(migrations.Migration):
    """The breach register moves to its own app (label "breaches"). Its tables stay where they
    are; only Django's record of which app owns them changes."""

    dependencies = [
        ("governance", "0007_audit_trail_moves_to_its_app"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(model_name="breach", name="organisation"),
                migrations.RemoveField(model_name="breach", name="reported_by"),
                migrations.RemoveField(model_name="breach", name="request"),
                migrations.DeleteModel(name="BreachReferenceCounter"),
                migrations.DeleteModel(name="Breach"),
            ],
        ),
    ]
