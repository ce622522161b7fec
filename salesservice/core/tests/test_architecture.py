"""Architecture rules that are tested, not just written down (issue 11; CONVENTIONS "Zulip: architecture that
is tested"): nothing but the kernel assigns a document's status, every declared action names an event type
that is registered and written by its service, every domain app registers itself, core names no app."""

import ast
import inspect
from importlib import import_module
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings

from salesservice.core.models.audit import EVENT_LABELS
from salesservice.core.registry import DomainAppConfig, domain_apps
from salesservice.core.workflow import REGISTRY

PACKAGE = Path(__file__).resolve().parents[2]  # salesservice/
KERNEL = PACKAGE / "core" / "workflow.py"


def _sources():
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = set(path.relative_to(PACKAGE).parts)
        if "tests" in parts or "migrations" in parts or path == KERNEL:
            continue
        yield path


def _status_fields() -> set[str]:
    return {workflow.field for workflow in REGISTRY.values()} | {"status"}


def _assignments(tree: ast.AST, fields: set[str]):
    """(line, what) for each place the code sets a status field: `x.status = …`, `x.status += …`,
    `setattr(x, "status", …)` and `.update(status=…)` on a queryset."""
    for node in ast.walk(tree):
        targets = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AugAssign | ast.AnnAssign):
            targets = [node.target]
        for target in targets:
            for element in target.elts if isinstance(target, ast.Tuple) else [target]:
                if isinstance(element, ast.Attribute) and element.attr in fields:
                    yield node.lineno, f"… .{element.attr} = …"
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name) and func.id == "setattr" and len(node.args) >= 2:
                name = node.args[1]
                if isinstance(name, ast.Constant) and name.value in fields:
                    yield node.lineno, f'setattr(…, "{name.value}", …)'
            if isinstance(func, ast.Attribute) and func.attr in ("update", "bulk_update"):
                for keyword in node.keywords:
                    if keyword.arg in fields:
                        yield node.lineno, f".{func.attr}({keyword.arg}=…)"


def test_no_status_is_assigned_outside_the_kernel():
    fields = _status_fields()
    found = []
    for path in _sources():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        found += [f"{path.relative_to(PACKAGE)}:{line}: {what}" for line, what in _assignments(tree, fields)]
    assert not found, "status assigned outside core/workflow.py:\n" + "\n".join(found)


def test_the_status_rule_would_catch_each_form_of_assignment():
    code = "r.status = 'x'\nsetattr(r, 'status', 'x')\nQ.objects.filter().update(status='x')\nr.title = 'ok'\n"
    assert [what for _line, what in _assignments(ast.parse(code), {"status"})] == [
        "… .status = …",
        'setattr(…, "status", …)',
        ".update(status=…)",
    ]


def test_every_document_with_a_status_field_declares_a_workflow():
    declared = set(REGISTRY)
    missing = []
    for config in domain_apps():
        if not config.name.startswith("salesservice."):
            continue
        for model in config.get_models():
            field = next((f for f in model._meta.concrete_fields if f.name == "status" and f.choices), None)
            if field is not None and model._meta.label not in declared:
                missing.append(model._meta.label)
    assert not missing, f"documents with a status but no workflow: {missing}"


@pytest.mark.parametrize("label", sorted(REGISTRY))
def test_workflow_states_are_the_status_choices_and_actions_are_complete(label):
    workflow = REGISTRY[label]
    choices = {value for value, _label in workflow.model._meta.get_field(workflow.field).choices}
    assert set(workflow.states) == choices, f"{label}: states {set(workflow.states) ^ choices} differ from choices"
    for action in workflow.actions.values():
        assert action.event_type, f"{label}.{action.name} names no event type"
        assert action.event_type in EVENT_LABELS, f"{label}.{action.name}: event {action.event_type} not registered"
        assert action.permission, f"{label}.{action.name} names no permission"
        app_label, codename = action.permission.split(".")
        assert apps.get_app_config(app_label), action.permission
        for part in ("form", "serializer", "after", "response_serializer"):
            if getattr(action, part):
                assert getattr(action, f"get_{part}" if part != "response_serializer" else "get_serializer")()


@pytest.mark.parametrize("label", sorted(REGISTRY))
def test_every_action_service_writes_its_event(label):
    """The module of each action's service writes the action's event type (by its enum member name)."""
    workflow = REGISTRY[label]
    for action in workflow.actions.values():
        if action.service is None:
            continue  # the kernel's own `perform` writes the event
        service = action.get_service()
        source = inspect.getsource(import_module(service.__module__))
        member = _member_name(action.event_type)
        assert member in source or f'"{action.event_type}"' in source, (
            f"{label}.{action.name}: {service.__module__} never writes {action.event_type}"
        )


def _member_name(event_type: str) -> str:
    for config in domain_apps():
        try:
            choices = import_module(f"{config.name}.choices").EventType
        except (ImportError, AttributeError):
            continue
        for member in choices:
            if member.value == event_type:
                return member.name
    return event_type


def test_every_domain_app_registers_itself():
    ours = [name for name in settings.INSTALLED_APPS if name.startswith("salesservice.")]
    for name in ours:
        config = next(c for c in apps.get_app_configs() if c.name == name)
        assert isinstance(config, DomainAppConfig), f"{name} does not use core.registry.DomainAppConfig"


def test_core_names_no_domain_app():
    """core iterates the registry; it does not list the apps (import-linter checks imports, this checks text)."""
    app_names = [c.label for c in domain_apps() if c.name.startswith("salesservice.") and c.label != "core"]
    offenders = []
    for path in (PACKAGE / "core").rglob("*.py"):
        parts = set(path.relative_to(PACKAGE).parts)
        if "tests" in parts or "migrations" in parts:
            continue
        text = path.read_text(encoding="utf-8")
        offenders += [f"{path.name}: {name}" for name in app_names if f'"salesservice.{name}.' in text]
    offenders += [f"salesservice/urls.py: {n}" for n in app_names if f"salesservice.{n}." in _text(PACKAGE / "urls.py")]
    offenders += [f"celery.py: {n}" for n in app_names if f'"{n}.' in _text(PACKAGE / "celery.py")]
    assert not offenders, offenders


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _host_clock_calls(tree: ast.AST):
    """(line, what) for each read of the host's wall-clock date: `date.today()`, `datetime.today()`,
    `datetime.now()` without a zone, `datetime.utcnow()` (any spelling: `dt.date`, `datetime.date` …)."""
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        owner, name = node.func.value, node.func.attr
        owner_name = owner.attr if isinstance(owner, ast.Attribute) else getattr(owner, "id", "")
        if owner_name == "date" and name == "today":
            yield node.lineno, "date.today()"
        elif owner_name == "datetime" and name in ("today", "utcnow"):
            yield node.lineno, f"datetime.{name}()"
        elif owner_name == "datetime" and name == "now" and not node.args and not node.keywords:
            yield node.lineno, "datetime.now()"


def test_days_are_the_companys_not_the_hosts():
    """A day is the company's (TIME_ZONE, Asia/Shanghai): `timezone.localdate()` / `timezone.now()`, never the host's
    clock, whose date differs from Shanghai's for 8 hours a day (a CI run at 16:00-24:00 UTC). Tests included."""
    found = []
    for root in (PACKAGE, PACKAGE.parent / "tests"):
        for path in sorted(root.rglob("*.py")):
            if "migrations" in path.parts:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            found += [f"{path.relative_to(root.parent)}:{line}: {what}" for line, what in _host_clock_calls(tree)]
    assert not found, "the host's clock read for a date (use django.utils.timezone):\n" + "\n".join(found)


def test_the_clock_rule_would_catch_each_form():
    code = (
        "dt.date.today()\ndatetime.date.today()\ndate.today()\ndt.datetime.now()\ndatetime.utcnow()\n"
        "dt.datetime.today()\ndt.datetime.now(tz=UTC)\ntimezone.now()\ntimezone.localdate()\n"
    )
    assert [what for _line, what in _host_clock_calls(ast.parse(code))] == [
        "date.today()",
        "date.today()",
        "date.today()",
        "datetime.now()",
        "datetime.utcnow()",
        "datetime.today()",
    ]
