"""The inventory demo: idempotent; stock put away, a lot near expiry, a receipt partly rejected with its NC,
a lot waiting in quarantine, a temperature excursion with a held lot, a stocktake variance awaiting approval;
the demo users see it on their pages."""

import pytest
from django.urls import reverse

from salesservice.catalog.demo import load_demo as load_catalog

from ..choices import LocationKind, MoveKind
from ..demo import load_demo
from ..models import Lot, StockCount, StockMove, StockQuant, StorageReading, Warehouse

pytestmark = pytest.mark.django_db


def test_demo_tells_the_whole_story_and_is_idempotent(demo, web_for):
    load_catalog()
    load_demo()
    moves = StockMove.objects.count()
    load_demo()
    assert StockMove.objects.count() == moves and Warehouse.objects.count() == 2
    assert StockQuant.objects.filter(location__kind=LocationKind.STORAGE, quantity__gt=0).exists()
    assert StockQuant.objects.filter(location__kind=LocationKind.QUARANTINE, quantity__gt=0).exists()
    assert StockMove.objects.filter(kind=MoveKind.REJECT, nonconformance__isnull=False).exists()
    assert StorageReading.objects.filter(excursion=True).exists() and Lot.objects.filter(held=True).exists()
    assert StockCount.objects.filter(status="submitted").exists()
    client = web_for("gm")
    count = StockCount.objects.get()
    assert "审批通过" in client.get(reverse("inventory:count-detail", args=[count.pk])).content.decode()
    assert client.get(reverse("inventory:stock"), {"state": "near_expiry"}).status_code == 200
