# The chain keyed with an HMAC secret outside the database, each entry's place in it (`seq`),
# refused attempts as an action, and indexes for every filter of the log page (clinic first).
# Entries written before this keep `keyed` false: `audit verify` checks them by plain hash, as
# before, and says how many there are. They were chained in id order, so their place is their id.

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0002_channel_portal'),
    ]

    operations = [
        migrations.AddField(
            model_name='accesslogentry',
            name='keyed',
            field=models.BooleanField(default=False),
        ),
        migrations.AlterField(
            model_name='accesslogentry',
            name='keyed',
            field=models.BooleanField(default=True),
        ),
        migrations.AddField(
            model_name='accesslogentry',
            name='seq',
            field=models.BigIntegerField(null=True, unique=True),
        ),
        migrations.RunSQL(
            "UPDATE audit_accesslogentry SET seq = id",
            "UPDATE audit_accesslogentry SET seq = NULL",
        ),
        migrations.AlterField(
            model_name='accesslogentry',
            name='action',
            field=models.CharField(choices=[('view', 'Viewed'), ('list', 'Listed'), ('create', 'Created'), ('update', 'Changed'), ('archive', 'Archived'), ('restore', 'Restored'), ('erase', 'Erased'), ('export', 'Exported'), ('override', 'Overrode a safety finding'), ('refuse', 'Was refused')], max_length=20),
        ),
        migrations.AlterField(
            model_name='accesslogentry',
            name='at',
            field=models.DateTimeField(default=django.utils.timezone.now),
        ),
        migrations.AlterField(
            model_name='accesslogentry',
            name='client_id',
            field=models.BigIntegerField(null=True),
        ),
        migrations.AlterField(
            model_name='accesslogentry',
            name='clinic_id',
            field=models.BigIntegerField(),
        ),
        migrations.AlterField(
            model_name='accesslogentry',
            name='prev_hash',
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.AddIndex(
            model_name='accesslogentry',
            index=models.Index(fields=['clinic_id', 'id'], name='audit_clinic_id'),
        ),
        migrations.AddIndex(
            model_name='accesslogentry',
            index=models.Index(fields=['clinic_id', 'at'], name='audit_clinic_at'),
        ),
        migrations.AddIndex(
            model_name='accesslogentry',
            index=models.Index(fields=['clinic_id', 'user_id', 'id'], name='audit_clinic_user'),
        ),
        migrations.AddIndex(
            model_name='accesslogentry',
            index=models.Index(fields=['clinic_id', 'client_id', 'id'], name='audit_clinic_client'),
        ),
        migrations.AddIndex(
            model_name='accesslogentry',
            index=models.Index(fields=['clinic_id', 'action', 'id'], name='audit_clinic_action'),
        ),
        migrations.AddIndex(
            model_name='accesslogentry',
            index=models.Index(fields=['clinic_id', 'channel', 'id'], name='audit_clinic_channel'),
        ),
        migrations.AddIndex(
            model_name='accesslogentry',
            index=models.Index(condition=models.Q(('seq__isnull', True)), fields=['id'], name='audit_pending'),
        ),
    ]
