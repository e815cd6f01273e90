from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("requests_app", "0003_spoc_details_access"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="decisionrecord",
            constraint=models.CheckConstraint(
                condition=models.Q(("reasons", ""), _negated=True), name="decision_has_reasons"
            ),
        ),
        migrations.AddConstraint(
            model_name="decisionrecord",
            constraint=models.CheckConstraint(
                condition=models.Q(("consented_or_authorised_by", ""), _negated=True),
                name="decision_names_who_consented_or_authorised",
            ),
        ),
        migrations.AddConstraint(
            model_name="decisionrecord",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(
                        ("decision", "share"),
                        models.Q(("information_type", ""), _negated=True),
                        models.Q(("sharing_method", ""), _negated=True),
                    ),
                    models.Q(("decision", "decline"), ("information_type", ""), ("sharing_method", "")),
                    _connector="OR",
                ),
                name="decision_share_has_type_and_method",
            ),
        ),
        migrations.AddConstraint(
            model_name="decisionrecord",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("decision", "decline"),
                    ("with_consent", True),
                    ("subject_informed__in", ["yes", "no"]),
                    _connector="OR",
                ),
                name="decision_without_consent_says_if_informed",
            ),
        ),
        migrations.AddConstraint(
            model_name="decisionrecord",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("decision", "decline"),
                    models.Q(("subject_informed", "no"), _negated=True),
                    models.Q(("subject_not_informed_reason", ""), _negated=True),
                    _connector="OR",
                ),
                name="decision_not_informed_has_reason",
            ),
        ),
        migrations.AddConstraint(
            model_name="decisionrecord",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("with_consent", False),
                    models.Q(("subject_informed", ""), ("subject_not_informed_reason", "")),
                    _connector="OR",
                ),
                name="decision_with_consent_has_no_informed_answer",
            ),
        ),
    ]
