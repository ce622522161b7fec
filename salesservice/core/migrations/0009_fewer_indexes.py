"""Fewer indexes on the tables every document write and every sweep appends to (issue 17).

- Timeline events, notifications, personal-data access and restriction records: the foreign key that a composite
  index (or unique constraint) already leads with loses its own index — `core_event` (target_type, target_id, -id),
  `core_notification` (recipient, read_at, -id), the others (target_type, target_id).
- PostgreSQL only, indexes no query uses: the `varchar_pattern_ops` twins of `core_event.event_type` and of
  django-auditlog's `object_pk` and `cid` (those columns are only compared whole: `=`/`IN`), and auditlog's own
  `content_type_id` index, which `core_logentry_ct_id` (content_type_id, id; migration 0003) leads with. A sweep
  of 1 000 due requests appends ~4 000 audit entries to a 10 M-row log: 11 indexes each before, 8 after.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# (table, column, suffix): Django's names for them, computed as its schema editor does
UNUSED = [
    ("core_event", "event_type", "_like"),
    ("auditlog_logentry", "object_pk", "_like"),
    ("auditlog_logentry", "cid", "_like"),
    ("auditlog_logentry", "content_type_id", ""),
]


def _name(schema_editor, table: str, column: str, suffix: str) -> str:
    return schema_editor._create_index_name(table, [column], suffix=suffix)


def drop_unused(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, column, suffix in UNUSED:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{_name(schema_editor, table, column, suffix)}"')


def restore_unused(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, column, suffix in UNUSED:
        ops = " varchar_pattern_ops" if suffix == "_like" else ""
        name = _name(schema_editor, table, column, suffix)
        schema_editor.execute(f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" ("{column}"{ops})')


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0008_configstamp"),
        ("auditlog", "0017_add_actor_email"),
    ]

    operations = [
        migrations.AlterField(
            model_name="event",
            name="target_type",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="contenttypes.contenttype",
            ),
        ),
        migrations.AlterField(
            model_name="notification",
            name="recipient",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="notifications",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AlterField(
            model_name="personaldataaccess",
            name="target_type",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="contenttypes.contenttype",
            ),
        ),
        migrations.AlterField(
            model_name="personaldatarestriction",
            name="target_type",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="contenttypes.contenttype",
            ),
        ),
        migrations.RunPython(drop_unused, restore_unused),
    ]
