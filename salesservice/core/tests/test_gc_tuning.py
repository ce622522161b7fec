"""Issue 17 §2: the web worker keeps its long-lived objects out of the cyclic collector's full passes."""

import gc

import pytest
from django.core.signals import request_finished
from django.db import close_old_connections

from salesservice.core import gc_tuning


@pytest.fixture(autouse=True)
def _no_connection_handling():
    """The signal's other receiver closes stale database connections; tests send it without a database (as
    Django's test client does around its requests)."""
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_finished.connect(close_old_connections)


def test_freeze_loaded_moves_what_exists_out_of_the_collector():
    gc.unfreeze()
    try:
        gc_tuning.freeze_loaded()
        assert gc.get_freeze_count() > 1000
        made_after = [[]]
        made_after[0].append(made_after)  # a cycle made while serving: still collected
        del made_after
        assert gc.collect() >= 1
    finally:
        gc.unfreeze()


def test_freeze_after_warm_up_freezes_once_after_n_requests_and_stops_listening():
    gc.unfreeze()
    try:
        gc_tuning.freeze_after_warm_up(3)
        for _ in range(2):
            request_finished.send(sender=None)
        assert gc.get_freeze_count() == 0
        request_finished.send(sender=None)
        frozen = gc.get_freeze_count()
        assert frozen > 1000
        gc.unfreeze()
        request_finished.send(sender=None)  # disconnected: no second freeze
        assert gc.get_freeze_count() == 0
        assert not any(uid == gc_tuning.__name__ for (uid, _), *_ in request_finished.receivers)
    finally:
        gc.unfreeze()
        request_finished.disconnect(dispatch_uid=gc_tuning.__name__)


def test_the_wsgi_application_loads_with_the_freeze():
    import importlib

    gc.unfreeze()
    try:
        module = importlib.import_module("salesservice.wsgi")
        importlib.reload(module)
        assert callable(module.application) and gc.get_freeze_count() > 1000
    finally:
        gc.unfreeze()
        request_finished.disconnect(dispatch_uid=gc_tuning.__name__)
