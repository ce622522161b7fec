"""Index django-auditlog's log by (content_type_id, id): "the history of one kind of record, newest
first" — the audit log filtered by model — without walking the whole table (bench: 1.5 s → 0.1 ms at
10 M rows). django-auditlog's own migrations don't have it; RunSQL works on SQLite and PostgreSQL."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_attachments"),
        ("auditlog", "0017_add_actor_email"),
    ]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS core_logentry_ct_id ON auditlog_logentry (content_type_id, id)",
            "DROP INDEX IF EXISTS core_logentry_ct_id",
        ),
    ]
