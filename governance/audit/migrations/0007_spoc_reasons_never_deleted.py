"""A SPOC's reasons for opening personal details now PROTECT their request
(requests_app 0012), so deleting a draft no longer issues a DELETE on them: the portal's
database role loses DELETE there too, and the table is read and insert only like the other
write-once records (0005)."""

from django.conf import settings
from django.db import migrations

TABLE = "requests_app_personaldetailsaccess"


def _role(schema_editor) -> str:
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return ""
    return settings.DATABASE_APP_ROLE


def revoke_delete(apps, schema_editor):
    if role := _role(schema_editor):
        quote = schema_editor.connection.ops.quote_name
        schema_editor.execute(f"REVOKE DELETE ON {quote(TABLE)} FROM {quote(role)}", params=None)


def grant_delete(apps, schema_editor):
    if role := _role(schema_editor):
        quote = schema_editor.connection.ops.quote_name
        schema_editor.execute(f"GRANT DELETE ON {quote(TABLE)} TO {quote(role)}", params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0006_second_factor_lockout_passkeys_and_s62_actions"),
        ("requests_app", "0012_spoc_reasons_protect_their_request"),
    ]

    operations = [migrations.RunPython(revoke_delete, grant_delete)]
