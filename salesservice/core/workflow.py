"""The document kernel: one `Workflow` declaration per document, and everything derived from it.

A document (service request, complaint, return …) declares its states and named actions once, in its
app's `workflows.py`:

    ORDER_WORKFLOW = Workflow(
        "repairs.RepairOrder",
        id_kwarg="order_id",
        states=[State(S.RECEIVED, "bg-blue-lt"), …, State(S.CLOSED, "bg-green-lt", terminal=True)],
        actions=[
            Action("start", _("开始维修"), sources=[S.RECEIVED], target=S.IN_PROGRESS,
                   permission="repairs.change_repairorder", service="salesservice.repairs.services.order_start",
                   form=NoteForm, serializer="salesservice.repairs.api.serializers.NoteSerializer",
                   event_type="repairs.order_started"),
            …
        ],
    )

From it the kernel derives:
- the transition table (`workflow.transitions`) and its check (`workflow.check(obj, "start")` → 409
  `status.invalid_transition`, or the failing guard's code), and the one door that assigns the status
  (`workflow.move(obj, S.IN_PROGRESS, actor=…)`: bumps `version`, saves, writes `core.status_changed`);
- the actions a user may take on a record now (`workflow.available(obj, user)`) — pages render these as
  buttons (`{% workflow_actions obj %}`), so templates never test status values;
- the status badge (`workflow.badge(value)`, `{% status_badge obj %}`) from the state's colour;
- the page action handler (`workflow.page_view()`), and the API action endpoints with their OpenAPI
  schema (`WorkflowActionsMixin` on a viewset), both of which parse the action's input and call its service
  with the version the caller saw (body `version` or `If-Match`).

Each action's service runs in one transaction (`@service`) with its timeline event and audit entry; it
locks the record, calls `workflow.check` and `workflow.move`. Nothing else assigns a status field: the
architecture test (`core/tests/test_architecture.py`) greps for it.

Query caps (issue 17): every action has a cap on the SQL one call of it may run — its `max_queries`, else
`DEFAULT_MAX_QUERIES` — and so has a document's create (`Workflow(create_max_queries=…)`, a viewset's
`create_max_queries`, else `DEFAULT_CREATE_MAX_QUERIES`). With the setting `QUERY_BUDGETS` on (the test
settings), the page action handler and the API endpoints count the statements of each call
(`query_budget`) and a call over its cap fails with an AssertionError naming the workflow, the action, the
count, the cap and the statements — so every test that drives an action proves its cap. Statements run to
fill the process's configuration cache (`config_cache.cached`'s `load()`) do not count: the first request of
a test is cold, later ones are not, and the cap is for the action's own work.
"""

from __future__ import annotations

import dataclasses
import functools
import os
import threading
from collections.abc import Callable, Iterable, Mapping
from contextlib import contextmanager, nullcontext

from django.apps import apps
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from .choices import EventType
from .events import record_event
from .exceptions import InvalidTransition, PermissionDeniedError

# Every declared workflow, by model label ("repairs.RepairOrder") — the architecture tests iterate it.
REGISTRY: dict[str, Workflow] = {}

# Issue 17: the SQL one call of an action (page post or API request, whole request counted, configuration-cache
# fills excepted) may run unless the action declares its own `max_queries`, and the same for a document's create.
# Chosen from the measured table in docs/performance.md ("Query caps for every document").
DEFAULT_MAX_QUERIES = 40
DEFAULT_CREATE_MAX_QUERIES = 40


@dataclasses.dataclass(frozen=True)
class State:
    """One status of a document: its value (the field's choice), badge colour and whether it is final."""

    value: str
    color: str = "bg-secondary-lt"
    terminal: bool = False


@dataclasses.dataclass(frozen=True)
class Guard:
    """A named business predicate an action needs (beyond the from-state): `test(obj) -> bool`.

    Refuses with `code` and its Chinese `message`; `status` is the HTTP status of the refusal.
    """

    code: str
    message: str
    test: Callable
    status: int = 409

    def refusal(self, obj):
        error = InvalidTransition(self.code, str(self.message), fields={"current": getattr(obj, "status", None)})
        error.status_code = self.status
        return error


def _resolve(ref):
    return import_string(ref) if isinstance(ref, str) else ref


@dataclasses.dataclass(frozen=True)
class Action:
    """A named step of a document's lifecycle.

    `sources`: the states it may start from; `target`: the state it leads to (None: the status stays —
    a record is added, a link made); `targets`: further states it may lead to when the service picks one
    (resuming returns to the state paused from). `service`: the function (or its dotted path) doing the
    work, called with `actor`, the workflow's `id_kwarg`, `expected_version` (unless `versioned=False`) and
    the parsed input. `form` / `serializer`: the page and API input (None: no body). `guards`: predicates
    checked on the locked record. `event_type`: the typed timeline event the service writes.
    """

    name: str
    label: str
    sources: Iterable[str]
    target: str | None = None
    permission: str | None = None
    service: Callable | str | None = None
    form: type | str | None = None
    serializer: type | str | None = None
    guards: tuple[Guard, ...] = ()
    event_type: str | None = None
    targets: tuple[str, ...] = ()
    stays: tuple[str, ...] = ()  # sources from which the action runs without moving (adds nothing to the table)
    success: str | Callable = ""  # the page's message; a callable gets the service's result
    confirm: str = ""
    style: str = "primary"
    template: str = ""  # a custom partial for the page form; default `core/_action_form.html`
    summary: str = ""  # the API operation's summary (default: the label)
    errors: Mapping[str, str] = dataclasses.field(default_factory=dict)  # extra error codes → description
    versioned: bool = True
    api: bool = True
    page: bool = True
    response_serializer: type | str | None = None  # API response of this action (default: the viewset's)
    response_status: int = 200
    after: Callable | str | None = None  # page: after(request, obj, result) → a response (redirect) or None
    max_queries: int | None = None  # issue 17: the SQL cap of one call (None: DEFAULT_MAX_QUERIES)

    def __post_init__(self):
        object.__setattr__(self, "sources", tuple(self.sources))
        object.__setattr__(self, "guards", tuple(self.guards))
        object.__setattr__(self, "stays", tuple(self.stays))

    @property
    def method_name(self) -> str:
        return "act_" + self.name.replace("-", "_")

    def get_service(self):
        return _resolve(self.service)

    def get_form(self):
        return _resolve(self.form)

    def get_serializer(self):
        return _resolve(self.serializer)

    def get_after(self):
        return _resolve(self.after)

    def allowed_for(self, user) -> bool:
        return self.permission is None or (user is not None and user.has_perm(self.permission))

    @property
    def query_cap(self) -> int:
        """The most SQL statements one call of this action may run (issue 17)."""
        return self.max_queries or DEFAULT_MAX_QUERIES


class Workflow:
    """The declared lifecycle of one document model (see the module docstring)."""

    def __init__(
        self,
        model: str,
        *,
        states: Iterable[State],
        actions: Iterable[Action],
        id_kwarg: str,
        field: str = "status",
        detail_url: str = "",
        action_url: str = "",
        related: Iterable[str] = (),
        view_permission: str = "",
        create_max_queries: int | None = None,
    ):
        self.model_label = model
        self.create_max_queries = create_max_queries  # issue 17: the SQL cap of the document's create
        self.field = field
        self.id_kwarg = id_kwarg
        app_label, model_name = model.split(".")
        # URL names of the record's page (given the pk) and of the page action handler (given pk, action).
        self.detail_url = detail_url or f"{app_label}:{model_name.lower()}-detail"
        self.action_url = action_url or f"{app_label}:{model_name.lower()}-action"
        self.related = tuple(related)  # select_related when a page fetches the record for an action
        # Who may reach the record's pages and actions at all (default `<app>.view_<model>`).
        self.view_permission = view_permission or f"{app_label}.view_{model_name.lower()}"
        self.states = {state.value: state for state in states}
        self.actions = {action.name: action for action in actions}
        for action in self.actions.values():
            unknown = {*action.sources, *filter(None, [action.target, *action.targets])} - set(self.states)
            if unknown:
                raise ValueError(f"{model}.{action.name}: unknown states {sorted(unknown)}")
        REGISTRY[model] = self

    def __repr__(self):
        return f"<Workflow {self.model_label}>"

    @cached_property
    def model(self):
        return apps.get_model(self.model_label)

    @cached_property
    def transitions(self) -> dict[str, set[str]]:
        """The transition table, derived from the actions: state → the states it may move to."""
        table: dict[str, set[str]] = {value: set() for value in self.states}
        for action in self.actions.values():
            for source in action.sources:
                if source not in action.stays:
                    table[source].update(filter(None, [action.target, *action.targets]))
        return table

    @property
    def terminal_states(self) -> tuple[str, ...]:
        return tuple(value for value, state in self.states.items() if state.terminal)

    @property
    def open_states(self) -> tuple[str, ...]:
        return tuple(value for value, state in self.states.items() if not state.terminal)

    def label(self, value: str) -> str:
        choices = dict(self.model._meta.get_field(self.field).choices or [])
        return str(choices.get(value, value))

    # --- checks and the one door ---------------------------------------------------------------

    def refusal(self, obj, target: str) -> InvalidTransition:
        current = getattr(obj, self.field)
        return InvalidTransition(
            "status.invalid_transition",
            _("不能从“%(old)s”变为“%(new)s”") % {"old": self.label(current), "new": self.label(target)},
            fields={"current": current, "target": target},
        )

    def allows(self, obj, name: str) -> bool:
        """Whether action `name` may start from `obj`'s current state (guards aside) — for services that
        refuse with an error of their own."""
        return getattr(obj, self.field) in self.actions[name].sources

    def check(self, obj, name: str, *, target: str | None = None) -> Action:
        """Raise unless action `name` may run on `obj` now: its from-state, then its guards.

        `target`: for actions that may lead to several states, the one this run leads to.
        """
        action = self.actions[name]
        current = getattr(obj, self.field)
        to = target or action.target
        if current in action.stays:
            to = None  # runs here without a move: only the guards
        if current not in action.sources or (to is not None and to not in self.transitions[current]):
            raise self.refusal(obj, to or current)
        for guard in action.guards:
            if not guard.test(obj):
                raise guard.refusal(obj)
        return action

    def move(
        self,
        obj,
        to_status: str,
        *,
        actor=None,
        reason: str = "",
        fields: Iterable[str] = (),
        at=None,
        save: bool = True,
    ):
        """Assign the status (the only place that does), bump `version`, save, record `core.status_changed`.

        The caller holds the row lock and the transaction. `fields`: other fields changed with it.
        """
        current = getattr(obj, self.field)
        if to_status not in self.transitions.get(current, ()):
            raise self.refusal(obj, to_status)
        setattr(obj, self.field, to_status)
        if save:
            update_fields = [self.field, *fields]
            if hasattr(obj, "version"):
                obj.version += 1
                update_fields.append("version")
            if hasattr(obj, "updated_at"):
                update_fields.append("updated_at")
            obj.save(update_fields=update_fields)
        record_event(
            event_type=EventType.STATUS_CHANGED,
            target=obj,
            actor=actor,
            old={self.field: current},
            new={self.field: to_status},
            message=str(reason)[:300],
            at=at,
        )
        return obj

    def initial(self, obj, status: str) -> None:
        """Set the status of a document being created (before its first save)."""
        if status not in self.states:
            raise ValueError(f"{self.model_label}: unknown state {status!r}")
        setattr(obj, self.field, status)

    # --- what a user may do now ----------------------------------------------------------------

    def available(self, obj, user, *, page: bool = True) -> list[Action]:
        """The actions `user` may start on `obj` in its current state, guards passing (for buttons)."""
        current = getattr(obj, self.field)
        result = []
        for action in self.actions.values():
            if (page and not action.page) or current not in action.sources or not action.allowed_for(user):
                continue
            if all(guard.test(obj) for guard in action.guards):
                result.append(action)
        return result

    def badge(self, value: str, *, extra_class: str = "", element_id: str = ""):
        """The state's badge: `<span class="badge <colour>" [id=…] data-status="<value>">label</span>`."""
        state = self.states.get(value)
        color = state.color if state else "bg-secondary-lt"
        return format_html(
            '<span class="badge {}{}"{} data-status="{}">{}</span>',
            color,
            f" {extra_class}" if extra_class else "",
            format_html(' id="{}"', element_id) if element_id else "",
            value,
            self.label(value),
        )

    def color(self, value: str) -> str:
        state = self.states.get(value)
        return state.color if state else ""

    # --- running an action (page and API) --------------------------------------------------------

    def run(self, name: str, *, actor, obj, values: Mapping | None = None, expected_version: int | None = None):
        """Call action `name`'s service on `obj` for `actor` with the parsed input. The service holds the
        transaction, the lock, the check and the event; this refuses early what the actor may not do."""
        action = self.actions[name]
        if not action.allowed_for(actor):
            raise PermissionDeniedError("permission_denied", _("没有权限执行此操作"))
        if action.service is None:
            return self.perform(action, actor=actor, pk=obj.pk, values=values or {}, expected_version=expected_version)
        kwargs = {"actor": actor, self.id_kwarg: obj.pk, **(values or {})}
        if action.versioned:
            kwargs["expected_version"] = expected_version
        return action.get_service()(**kwargs)

    def perform(self, action: Action, *, actor, pk, values: Mapping, expected_version: int | None = None):
        """The service of an action that declares none: in one transaction, lock the record in the actor's
        scope, check the version, the from-state and the guards, copy the input onto the record's fields of
        the same name, move to the target and write the action's event (with the input as its `new`)."""
        from django.db import transaction

        from . import context
        from .guards import check_version, scoped_get

        with context.acting(actor), transaction.atomic():
            obj = scoped_get(
                self.model,
                actor,
                pk,
                code=f"{self.model._meta.model_name}.not_found",
                message=_("记录不存在或不在您的范围内"),
            )
            check_version(obj, expected_version)
            self.check(obj, action.name)
            names = {field.name for field in self.model._meta.concrete_fields}
            changed = [name for name in values if name in names and name not in (self.field, "id", "version")]
            for name in changed:
                setattr(obj, name, values[name])
            reason = values.get("reason") or values.get("note") or ""
            if action.target is not None:
                self.move(obj, action.target, actor=actor, reason=reason, fields=changed)
            elif changed:
                obj.version += 1
                obj.save(update_fields=[*changed, "version"])
            if action.event_type:
                record_event(
                    event_type=action.event_type,
                    target=obj,
                    actor=actor,
                    new={name: str(values[name]) for name in changed} or None,
                    message=reason,
                )
            return obj

    def page_view(self):
        """The page action handler; under `QUERY_BUDGETS` each post is held to its action's cap (issue 17)."""
        from .views.workflow import workflow_action_view

        view = workflow_action_view(self)

        @functools.wraps(view)
        def budgeted(request, *args, **kwargs):
            declared = self.actions.get(kwargs.get("action", ""))
            if declared is None or not budgets_on():
                return view(request, *args, **kwargs)
            with query_budget(self.model_label, declared.name, declared.query_cap):
                return view(request, *args, **kwargs)

        return budgeted

    def page_urls(self, *, detail: bool = True) -> list:
        """URL patterns for an app's `urls.py`: the action handler (`<model>-action`) and, unless the app
        has its own page, a generic record page (`<model>-detail`) with badge, buttons and history."""
        from django.urls import path

        from .views.workflow import DocumentDetailView

        name = self.model_label.split(".")[1].lower()
        patterns = [path("<int:pk>/<slug:action>/", self.page_view(), name=f"{name}-action")]
        if detail:
            patterns.insert(0, path("<int:pk>/", DocumentDetailView.as_view(workflow=self), name=f"{name}-detail"))
        return patterns


# --- query caps (issue 17) ---------------------------------------------------------------------------------

_budget = threading.local()  # .active: a budgeted call is running on this thread (an inner one adds nothing)


def budgets_on() -> bool:
    """Whether calls are held to their query caps (the setting `QUERY_BUDGETS`: on in the test settings)."""
    from django.conf import settings

    return bool(getattr(settings, "QUERY_BUDGETS", False))


def create_cap(workflow: Workflow | None, view=None) -> int:
    """The SQL cap of a document's create: the viewset's `create_max_queries`, the workflow's, or the default."""
    return (
        getattr(view, "create_max_queries", None)
        or getattr(workflow, "create_max_queries", None)
        or DEFAULT_CREATE_MAX_QUERIES
    )


def budget(label: str, name: str, cap: int):
    """`query_budget(label, name, cap)` when budgets are on, else nothing to do."""
    return query_budget(label, name, cap) if budgets_on() else nullcontext()


@contextmanager
def query_budget(label: str, name: str, cap: int):
    """Count the SQL the block runs on the default connection and fail (AssertionError) when it is over `cap`
    (issue 17). Statements run inside a configuration-cache `load()` do not count; a budget opened inside
    another adds nothing (the outer one counts all). With `QUERY_BUDGET_REPORT=<file>` in the environment it
    fails nothing and appends `vendor, label, name, count, cap, test` per call to the file (the measurements)."""
    from django.db import connection

    from . import config_cache

    if getattr(_budget, "active", False):
        yield
        return
    statements: list[str] = []

    def count(execute, sql, params, many, context):
        if not config_cache.filling():
            statements.append(sql)
        return execute(sql, params, many, context)

    _budget.active = True
    try:
        with connection.execute_wrapper(count):
            yield
    finally:
        _budget.active = False
    report = os.environ.get("QUERY_BUDGET_REPORT")
    if report:
        with open(report, "a", encoding="utf-8") as out:
            test = os.environ.get("PYTEST_CURRENT_TEST", "").split(" ")[0]
            out.write(f"{connection.vendor}\t{label}\t{name}\t{len(statements)}\t{cap}\t{test}\n")
        return
    if len(statements) > cap:
        listing = "\n".join(f"  {number}. {sql}" for number, sql in enumerate(statements, 1))
        raise AssertionError(
            f"query budget (issue 17): {label} {name!r} ran {len(statements)} SQL statements, over its cap of "
            f"{cap}:\n{listing}"
        )


def workflow_for(obj_or_model) -> Workflow | None:
    """The workflow declared for a record or model, if any."""
    meta = obj_or_model._meta
    return REGISTRY.get(meta.label) or REGISTRY.get(getattr(meta.concrete_model._meta, "label", ""))


def transition(
    obj,
    to_status: str,
    *,
    transitions: Mapping[str, set[str]] | None = None,
    actor=None,
    field: str = "status",
    reason: str = "",
    save: bool = True,
    extra_update_fields: tuple[str, ...] = (),
    at=None,
):
    """Move `obj` to `to_status` through its declared workflow (the one door).

    Kept for callers that name the target rather than the action. `transitions` is ignored when the
    model declares a workflow; documents without one (tests) may still pass a table.
    """
    workflow = workflow_for(obj)
    if workflow is None:
        workflow = _AdHoc(obj, transitions or {}, field)
    return workflow.move(obj, to_status, actor=actor, reason=reason, fields=extra_update_fields, at=at, save=save)


def can_transition(transitions: Mapping[str, set[str]], current: str, target: str) -> bool:
    return target in transitions.get(current, set())


class _AdHoc(Workflow):
    """A table-only workflow for a model that declares none (not registered)."""

    def __init__(self, obj, transitions, field):
        self.model_label = obj._meta.label
        self.field = field
        self.states = {value: State(value) for value in transitions}
        self.actions = {}
        self.related = ()
        self.view_permission = ""
        self.__dict__["transitions"] = {key: set(value) for key, value in transitions.items()}
        self.__dict__["model"] = type(obj)
