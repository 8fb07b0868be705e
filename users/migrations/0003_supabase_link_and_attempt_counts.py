"""Attempt counts for rate limits (users/ratelimit.py); the Supabase link cutoff
(users/linking.py); and the cache table again: the shared database cache became the
production default after 0002 ran on deployments that had no CACHE_URL then
(createcachetable skips tables that exist and caches that are not in the database)."""

from django.core.management import call_command
from django.db import migrations, models


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):

    dependencies = [
        ('users', '0002_cache_table'),
    ]

    operations = [
        migrations.CreateModel(
            name='AttemptCounter',
            fields=[
                ('key', models.CharField(max_length=64, primary_key=True, serialize=False)),
                ('count', models.PositiveIntegerField(default=0)),
                ('expires_at', models.FloatField(db_index=True)),
            ],
        ),
        migrations.AddField(
            model_name='user',
            name='supabase_link_session',
            field=models.UUIDField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='user',
            name='supabase_linked_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(create_cache_table, migrations.RunPython.noop),
    ]
