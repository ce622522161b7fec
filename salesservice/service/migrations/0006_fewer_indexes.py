"""Fewer indexes on `service_servicerequest` (issue 17): every create writes each index once, and a sweep's update
of a deadline (an indexed column, so never a HOT update) writes them all again — 22 indexes before this.

- `store`, `assignee`, `provider`: their foreign-key indexes go; `sr_store_received`, `sr_assignee_status` and
  `sr_provider_status` lead with the same column and answer the same lookups (and the PROTECT checks).
- PostgreSQL: `sr_number_trgm` (0003) and the `varchar_pattern_ops` twins of the number and the serial number go.
  The number is searched only by `UPPER(number) LIKE 'prefix%'` (`selectors.service_request_search`), which the
  b-tree of 0005 answers, and the serial number only whole (`=`); no query asks a case-sensitive prefix or a
  substring of either. Their plain (unique) indexes stay.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

TRIGRAM = "sr_number_trgm"
TABLE = "service_servicerequest"


LIKE_TWINS = ("number", "serial_number")


def _like_index(schema_editor, column: str) -> str:
    return schema_editor._create_index_name(TABLE, [column], suffix="_like")


def drop_number_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f'DROP INDEX IF EXISTS "{TRIGRAM}"')
    for column in LIKE_TWINS:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{_like_index(schema_editor, column)}"')


def restore_number_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f'CREATE INDEX IF NOT EXISTS "{TRIGRAM}" ON "{TABLE}" USING gin ((UPPER("number"::text)) gin_trgm_ops)'
    )
    for column in LIKE_TWINS:
        name = _like_index(schema_editor, column)
        schema_editor.execute(f'CREATE INDEX IF NOT EXISTS "{name}" ON "{TABLE}" ("{column}" varchar_pattern_ops)')


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0008_configstamp"),
        ("network", "0004_training_evaluations"),
        ("service", "0005_number_prefix_index"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="servicerequest",
            name="assignee",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="assigned_service_requests",
                to=settings.AUTH_USER_MODEL,
                verbose_name="负责工程师",
            ),
        ),
        migrations.AlterField(
            model_name="servicerequest",
            name="provider",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="service_requests",
                to="network.serviceprovider",
                verbose_name="外协网点",
            ),
        ),
        migrations.AlterField(
            model_name="servicerequest",
            name="store",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="service_requests",
                to="core.orgunit",
                verbose_name="受理门店",
            ),
        ),
        migrations.RunPython(drop_number_indexes, restore_number_indexes),
    ]
