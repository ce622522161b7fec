from celery.schedules import crontab
from django.conf import settings
from django.db.models.signals import post_migrate, pre_save
from django.utils.translation import gettext_lazy as _

from .registry import NAV_SYSTEM, DomainAppConfig, Nav, Periodic


class CoreConfig(DomainAppConfig):
    """The foundation. Registered like every app, but its pages and API routes are the root ones
    (`salesservice/urls.py`, `core/api/urls.py`), so it declares no `url_prefix` / `api_urls`."""

    name = "salesservice.core"
    label = "core"
    verbose_name = _("基础平台")
    navigation = [
        Nav(_("工作台"), "core:workbench", None, None, order=0),
        Nav(_("组织单元"), "core:org-units", "core.view_orgunit", NAV_SYSTEM, order=900),
        Nav(_("用户"), "core:users", "core.view_user", NAV_SYSTEM, order=910),
        Nav(_("政策参数"), "core:policies", "core.view_policyparameter", NAV_SYSTEM, order=920),
        Nav(_("审计日志"), "core:audit-log", "auditlog.view_logentry", NAV_SYSTEM, order=930),
        Nav(_("个人信息访问记录"), "core:access-log", "core.view_personaldataaccess", NAV_SYSTEM, order=940),
    ]
    periodic_tasks = [
        Periodic(settings.HEARTBEAT_INTERVAL_SECONDS, "core.heartbeat", "heartbeat"),
        # TRC-4: erase the personal data of restricted records whose retention period has ended (daily).
        Periodic(crontab(hour=3, minute=30), "core.purge_expired_restrictions", "purge expired restrictions"),
    ]
    personal_data = "salesservice.core.personal_data.HANDLERS"

    def ready(self):
        from auditlog.registry import auditlog

        from . import input_guards, models

        input_guards.install()  # sane dates and numbers at every form and API boundary (issue 12 §1, §2, §6)
        from .api.fields import install_scoped_relations

        install_scoped_relations()  # ids in request bodies resolve within the actor's scope (issue 12 §8)

        # Field-level history of every core business model (admin edits and imports too).
        for model in (
            models.OrgUnit,
            models.Membership,
            models.NumberSeries,
            models.PolicyParameter,
            models.PolicyValue,
            models.BusinessCalendar,
            models.WorkingWindow,
            models.StatutoryDay,
        ):
            auditlog.register(model)
        auditlog.register(models.User, exclude_fields=["password", "last_login"], mask_fields=["phone", "email"])

        from auditlog.models import LogEntry

        from .audit import fill_log_entry

        pre_save.connect(fill_log_entry, sender=LogEntry, dispatch_uid="core.fill_log_entry")
        post_migrate.connect(seed_reference_data, sender=self)

        from . import config_cache

        config_cache.connect()  # per-process caches keyed by the configuration stamp (issue 17 §1)

        from .inserts import cache_chained_conversions

        cache_chained_conversions()  # the chained create statement converted once per process (issue 17 §2)


def seed_reference_data(sender, using="default", **kwargs):
    """Reference data every installation needs: role groups, policy defaults, calendars, series.

    Idempotent; runs after each `migrate` (and so also for the test database).
    """
    from django.apps import apps
    from django.contrib.auth.management import create_permissions
    from django.contrib.contenttypes.management import create_contenttypes

    from .calendar_seed import seed_calendars
    from .policy_defaults import seed_policy_defaults
    from .roles import sync_roles

    # post_migrate reaches core before the apps listed after it have their permissions created;
    # create them all now (idempotent) so every role gets its full permission set on a fresh database.
    for app_config in apps.get_app_configs():
        create_contenttypes(app_config, verbosity=0, using=using)
        create_permissions(app_config, verbosity=0, using=using)
    sync_roles()
    seed_policy_defaults()
    seed_calendars()
    from . import config_cache

    config_cache.bump()  # the seeds and data migrations write in bulk: every process re-reads (issue 17 §1)
