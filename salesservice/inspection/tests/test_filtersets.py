"""One FilterSet per model (CONVENTIONS, NetBox): the nonconformance list shares its FilterSet with the API, so a
filter value narrows the page and `/api/v1/nonconformances/` alike."""

import pytest

from salesservice.core.tests.filter_helpers import api_ids, page_ids
from salesservice.returns.tests.factories import ProductFactory, user

from .. import services
from ..api.views import NonconformanceViewSet
from ..filtersets import NonconformanceFilterSet
from ..views import NonconformanceListView

pytestmark = pytest.mark.django_db
PAGE, API, DETAIL = "/inspection/nonconformances/", "/api/v1/nonconformances/", "inspection:nonconformance-detail"


def _open(batch):
    return services.nonconformance_open(
        actor=user("qa_inspector"),
        source="receiving",
        product=ProductFactory(),
        description="外包装破损",
        batch_number=batch,
    )


def test_the_page_and_the_api_share_one_filterset():
    assert NonconformanceListView.filterset_class is NonconformanceViewSet.filterset_class is NonconformanceFilterSet


def test_status_and_search_narrow_the_page_and_the_api_alike(demo, web_for, api_for):
    still_open = _open("B-1")
    disposed = services.nonconformance_dispose(
        actor=user("qa_inspector"), nonconformance_id=_open("B-2").pk, disposition="scrap", note="报废"
    )
    web, api = web_for("qa_inspector"), api_for("qa_inspector")
    for params, expected in [
        ({"status": "open"}, {still_open.pk}),
        ({"status": ["open", "dispositioned"]}, {still_open.pk, disposed.pk}),
        ({"q": "B-2"}, {disposed.pk}),
        ({"product": still_open.product_id}, {still_open.pk}),
    ]:
        assert page_ids(web, PAGE, params, DETAIL) == api_ids(api, API, params) == expected, params
