"""A b-tree index for the request-number prefix of `?q=` on PostgreSQL (the HQ search at 1 M requests).

`selectors.service_request_search` asks `UPPER(number) LIKE 'SRB-09998%'`. The trigram index of `0003` answers
it, but a prefix shared by every number of a year ("SRB-0") yields thousands of candidates to recheck
(EXPLAIN at 1 M requests: 5 585 for a prefix matching 100, 29 ms). A b-tree with `text_pattern_ops` turns the
prefix into a range and reads just the matches, whatever the collation. Other databases: nothing to do.
"""

from django.db import migrations

NAME = "sr_number_upper_prefix"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f'CREATE INDEX IF NOT EXISTS "{NAME}" ON "service_servicerequest" ((UPPER("number"::text)) text_pattern_ops)'
    )
    schema_editor.execute('ANALYZE "service_servicerequest"')  # the expression's statistics, for the planner


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f'DROP INDEX IF EXISTS "{NAME}"')


class Migration(migrations.Migration):
    dependencies = [("service", "0004_acceptance_signature_declined")]

    operations = [migrations.RunPython(create, drop)]
