"""Issue 12 §2, §3 — the published OpenAPI schema says what the API really accepts and answers.

- Choice fields are `enum`s (a generated client keeps the values), never a regex `pattern`.
- A read-only field that can serialise `null` is `nullable` (`OrgUnit.parent` of the root, a
  `revoked_by_name` with nobody behind it…), and a read-only choice field admits the `""` its row holds
  until set — Schemathesis's `response_schema_conformance` found both classes; `core/api/schema.py` and
  `core/api/fields.inline_choice` close them for every app. CI also runs `scripts/api-fuzz`.
"""

import pytest
from drf_spectacular.generators import SchemaGenerator
from rest_framework import serializers

from salesservice.core.api.schema import may_be_null
from salesservice.core.models import OrgUnit

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    with django_db_blocker.unblock():
        return SchemaGenerator().get_schema(request=None, public=True)


def _properties(schema):
    for name, component in schema["components"]["schemas"].items():
        for prop, node in (component.get("properties") or {}).items():
            yield name, prop, node


def test_choice_fields_are_enums_not_patterns(schema):
    patterned = [
        f"{name}.{prop}" for name, prop, node in _properties(schema) if "pattern" in node and "|" in node["pattern"]
    ]
    assert not patterned, patterned
    enums = [node for _name, _prop, node in _properties(schema) if "enum" in node]
    assert len(enums) > 50  # status, kind, channel… of every document


@pytest.mark.parametrize(
    ("component", "prop"),
    [
        ("OrgUnit", "parent"),
        ("Certification", "evidence_name"),
        ("Certification", "revoked_by_name"),
        ("ProductRestriction", "evidence_name"),
        ("ProductRestriction", "lifted_by_name"),
    ],
)
def test_read_only_fields_that_can_be_null_are_nullable(schema, component, prop):
    node = schema["components"]["schemas"][component]["properties"][prop]
    assert node.get("nullable") is True


def test_read_only_choice_admits_the_blank_it_holds(schema):
    node = schema["components"]["schemas"]["PropertyIncident"]["properties"]["informed_how"]
    assert "" in node["enum"]


def test_nullability_rule_reads_the_source_path():
    class Probe(serializers.ModelSerializer):
        parent_name = serializers.CharField(source="parent.name", read_only=True)
        name_copy = serializers.CharField(source="name", read_only=True)
        missing = serializers.CharField(read_only=True, default=None)
        writable = serializers.CharField(source="parent.name", required=False)

        class Meta:
            model = OrgUnit
            fields = ["parent_name", "name_copy", "missing", "writable"]

    fields = Probe().fields
    assert may_be_null(fields["parent_name"])  # a nullable hop
    assert not may_be_null(fields["name_copy"])  # name is never null
    assert may_be_null(fields["missing"])  # default None
    assert not may_be_null(fields["writable"])  # request side is the writer's business
