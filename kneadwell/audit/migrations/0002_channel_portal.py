# The client portal as a channel of the access log (the client is the actor).

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0001_initial'),
    ]

    operations = [
        migrations.AlterField(
            model_name='accesslogentry',
            name='channel',
            field=models.CharField(choices=[('ui', 'Web'), ('api', 'API'), ('cli', 'Command line'), ('portal', 'Client portal')], default='ui', max_length=10),
        ),
    ]
