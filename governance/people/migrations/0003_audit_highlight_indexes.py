import zoneinfo

import django.db.models.functions.datetime
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('governance', '0002_breach_register'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='auditevent',
            index=models.Index(fields=['action', '-occurred_at'], name='audit_action_time'),
        ),
        migrations.AddIndex(
            model_name='auditevent',
            index=models.Index(django.db.models.functions.datetime.ExtractHour('occurred_at', tzinfo=zoneinfo.ZoneInfo(key='Europe/London')), models.F('occurred_at').desc(), condition=models.Q(('action', 'personal_details_viewed')), name='audit_pdv_hour_time'),
        ),
    ]
