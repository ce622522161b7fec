"""PostgreSQL: two submissions racing on one survey link give one response; two schedulers racing
give one follow-up per closed request (FBK-2, FBK-3). Skipped on SQLite (it serialises writers)."""

import threading

import pytest
from django.db import connection

from .. import survey_services as surveys
from ..models import FollowUp, SurveyResponse
from ..scheduling import follow_up_schedule_for_closed_requests


def _race(target, count=2):
    barrier = threading.Barrier(count)
    results, errors = [], []

    def worker():
        try:
            barrier.wait()
            results.append(target())
        except Exception as error:  # noqa: BLE001 — collected and asserted below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_submissions_give_one_response():
    if connection.vendor != "postgresql":
        pytest.skip("row locks are only meaningful on PostgreSQL (SQLite serialises writers)")
    from salesservice.core.demo import load_demo_org

    from .factories import answers_for, invitation

    load_demo_org()
    sent = invitation()
    answers = answers_for(sent.link.template)
    results, errors = _race(lambda: surveys.survey_submit(sent.token, answers))
    assert len(results) == 1 and len(errors) == 1
    assert isinstance(errors[0], surveys.SurveyLinkError) and errors[0].code == "survey.link_answered"
    assert SurveyResponse.objects.filter(link=sent.link).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_schedulers_create_one_follow_up_each():
    if connection.vendor != "postgresql":
        pytest.skip("row locks are only meaningful on PostgreSQL (SQLite serialises writers)")
    from salesservice.core.demo import load_demo_org

    from .factories import closed_request

    load_demo_org()
    requests = [closed_request() for _ in range(12)]
    results, errors = _race(follow_up_schedule_for_closed_requests)
    assert not errors, errors
    assert sum(result.service_requests for result in results) == 12
    assert FollowUp.objects.filter(service_request__in=requests).count() == 12
