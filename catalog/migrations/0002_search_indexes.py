"""Postgres search: pg_trgm for typo-tolerant matching, GIN indexes for the tsvector and the trigram lookups.
SQLite has none of these and searches by substring instead (catalog.selectors)."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

INDEXES = [
    "CREATE INDEX IF NOT EXISTS catalog_film_search_vector_gin ON catalog_film USING gin (search_vector)",
    "CREATE INDEX IF NOT EXISTS catalog_film_title_trgm ON catalog_film USING gin (lower(title) gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS catalog_film_search_text_trgm ON catalog_film USING gin (search_text gin_trgm_ops)",
]
DROP = ["catalog_film_search_vector_gin", "catalog_film_title_trgm", "catalog_film_search_text_trgm"]


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in INDEXES:
            schema_editor.execute(sql)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in DROP:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]

    operations = [TrigramExtension(), migrations.RunPython(create, drop)]
