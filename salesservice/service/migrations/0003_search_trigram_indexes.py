"""Trigram indexes for the service-request search (`?q=`) on PostgreSQL (bench finding 9).

`?q=` looks for a substring in the description, a number prefix and a substring of the customer's
name. Without an index each is a scan of the whole table under the list's order. pg_trgm's GIN indexes
serve `LIKE '%…%'` for Chinese as for Latin text (it makes trigrams of any characters) — the search
(`selectors.service_request_search`) asks on the same expressions. pg_trgm is a trusted extension: the
database owner may create it. Other databases (SQLite) keep scanning; the migration does nothing there.
"""

from django.db import migrations

INDEXES = [
    ("sr_description_trgm", "service_servicerequest", 'UPPER("description"::text)'),
    ("sr_number_trgm", "service_servicerequest", 'UPPER("number"::text)'),
    ("cu_name_trgm", "customers_customer", 'UPPER("name"::text)'),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, expression in INDEXES:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" USING gin (({expression}) gin_trgm_ops)'
        )
    # Statistics of an expression index exist only after ANALYZE; without them the planner guesses that
    # a search matches half the table and walks the list order instead of using the indexes.
    for table in sorted({table for _name, table, _expression in INDEXES}):
        schema_editor.execute(f'ANALYZE "{table}"')


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _expression in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [
        ("service", "0002_list_order_index"),
        ("customers", "0001_initial"),
    ]

    operations = [migrations.RunPython(create, drop)]
