"""The web worker's objects that live as long as the process are kept out of Python's cyclic garbage collector
(issue 17 §2).

A worker holds ~220 000 tracked objects once Django, the apps, the URLconf and the per-process caches are loaded,
and they never become garbage. Each *full* collection walks all of them — 100–130 ms of CPU, every few hundred
requests in a create-heavy load: 0.3–0.4 ms per create on average, 7–8 % of one (bench/create_profile.py with a
`gc.callbacks` probe, docs/performance.md). `gc.freeze()` moves what exists into a permanent generation the
collector no longer visits; cycles made while serving requests are still collected as before.

- `freeze_loaded()` — once the application is loaded (`salesservice/wsgi.py`): collect what loading left behind
  (so no garbage is frozen with the rest), then freeze.
- `freeze_after_warm_up(n)` — once more after the process's first `n` requests, which fill the per-process
  caches (configuration, serializer plans, compiled lookups, translations); then the receiver disconnects.

`GC_FREEZE=false` in the environment leaves the collector as Python sets it (`salesservice/wsgi.py`).
"""

from __future__ import annotations

import gc
import threading

from django.core.signals import request_finished

WARM_UP_REQUESTS = 200

_lock = threading.Lock()
_seen = 0


def freeze_loaded() -> None:
    gc.collect()
    gc.freeze()


def freeze_after_warm_up(requests: int = WARM_UP_REQUESTS) -> None:
    """Freeze again after this process has finished `requests` requests (one time)."""
    global _seen
    _seen = 0

    def count(**_kwargs) -> None:
        global _seen
        with _lock:
            _seen += 1
            if _seen != requests:
                return
        request_finished.disconnect(count, dispatch_uid=__name__)
        freeze_loaded()

    request_finished.connect(count, dispatch_uid=__name__, weak=False)
