import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "salesservice.settings")

from salesservice.core.handlers import get_wsgi_application  # noqa: E402 — after the settings module is named

application = get_wsgi_application()  # token API requests through their own middleware chain (issue 17 §2)


def _keep_long_lived_objects_out_of_the_collector() -> None:
    """Issue 17 §2: the loaded application's objects out of Python's full collections (core.gc_tuning)."""
    from django.urls import get_resolver

    from salesservice.core import gc_tuning

    get_resolver().url_patterns  # noqa: B018 — load the URLconf now, with the rest
    gc_tuning.freeze_loaded()
    gc_tuning.freeze_after_warm_up()


if os.environ.get("GC_FREEZE", "true").lower() not in {"0", "false", "no", "off"}:
    _keep_long_lived_objects_out_of_the_collector()
