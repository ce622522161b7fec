"""Error codes are listed, not typed (issue 11; CONVENTIONS "Saleor: a per-app error-code enum").

Each domain app below has `<app>/errors.py` with one `TextChoices` of every code it raises. These tests
read the apps' sources: an error code handed to a `DomainError` (or a subclass), a `Reason`, a `Guard`,
or a helper that passes its `code` parameter on to one of them, must be a member of the app's enum —
a raw string or an f-string fails, naming the member to use or the one to add. The workflows' guard
codes and documented `errors=` codes are checked the same way, and every enum is unique, labelled and
listed in the app's document.
"""

from __future__ import annotations

import ast
import enum
import functools
import inspect
import textwrap
from importlib import import_module
from pathlib import Path

import pytest

from salesservice.appraisals.errors import AppraisalsErrorCode
from salesservice.catalog.choices import DerivedReason, RestrictionReason
from salesservice.catalog.errors import CatalogErrorCode
from salesservice.complaints.errors import ComplaintsErrorCode
from salesservice.core.exceptions import DomainError
from salesservice.core.guards import checked_moment
from salesservice.core.reasons import Reason
from salesservice.core.workflow import REGISTRY, Action, Guard
from salesservice.dashboards.errors import DashboardsErrorCode
from salesservice.delivery.errors import DeliveryErrorCode
from salesservice.documents.errors import DocumentsErrorCode
from salesservice.inspection.errors import InspectionErrorCode
from salesservice.inventory.errors import InventoryErrorCode
from salesservice.network.errors import NetworkErrorCode
from salesservice.people.errors import PeopleErrorCode
from salesservice.purchasing.errors import PurchasingErrorCode
from salesservice.reports.errors import ReportsErrorCode
from salesservice.returns.errors import ReturnsErrorCode
from salesservice.sales.errors import SalesErrorCode
from salesservice.sales.presales_errors import PresalesErrorCode
from salesservice.service.errors import ServiceErrorCode
from salesservice.supervision.errors import SupervisionErrorCode
from salesservice.suppliers.errors import SuppliersErrorCode
from salesservice.trace.errors import TraceErrorCode

PACKAGE = Path(__file__).resolve().parents[2]  # salesservice/
ROOT = PACKAGE.parent
DOCS = ROOT / "docs"

ENUMS = {
    "service": ServiceErrorCode,
    "complaints": ComplaintsErrorCode,
    "returns": ReturnsErrorCode,
    "inspection": InspectionErrorCode,
    "catalog": CatalogErrorCode,
    "suppliers": SuppliersErrorCode,
    "inventory": InventoryErrorCode,
    "purchasing": PurchasingErrorCode,
    "sales": SalesErrorCode,
    "delivery": DeliveryErrorCode,
    "trace": TraceErrorCode,
    "supervision": SupervisionErrorCode,
    "people": PeopleErrorCode,
    "dashboards": DashboardsErrorCode,
    "appraisals": AppraisalsErrorCode,
    "network": NetworkErrorCode,
    "documents": DocumentsErrorCode,
    "reports": ReportsErrorCode,
}
# Codes of an app that have an enum of their own: the sellability reasons are the catalog's
# `DerivedReason` / `RestrictionReason` (the latter is also the stored `ProductRestriction.reason_code`).
# The sales app's pre-sales documents (inquiries, claims, tenders, rep letters, plans) list theirs apart.
EXTRA_ENUMS = {"catalog": (DerivedReason, RestrictionReason), "sales": (PresalesErrorCode,)}
# Extra enums whose codes are documented too, and where.
EXTRA_DOCUMENTED = {"sales": ((PresalesErrorCode, "sales-presales.md"),)}
DOC_OF = {
    "service": "service-desk.md",
    "complaints": "customer-loop.md",
    "returns": "customer-loop.md",
    "inspection": "customer-loop.md",
    "catalog": "products-and-customers.md",
    "suppliers": "suppliers.md",
    "inventory": "inventory.md",
    "purchasing": "purchasing.md",
    "sales": "sales.md",
    "delivery": "delivery.md",
    "trace": "trace.md",
    "supervision": "supervision.md",
    "people": "people.md",
    "dashboards": "compliance.md",
    "appraisals": "appraisals.md",
    "network": "network.md",
    "documents": "documents.md",
    "reports": "reports.md",
}
# Views, filter sets and the API views are being rewritten elsewhere; until they switch to the enums
# their code literals must still be members (no new, unlisted code), but may be written as strings.
LITERALS_TOLERATED: set[str] = set()  # every raising module uses its app's enum

# What `core.guards.checked_moment(prefix=…)` raises for an app.
MOMENT_SUFFIXES = ("naive_datetime", "future_time", "time_before_receipt")


def _sources(app: str):
    for path in sorted((PACKAGE / app).rglob("*.py")):
        parts = set(path.relative_to(PACKAGE).parts)
        if "tests" in parts or "migrations" in parts or path.name == "errors.py":
            continue
        yield path


def _module_name(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts)


def _local_imports(tree: ast.AST, package: str) -> dict[str, tuple[str, str]]:
    """Names bound by `from … import …` anywhere in `tree` (function-level imports too): name → (module, attr)."""
    names = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{parent}.{base}" if base else parent
            for alias in node.names:
                names[alias.asname or alias.name] = (base, alias.name)
    return names


class _Resolver:
    """Turns a callee or an argument expression into the object it names, from the module's globals and
    the imports in its source; None when it cannot be known without running the code."""

    def __init__(self, namespace: dict, imports: dict[str, tuple[str, str]]):
        self.namespace = namespace
        self.imports = imports

    def name(self, name: str):
        if name in self.namespace:
            return self.namespace[name]
        if name in self.imports:
            module, attr = self.imports[name]
            try:
                return getattr(import_module(module), attr)
            except (ImportError, AttributeError):
                try:
                    return import_module(f"{module}.{attr}")
                except ImportError:
                    return None
        return None

    def expr(self, node: ast.expr):
        if isinstance(node, ast.Name):
            return self.name(node.id)
        if isinstance(node, ast.Attribute):
            base = self.expr(node.value)
            if base is None or not (inspect.ismodule(base) or isinstance(base, type)):
                return None
            return getattr(base, node.attr, _MISSING)
        return None


_MISSING = object()


def _is_error_type(obj) -> bool:
    return isinstance(obj, type) and (issubclass(obj, DomainError) or obj in (Reason, Guard))


KEYWORD_ONLY = -1


@functools.cache
def _code_position(obj) -> int | None:
    """Where `obj` takes an error code: its positional index, `KEYWORD_ONLY`, or None if it takes none.

    The exception types, `Reason` and `Guard` take one; so does a function of ours that passes its `code`
    parameter on as the code of one of those (helpers like `_full_clean(obj, code)`) — not one whose
    `code` is something else (`product_create(code=…)`, a product's code).
    """
    takes_code = _is_error_type(obj) or (
        inspect.isfunction(obj) and obj.__module__.startswith("salesservice.") and _forwards_code(obj)
    )
    if not takes_code:
        return None
    for index, parameter in enumerate(inspect.signature(obj).parameters.values()):
        if parameter.name == "code":
            positional = parameter.kind in (parameter.POSITIONAL_ONLY, parameter.POSITIONAL_OR_KEYWORD)
            return index if positional else KEYWORD_ONLY
    return None


def _forwards_code(function) -> bool:
    function = inspect.unwrap(function)
    if "code" not in inspect.signature(function).parameters:
        return False
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
    except (OSError, TypeError, SyntaxError):
        return False
    resolver = _Resolver(function.__globals__, _local_imports(tree, function.__module__.rpartition(".")[0]))
    return any(
        isinstance(argument, ast.Name) and argument.id == "code"
        for _call, _callee, argument in _code_arguments(tree, resolver, skip=function)
    )


def _code_arguments(tree: ast.AST, resolver: _Resolver, skip=None):
    """(call, callee, the expression given as its error code) for every call in `tree` that takes one."""
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        callee = resolver.expr(node.func)
        if callee is None or callee is _MISSING or callee is skip:
            continue
        try:
            index = _code_position(callee)
        except (TypeError, ValueError):  # unhashable or without a signature: not a code-taking callable
            continue
        if index is None:
            continue
        if index != KEYWORD_ONLY and len(node.args) > index and not isinstance(node.args[index], ast.Starred):
            yield node, callee, node.args[index]
        for keyword in node.keywords:
            if keyword.arg == "code":
                yield node, callee, keyword.value


def _dict_keys(node: ast.expr, tree: ast.Module):
    """The key expressions of a dict literal, following `{**NAME}` and a NAME bound at module level."""
    if isinstance(node, ast.Name):
        for statement in tree.body:
            if isinstance(statement, ast.Assign) and any(
                isinstance(target, ast.Name) and target.id == node.id for target in statement.targets
            ):
                yield from _dict_keys(statement.value, tree)
        return
    if isinstance(node, ast.Dict):
        for key, value in zip(node.keys, node.values, strict=True):
            if key is None:
                yield from _dict_keys(value, tree)
            else:
                yield key


def _members(app: str) -> dict[str, enum.Enum]:
    members = {}
    for enum_class in (ENUMS[app], *EXTRA_ENUMS.get(app, ())):
        members.update({member.value: member for member in enum_class})
    return members


def _problem(app: str, expression: ast.expr, resolver: _Resolver, *, tolerate_literals: bool) -> str | None:
    """Why `expression` is not an acceptable error code of `app` (None: it is, or it is computed at run time)."""
    enum_class = ENUMS[app]
    members = _members(app)
    if isinstance(expression, ast.JoinedStr):
        return "an f-string: list every code it can build in the enum and pick the member"
    if isinstance(expression, ast.Constant) and isinstance(expression.value, str):
        member = members.get(expression.value)
        if member is None:
            return f'"{expression.value}" is not in {enum_class.__name__}: add it there and use the member'
        if tolerate_literals:
            return None
        return f'the raw string "{expression.value}": use {type(member).__name__}.{member.name}'
    if isinstance(expression, ast.Attribute):
        value = resolver.expr(expression)
        if value is _MISSING:
            return f"{ast.unparse(expression)} does not exist"
        if isinstance(value, enum.Enum) and value.value not in members:
            return f"{ast.unparse(expression)} is not a member of {enum_class.__name__}"
    return None


def _violations(app: str) -> list[str]:
    found = []
    members = _members(app)
    for path in _sources(app):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        module = import_module(_module_name(path))
        package = module.__name__ if path.name == "__init__.py" else module.__name__.rpartition(".")[0]
        resolver = _Resolver(vars(module), _local_imports(tree, package))
        tolerate = path.name in LITERALS_TOLERATED
        where = path.relative_to(ROOT)
        for call, callee, argument in _code_arguments(tree, resolver):
            problem = _problem(app, argument, resolver, tolerate_literals=tolerate)
            if problem:
                found.append(f"{where}:{call.lineno} {getattr(callee, '__name__', callee)}(…): {problem}")
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            callee = resolver.expr(node.func)
            for keyword in node.keywords:
                if callee is Action and keyword.arg == "errors":
                    for key in _dict_keys(keyword.value, tree):
                        problem = _problem(app, key, resolver, tolerate_literals=tolerate)
                        if problem:
                            found.append(f"{where}:{key.lineno} Action(errors=…): {problem}")
                if callee is checked_moment and keyword.arg == "prefix" and isinstance(keyword.value, ast.Constant):
                    for suffix in MOMENT_SUFFIXES:
                        if f"{keyword.value.value}.{suffix}" not in members:
                            found.append(
                                f"{where}:{node.lineno} checked_moment(prefix=…) raises "
                                f'"{keyword.value.value}.{suffix}", which {ENUMS[app].__name__} does not list'
                            )
    return found


@pytest.mark.parametrize("app", sorted(ENUMS))
def test_error_codes_are_members_of_the_apps_enum(app):
    assert _violations(app) == []


@pytest.mark.parametrize("app", sorted(ENUMS))
def test_workflow_guard_and_documented_codes_are_listed(app):
    members = _members(app)
    workflows = [workflow for label, workflow in REGISTRY.items() if label.split(".")[0] == app]
    unlisted = [
        f"{workflow.model_label}.{action.name}: {code}"
        for workflow in workflows
        for action in workflow.actions.values()
        for code in [*(guard.code for guard in action.guards), *action.errors]
        if code not in members
    ]
    assert unlisted == []


@pytest.mark.parametrize("app", sorted(ENUMS))
def test_error_code_enum_is_unique_and_labelled(app):
    enum_class = ENUMS[app]
    values = [member.value for member in enum_class.__members__.values()]  # with aliases: a repeated value
    assert len(values) == len(set(values))
    assert all(value and value == value.strip() and " " not in value for value in values)
    assert all(str(member.label).strip() and str(member.label) != member.name.replace("_", " ").title()
               for member in enum_class)  # fmt: skip


def test_error_codes_of_different_apps_do_not_clash():
    """An API client reads a code without knowing the app; one code means one thing."""
    seen: dict[str, str] = {}
    clashes = []
    for app, enum_class in ENUMS.items():
        for member in enum_class:
            other = seen.setdefault(member.value, app)
            if other != app and str(ENUMS[other](member.value).label) != str(member.label):
                clashes.append(f"{member.value}: {other} / {app}")
    assert clashes == []


@pytest.mark.parametrize("app", sorted(ENUMS))
def test_error_codes_are_documented(app):
    text = (DOCS / DOC_OF[app]).read_text(encoding="utf-8")
    assert [member.value for member in ENUMS[app] if f"`{member.value}`" not in text] == []
    for enum_class, doc in EXTRA_DOCUMENTED.get(app, ()):
        extra = (DOCS / doc).read_text(encoding="utf-8")
        assert [member.value for member in enum_class if f"`{member.value}`" not in extra] == []


def test_a_raw_code_is_found():
    """The scan itself: a raw string, an f-string and a misspelt member are reported; a member is not."""
    source = textwrap.dedent(
        """
        from salesservice.core.exceptions import ConflictError, DomainError
        from salesservice.core.reasons import Reason
        from salesservice.service.errors import ServiceErrorCode

        def check(field):
            DomainError("dispatch.invalid_mode")
            Reason(f"dispatch.{field}", "…")
            ConflictError(ServiceErrorCode.NO_SUCH_CODE)
            ConflictError(code="not.listed")
            DomainError(ServiceErrorCode.DISPATCH_INVALID_MODE)
        """
    )
    tree = ast.parse(source)
    namespace: dict = {}
    exec(compile(tree, "<scan>", "exec"), namespace)  # a fixed snippet, to resolve its names
    resolver = _Resolver(namespace, {})
    problems = [
        _problem("service", arg, resolver, tolerate_literals=False) for _c, _f, arg in _code_arguments(tree, resolver)
    ]
    assert problems == [
        'the raw string "dispatch.invalid_mode": use ServiceErrorCode.DISPATCH_INVALID_MODE',
        "an f-string: list every code it can build in the enum and pick the member",
        "ServiceErrorCode.NO_SUCH_CODE does not exist",
        '"not.listed" is not in ServiceErrorCode: add it there and use the member',
        None,
    ]


def test_helpers_that_pass_a_code_on_are_scanned():
    """`_full_clean(obj, code)` and `scoped_get(…, code=…)` take an error code; a service's `code` argument
    that is a product's or a category's code does not."""
    from salesservice.catalog import services as catalog_services
    from salesservice.complaints import services as complaint_services
    from salesservice.core.guards import scoped_get

    assert _code_position(catalog_services._full_clean) == 1
    assert _code_position(complaint_services._text) == 2
    assert _code_position(scoped_get) == KEYWORD_ONLY
    assert _code_position(catalog_services.product_create) is None
    assert _code_position(catalog_services.category_create) is None
