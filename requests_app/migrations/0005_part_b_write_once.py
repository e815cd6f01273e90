import pgtrigger.compiler
import pgtrigger.migrations
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("requests_app", "0004_decision_record_must_be_complete"),
    ]

    operations = [
        pgtrigger.migrations.AddTrigger(
            model_name="disclosure",
            trigger=pgtrigger.compiler.Trigger(
                name="disclosure_immutable",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func="RAISE EXCEPTION 'pgtrigger: Cannot update or delete rows from % table', TG_TABLE_NAME;",
                    hash="87678f6c6e8ea0964e74446199aea87a5da42775",
                    operation="UPDATE OR DELETE",
                    pgid="pgtrigger_disclosure_immutable_afc78",
                    table="requests_app_disclosure",
                    when="BEFORE",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="attachment",
            trigger=pgtrigger.compiler.Trigger(
                name="attachment_immutable",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func="RAISE EXCEPTION 'pgtrigger: Cannot update or delete rows from % table', TG_TABLE_NAME;",
                    hash="9e76ff5ca6552c8df9ee8333f2277ad9a2c9b23a",
                    operation="UPDATE OR DELETE",
                    pgid="pgtrigger_attachment_immutable_0c85e",
                    table="requests_app_attachment",
                    when="BEFORE",
                ),
            ),
        ),
    ]
