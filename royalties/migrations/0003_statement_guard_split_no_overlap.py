"""The database's share of two rules.

1. A closed statement never changes: a trigger refuses any update of a statement but of `emailed_at` (the one
   column set after closing), on Postgres and SQLite, and on Postgres any delete (on SQLite a delete is left to the
   application's refusal: Django's test flush empties tables with DELETE there; Postgres's flush truncates, which
   row triggers do not see). Someone who can drop the trigger can still edit a statement: the hash chain
   (royalties_verify) shows it.
2. On Postgres two split rule sets of one film and scope (model, territory) may not overlap in time: an exclusion
   constraint, so two concurrent requests cannot both succeed (SQLite serializes writers; the service checks)."""

from django.db import migrations

COLUMNS = [
    "payee_id", "period", "currency", "sequence", "opening_minor", "earnings_minor", "adjustments_minor",
    "withholding_minor", "payouts_minor", "closing_minor", "lines", "display_currency", "rates_on", "rate",
    "display_rate", "closed_at", "previous_hash", "hash",
]

PG_GUARD = [
    """
    CREATE OR REPLACE FUNCTION royalties_statement_immutable() RETURNS trigger AS $$
    BEGIN
        IF TG_OP = 'DELETE' THEN
            RAISE EXCEPTION USING MESSAGE = 'royalties: statement ' || OLD.id || ' is closed and is never deleted';
        END IF;
        IF (to_jsonb(NEW) - 'emailed_at') IS DISTINCT FROM (to_jsonb(OLD) - 'emailed_at') THEN
            RAISE EXCEPTION USING MESSAGE = 'royalties: statement ' || OLD.id || ' is closed and never changes';
        END IF;
        RETURN NEW;
    END
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER royalties_statement_immutable BEFORE UPDATE OR DELETE ON royalties_statement
        FOR EACH ROW EXECUTE FUNCTION royalties_statement_immutable()
    """,
]
PG_UNGUARD = [
    "DROP TRIGGER IF EXISTS royalties_statement_immutable ON royalties_statement",
    "DROP FUNCTION IF EXISTS royalties_statement_immutable()",
]
SQLITE_GUARD = f"""
CREATE TRIGGER royalties_statement_immutable BEFORE UPDATE OF {", ".join(COLUMNS)} ON royalties_statement
BEGIN
    SELECT RAISE(ABORT, 'royalties: a closed statement never changes');
END;
"""
PG_NO_OVERLAP = """
ALTER TABLE royalties_splitruleset ADD CONSTRAINT royalties_no_overlapping_splits EXCLUDE USING gist (
    film_id WITH =, model WITH =, territory WITH =, daterange(valid_from, valid_until, '[)') WITH &&
)
"""


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for statement in [*PG_GUARD, PG_NO_OVERLAP]:
            schema_editor.execute(statement, params=None)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_GUARD, params=None)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute("ALTER TABLE royalties_splitruleset DROP CONSTRAINT IF EXISTS "
                              "royalties_no_overlapping_splits")
        for statement in PG_UNGUARD:
            schema_editor.execute(statement, params=None)
    elif vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS royalties_statement_immutable")


class Migration(migrations.Migration):
    # btree_gist (equality in a gist index) is rights' migration 0002's: it stays when this one is reversed.
    dependencies = [("royalties", "0002_rules_allocations_statements"), ("rights", "0002_no_overlap")]

    operations = [migrations.RunPython(forwards, backwards)]
