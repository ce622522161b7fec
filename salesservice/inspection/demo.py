"""Demo records of the inspection app for `manage.py load_demo` (idempotent).

One receiving-inspection nonconformance at HQ (SUP-8); the quality returns' nonconformances are opened by
the returns demo through the return inspection service.
"""

from salesservice.catalog.models import Product
from salesservice.core.models import User

from .choices import NonconformanceSource
from .models import Nonconformance


def load_demo() -> None:
    if Nonconformance.objects.filter(source=NonconformanceSource.RECEIVING).exists():
        return
    qa = User.objects.filter(username="qa_inspector").first()
    product = (
        Product.objects.filter(category__code="consumable").order_by("code").first()
        or Product.objects.order_by("code").first()
    )
    if qa is None or product is None:
        return
    from .services import nonconformance_open

    nonconformance_open(
        actor=qa,
        source=NonconformanceSource.RECEIVING,
        product=product,
        description="进货检验：外包装受潮，灭菌标识模糊",
        batch_number="DEMO-B-2026",
        quantity=20,
    )
