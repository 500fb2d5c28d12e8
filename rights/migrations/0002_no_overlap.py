"""On Postgres the database itself refuses two windows of one type for one film that overlap in time in a shared
country: an exclusion constraint over the per-country rows, so two concurrent requests cannot both succeed.
SQLite serializes writers and relies on the service's check."""

from django.contrib.postgres.operations import BtreeGistExtension
from django.db import migrations

ADD = """
ALTER TABLE rights_windowterritory ADD CONSTRAINT rights_no_overlapping_windows EXCLUDE USING gist (
    film_id WITH =, window_type WITH =, country WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&
)
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(ADD)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE rights_windowterritory DROP CONSTRAINT IF EXISTS rights_no_overlapping_windows")


class Migration(migrations.Migration):
    dependencies = [("rights", "0001_initial")]

    operations = [BtreeGistExtension(), migrations.RunPython(forwards, backwards)]
