"""RET-2 under concurrency (PostgreSQL): two approvers deciding the same request at once — one wins,
the other is refused with 409 after the row lock; the status moves once."""

import threading

import pytest
from django.db import connection

from salesservice.core.exceptions import DomainError

from .. import services
from ..choices import ReturnStatus as R
from ..models import ReturnRequest
from .factories import make_return, user


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_approve_and_reject_decide_once():
    if connection.vendor != "postgresql":
        pytest.skip("row locks are only meaningful on PostgreSQL (SQLite serialises writers)")
    from salesservice.core.demo import load_demo_org
    from salesservice.core.policy_defaults import seed_policy_defaults

    load_demo_org()
    seed_policy_defaults()
    request = make_return()
    barrier = threading.Barrier(2)
    outcomes, errors = [], []

    def decide(kind):
        try:
            barrier.wait()
            if kind == "approve":
                services.return_approve(actor=user("xuhui_manager"), return_id=request.pk)
            else:
                services.return_reject(actor=user("east_manager"), return_id=request.pk, reason="不符合")
            outcomes.append(kind)
        except DomainError as error:
            errors.append(error.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=decide, args=(kind,)) for kind in ("approve", "reject")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(outcomes) == 1 and errors == ["status.invalid_transition"]
    assert ReturnRequest.objects.get(pk=request.pk).status == (R.APPROVED if outcomes == ["approve"] else R.REJECTED)
