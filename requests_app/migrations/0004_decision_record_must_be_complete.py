from django.db import IntegrityError, migrations, models, transaction

# What a decision row must hold (App. G 9). Rows written before these rules (a decision recorded
# from a shell with empty reasons, say) cannot be corrected: the record is immutable. So on
# PostgreSQL each constraint is added NOT VALID (every new row is checked) and then validated
# where the rows already there meet it; where they do not, it stays NOT VALID, and
# `ALTER TABLE requests_app_decisionrecord VALIDATE CONSTRAINT <name>` names the rows to report.
CONSTRAINTS = [
    models.CheckConstraint(
                condition=models.Q(("reasons", ""), _negated=True), name="decision_has_reasons"
            ),
    models.CheckConstraint(
                condition=models.Q(("consented_or_authorised_by", ""), _negated=True),
                name="decision_names_who_consented_or_authorised",
            ),
    models.CheckConstraint(
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
    models.CheckConstraint(
                condition=models.Q(
                    ("decision", "decline"),
                    ("with_consent", True),
                    ("subject_informed__in", ["yes", "no"]),
                    _connector="OR",
                ),
                name="decision_without_consent_says_if_informed",
            ),
    models.CheckConstraint(
                condition=models.Q(
                    ("decision", "decline"),
                    models.Q(("subject_informed", "no"), _negated=True),
                    models.Q(("subject_not_informed_reason", ""), _negated=True),
                    _connector="OR",
                ),
                name="decision_not_informed_has_reason",
            ),
    models.CheckConstraint(
                condition=models.Q(
                    ("with_consent", False),
                    models.Q(("subject_informed", ""), ("subject_not_informed_reason", "")),
                    _connector="OR",
                ),
                name="decision_with_consent_has_no_informed_answer",
            ),
]


def add_to_database(apps, schema_editor):
    model = apps.get_model("requests_app", "DecisionRecord")
    if schema_editor.connection.vendor == "postgresql":
        table = schema_editor.quote_name(model._meta.db_table)
        for constraint in CONSTRAINTS:
            schema_editor.execute(
                f"{constraint.create_sql(model, schema_editor)} NOT VALID", params=None
            )
            try:
                with transaction.atomic():
                    schema_editor.execute(
                        f"ALTER TABLE {table} VALIDATE CONSTRAINT "
                        f"{schema_editor.quote_name(constraint.name)}",
                        params=None,
                    )
            except IntegrityError:
                pass  # an old row breaks it: new rows are still checked
    else:
        # SQLite rebuilds the table from the model, which already carries the constraints.
        schema_editor.add_constraint(model, CONSTRAINTS[0])


def drop_from_database(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        model = apps.get_model("requests_app", "DecisionRecord")
        for constraint in CONSTRAINTS:
            schema_editor.execute(str(constraint.remove_sql(model, schema_editor)), params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("requests_app", "0003_spoc_details_access"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddConstraint(model_name="decisionrecord", constraint=constraint)
                for constraint in CONSTRAINTS
            ],
        ),
        migrations.RunPython(add_to_database, drop_from_database),
    ]
