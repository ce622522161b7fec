"""Excel import of products: the natural key is the product code (PRD-3).

A row with a new code creates the product, a row with a known code updates what differs (or
leaves it unchanged), so importing the same file twice never duplicates anything.
"""

from django.utils.translation import gettext as _

from salesservice.core.imports import ImportColumn, ImportSpec, RowError

from .choices import DeviceClass, TrackingMode
from .models import InspectionTemplate, Product, ProductCategory
from .services import product_create, product_update


def _choices(enum) -> dict[str, str]:
    """Accept both the Chinese label and the stored value in a choice cell."""
    mapping = {str(label): value for value, label in enum.choices}
    mapping.update({value: value for value in enum.values})
    return mapping


def product_import_spec() -> ImportSpec:
    columns = [
        ImportColumn(_("商品编码"), "code", required=True, example="HA-1001", help=_("唯一；已存在则更新")),
        ImportColumn(_("商品名称"), "name", required=True, example="变频空调 1.5匹"),
        ImportColumn(_("规格型号"), "specification", example="KFR-35GW"),
        ImportColumn(_("分类编码"), "category", required=True, example="appliance", help=_("商品分类的编码")),
        ImportColumn(_("单位"), "unit", example="台"),
        ImportColumn(_("品牌"), "brand", example="格力"),
        ImportColumn(_("单价"), "price", kind="decimal", example="3299.00"),
        ImportColumn(_("保修期（月）"), "warranty_months", kind="int", example="36"),
        ImportColumn(_("追踪方式"), "tracking_mode", kind="choice", choices=_choices(TrackingMode), example="按序列号"),
        ImportColumn(_("管理有效期"), "shelf_life_tracked", kind="bool", example="否"),
        ImportColumn(_("有效期（天）"), "shelf_life_days", kind="int", example=""),
        ImportColumn(_("储存温度下限"), "storage_temp_min", kind="decimal", example="-10"),
        ImportColumn(_("储存温度上限"), "storage_temp_max", kind="decimal", example="40"),
        ImportColumn(_("储存湿度下限"), "storage_humidity_min", kind="int", example="20"),
        ImportColumn(_("储存湿度上限"), "storage_humidity_max", kind="int", example="80"),
        ImportColumn(_("验收标准"), "acceptance_template", example="家电通用验收标准", help=_("验收标准名称")),
        ImportColumn(_("生产企业"), "manufacturer", example="珠海格力电器股份有限公司"),
        ImportColumn(_("生产企业许可证号"), "manufacturer_licence_no", example=""),
        ImportColumn(
            _("医疗器械类别"), "device_class", kind="choice", choices=_choices(DeviceClass), example="非医疗器械"
        ),
        ImportColumn(_("注册证号/备案凭证号"), "registration_no", example="国械注准20233140123"),
        ImportColumn(_("注册证有效期至"), "registration_expiry", kind="date", example="2028-12-31"),
        ImportColumn(_("实施生产许可证管理"), "production_licence_required", kind="bool", example="否"),
        ImportColumn(_("生产许可证号"), "production_licence_no", example=""),
        ImportColumn(_("有合格证"), "has_certificate_of_conformity", required=True, kind="bool", example="是"),
        ImportColumn(_("有中文标签"), "has_chinese_label", required=True, kind="bool", example="是"),
        ImportColumn(_("产地"), "origin", example="广东珠海"),
    ]
    return ImportSpec(
        name=_("商品导入"),
        columns=columns,
        save_row=save_product_row,
        notes=[
            _("按“商品编码”匹配：已存在的商品按表中内容更新，未变化的行不做修改。"),
            _("“有合格证”“有中文标签”必须填写“是”或“否”（无合格证或医疗器械无中文标签的商品不可销售）。"),
        ],
    )


def save_product_row(actor, values: dict) -> str:
    """Create or update one product from an import row; returns created / updated / unchanged."""
    values = dict(values)
    code = values.pop("code")
    category_code = values.pop("category")
    category = ProductCategory.objects.filter(code=category_code).first()
    if category is None:
        raise RowError(_("分类编码“%(code)s”不存在") % {"code": category_code})
    values["category"] = category
    template_name = values.pop("acceptance_template") or ""
    template = None
    if template_name:
        template = InspectionTemplate.objects.filter(name=template_name).first()
        if template is None:
            raise RowError(_("验收标准“%(name)s”不存在") % {"name": template_name})
    values["acceptance_template"] = template
    # Empty optional cells keep the model's default on create (unit, price, modes...) and the
    # stored value on update; a nullable field (e.g. an expiry) is cleared by an empty cell.
    values = {k: v for k, v in values.items() if _usable(k, v)}
    existing = Product.objects.filter(code=code).first()
    if existing is None:
        product_create(actor=actor, code=code, **values)
        return "created"
    before = existing.version
    updated = product_update(actor=actor, product_id=existing.pk, expected_version=existing.version, **values)
    return "updated" if updated.version != before else "unchanged"


def _usable(name: str, value) -> bool:
    field = Product._meta.get_field(name)
    if value is None:
        return field.null
    if value == "":
        return field.blank
    return True
