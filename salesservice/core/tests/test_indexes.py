"""Issue 17: the tables every create and every sweep appends to carry no index that another index already serves
(migrations core/0009 and service/0006). Each index is written by every insert, and by every update of a column it
holds that is not a HOT update."""

import pytest
from django.db import connection

HOT_TABLES = ("service_servicerequest", "auditlog_logentry", "core_event", "core_notification")

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def _indexes(table: str) -> list[dict]:
    """Every index of `table`: name, its key columns (None for an expression), unique, partial, default b-tree."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.relname, i.indisunique, i.indpred IS NOT NULL, i.indexprs IS NOT NULL, am.amname,
                   ARRAY(SELECT a.attname FROM unnest(i.indkey) WITH ORDINALITY k(attnum, n)
                         JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum ORDER BY k.n),
                   ARRAY(SELECT o.opcdefault FROM unnest(i.indclass) WITH ORDINALITY k(oid, n)
                         JOIN pg_opclass o ON o.oid = k.oid ORDER BY k.n)
            FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid
            JOIN pg_am am ON am.oid = c.relam
            WHERE t.relname = %s
            """,
            [table],
        )
        return [
            {
                "name": name,
                "unique": unique,
                "plain": not partial and not expression and method == "btree" and all(defaults),
                "columns": tuple(columns),
            }
            for name, unique, partial, expression, method, columns, defaults in cursor.fetchall()
        ]


@pytest.mark.parametrize("table", HOT_TABLES)
def test_no_plain_index_is_the_leading_part_of_another(table):
    if connection.vendor != "postgresql":
        pytest.skip("index definitions are PostgreSQL's here")
    indexes = _indexes(table)
    plain = [index for index in indexes if index["plain"]]
    redundant = [
        (index["name"], other["name"])
        for index in plain
        if not index["unique"]
        for other in plain
        if other is not index and other["columns"][: len(index["columns"])] == index["columns"]
    ]
    assert redundant == []


@pytest.mark.parametrize("table", HOT_TABLES)
def test_no_pattern_twin_of_a_column_compared_whole(table):
    """`varchar_pattern_ops` twins serve only case-sensitive LIKE 'prefix%', which no query of these tables asks."""
    if connection.vendor != "postgresql":
        pytest.skip("index definitions are PostgreSQL's here")
    twins = [index["name"] for index in _indexes(table) if index["name"].endswith("_like")]
    assert twins == []
