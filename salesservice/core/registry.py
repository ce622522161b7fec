"""The app registry: each domain app declares what it contributes on its `AppConfig`; `core` iterates.

An app's `apps.py`:

    class RepairsConfig(DomainAppConfig):
        name = "salesservice.repairs"
        label = "repairs"
        verbose_name = _("维修")
        url_prefix = "repairs/"                       # pages: salesservice/repairs/urls.py at /repairs/
        api_urls = "salesservice.repairs.api.urls"    # routes under /api/v1/
        navigation = [Nav(_("维修单"), "repairs:orders", "repairs.view_repairorder", NAV_SERVICE, order=50)]
        role_grants = ROLE_GRANTS                     # {"engineer": ["repairs.view_repairorder", …], …}
        policy_defaults = "salesservice.repairs.policy_defaults.DEFAULTS"
        demo_loader = "salesservice.repairs.demo.load_demo"
        periodic_tasks = [Periodic(60.0, "repairs.sweep", "repair deadlines")]
        personal_data = "salesservice.repairs.personal_data.HANDLERS"
        record_panels = {"service.ServiceRequest": "salesservice.repairs.panels.for_service_request"}

and in its `ready()` whatever else is its own. On `ready()` the base class also registers the app's
event types (`choices.EventType`), imports its `workflows` (document kernel declarations),
`workbench` (panels) and `evidence` (compliance-report evidence, `core.evidence`) modules if present. Adding an app touches its own folder and `INSTALLED_APPS` only.
"""

from __future__ import annotations

import dataclasses
from importlib import import_module
from importlib.util import find_spec

from django.apps import AppConfig, apps
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _


@dataclasses.dataclass(frozen=True)
class Nav:
    """A navigation entry: label, URL name, the permission it needs (None: everyone), its menu group
    (None: top level) and its place (`order`; groups are placed by their first entry)."""

    label: str
    url_name: str
    perm: str | None = None
    group: str | None = None
    order: int = 500


@dataclasses.dataclass(frozen=True)
class Periodic:
    """A periodic task: `schedule` is seconds or a celery `crontab`."""

    schedule: object
    task: str
    name: str


class DomainAppConfig(AppConfig):
    """Base of every domain app's config (see the module docstring)."""

    # Django picks the one AppConfig subclass of an apps.py marked default; this base, imported there, is not.
    default = False

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.default = True

    url_prefix: str | None = None
    api_urls: str | None = None
    navigation: list[Nav] = []
    role_grants: dict[str, list[str]] = {}
    policy_defaults: str | None = None
    demo_loader: str | None = None
    periodic_tasks: list[Periodic] = []
    personal_data: str | None = None
    # Panels this app adds to other apps' record pages: {"repairs.RepairOrder": "<dotted path>"}; the
    # function takes (request, obj) and returns HTML (or "" to show nothing) — so a page shows related records
    # of apps it does not import (complaints on a service request's page).
    record_panels: dict[str, str] = {}

    def ready(self):
        from salesservice.core.models.audit import register_event_types

        if find_spec(f"{self.name}.choices"):
            choices = import_module(f"{self.name}.choices")
            if hasattr(choices, "EventType"):
                register_event_types(choices.EventType)
        for module in ("workflows", "workbench", "evidence"):
            if find_spec(f"{self.name}.{module}"):
                import_module(f"{self.name}.{module}")

    @property
    def pages_module(self) -> str:
        return f"{self.name}.urls"


def domain_apps() -> list[DomainAppConfig]:
    """The registered domain apps, in `INSTALLED_APPS` order (the order demo data loads in)."""
    return [config for config in apps.get_app_configs() if isinstance(config, DomainAppConfig)]


def navigation() -> list[Nav]:
    entries = [entry for config in domain_apps() for entry in config.navigation]
    return sorted(entries, key=lambda entry: entry.order)


def role_grants(role_code: str) -> list[str]:
    """Every permission the registered apps give `role_code`."""
    return [perm for config in domain_apps() for perm in config.role_grants.get(role_code, [])]


def policy_defaults() -> list:
    rows = []
    for config in domain_apps():
        if config.policy_defaults:
            rows.extend(import_string(config.policy_defaults))
    return rows


def policy_key_labels() -> dict[str, dict]:
    """{parameter key: {JSON key: label}} from each app's policy defaults module (`KEY_LABELS`), so a structured
    parameter reads 发函警告 1 次/月 rather than {'warned': 1} (issue 12 §20)."""
    labels: dict[str, dict] = {}
    for config in domain_apps():
        if config.policy_defaults:
            module = import_module(config.policy_defaults.rsplit(".", 1)[0])
            labels.update(getattr(module, "KEY_LABELS", {}))
    return labels


def demo_loaders() -> list[str]:
    return [config.demo_loader for config in domain_apps() if config.demo_loader]


def periodic_tasks() -> list[Periodic]:
    return [task for config in domain_apps() for task in config.periodic_tasks]


def record_panels(model_label: str) -> list:
    """The panel functions the registered apps add to a record page of `model_label`."""
    return [
        import_string(config.record_panels[model_label])
        for config in domain_apps()
        if model_label in config.record_panels
    ]


def personal_data_handlers() -> list:
    """Every app's personal-data handlers (export / erase / restrict a data subject's data, PIPL)."""
    handlers = []
    for config in domain_apps():
        if config.personal_data:
            handlers.extend(import_string(config.personal_data))
    return handlers


# Menu groups apps file their navigation entries under (the shell shows a group as one dropdown).
NAV_SERVICE = _("售后服务")
NAV_LOOP = _("客户关怀")
NAV_SYSTEM = _("系统")
