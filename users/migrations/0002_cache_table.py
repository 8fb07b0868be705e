"""Creates the database cache table when CACHE_URL points at one (dbcache://…).

`createcachetable` does nothing for other cache backends, so this is safe everywhere
and keeps `migrate` the only release step.
"""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("users", "0001_initial")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
