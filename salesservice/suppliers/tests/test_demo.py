"""The demo shows the feature: six suppliers, one expired licence, one on probation, a current list."""

from salesservice.catalog.demo import load_demo as load_catalog
from salesservice.suppliers import services
from salesservice.suppliers.choices import Standing
from salesservice.suppliers.demo import load_demo
from salesservice.suppliers.models import QualifiedList, Supplier


def test_demo_loads_once_with_every_scenario(demo):
    load_catalog()
    load_demo()
    load_demo()  # idempotent
    assert Supplier.objects.count() == 6
    assert services.current_list() is not None
    assert QualifiedList.objects.filter(status="draft").count() == 1
    expired = Supplier.objects.get(name="苏州宜康医用耗材有限公司")
    device = services.current_list().entries.get(supplier=expired).products.first()
    assert "supplier.document_expired" in [r.code for r in services.order_check(expired, device)]
    probation = Supplier.objects.get(name="广州华南电器有限公司")
    assert probation.standing == Standing.CONDITIONAL
    assert "supplier.conditional" in [r.code for r in services.order_warnings(probation)]
    good = Supplier.objects.get(name="上海康泰医疗器械有限公司")
    assert services.order_check(good, device) == []
    assert Supplier.objects.filter(is_suspended=True).count() == 1
