"""factory_boy factories of the catalog: a sellable product by default."""

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from salesservice.catalog.choices import DeviceClass, RestrictionReason
from salesservice.catalog.models import (
    InspectionItem,
    InspectionTemplate,
    Product,
    ProductCategory,
    ProductRestriction,
)


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProductCategory
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"cat-{n}")
    name = factory.Sequence(lambda n: f"分类{n}")

    @factory.post_generation
    def set_path(obj, create, extracted, **kwargs):
        obj.path = f"{obj.parent.path if obj.parent else '/'}{obj.pk}/"
        if create:
            obj.save(update_fields=["path"])


class InspectionTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InspectionTemplate

    name = factory.Sequence(lambda n: f"验收标准{n}")


class InspectionItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InspectionItem

    template = factory.SubFactory(InspectionTemplateFactory)
    group = "appearance"
    text = "外包装完好"


class ProductFactory(factory.django.DjangoModelFactory):
    """A sellable household appliance unless told otherwise."""

    class Meta:
        model = Product

    code = factory.Sequence(lambda n: f"P-{n:05d}")
    name = factory.Sequence(lambda n: f"测试商品{n}")
    specification = "X-100"
    category = factory.SubFactory(CategoryFactory)
    brand = "测试牌"
    price = Decimal("100.00")
    manufacturer = "测试电器有限公司"
    origin = "广东佛山"


class MedicalDeviceFactory(ProductFactory):
    """A class II medical device with a registration valid well into the future."""

    device_class = DeviceClass.CLASS_II
    registration_no = factory.Sequence(lambda n: f"沪械注准2023214{n:04d}")
    registration_expiry = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=365))


class RestrictionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProductRestriction

    product = factory.SubFactory(ProductFactory)
    reason_code = RestrictionReason.SAFETY_STANDARD_NOT_MET
    reason = "抽检漏电流超标"
    set_at = factory.LazyFunction(timezone.now)
