"""Excel import of suppliers 供应商导入 (issue 13), on core's import framework.

Each row calls the supplier service (`supplier_create` / `supplier_update`), so the rules are the dossier's:
name required and unique, 统一社会信用代码 of 18 characters, owning department within the importer's scope.
Natural key: the supplier number when given (it must name a supplier the importer can see), else the name —
importing the same file twice creates nothing new. Empty optional cells leave an existing value as it is.
Qualification documents, evaluation and the qualified list are not imported: they are entered on the dossier.
"""

from django.db.models import Q
from django.utils.translation import gettext as _

from salesservice.core.imports import ImportColumn, ImportSpec, RowError
from salesservice.core.models import OrgUnit
from salesservice.core.scoping import can_see_unit

from . import services
from .models import Supplier

TEXT_FIELDS = ("credit_code", "contact", "phone", "address", "notes")


def supplier_import_spec() -> ImportSpec:
    return ImportSpec(
        name="供应商导入",
        columns=[
            ImportColumn("供应商编号", "number", example="SUP-0001", help=_("更新已有供应商时填写；新供应商留空")),
            ImportColumn("供应商名称", "name", required=True, example="上海康泰医疗器械有限公司"),
            ImportColumn(
                "统一社会信用代码", "credit_code", example="91310000MA1K000001", help=_("18 位数字或大写字母")
            ),
            ImportColumn("联系人", "contact", example="王经理"),
            ImportColumn("联系电话", "phone", example="13912345678"),
            ImportColumn("地址", "address", example="上海市浦东新区张江路 100 号"),
            ImportColumn("负责部门", "org_unit", example="采购部", help=_("部门名称或编码；留空为您所在的部门")),
            ImportColumn("备注", "notes"),
        ],
        save_row=save_supplier_row,
        notes=[
            _("有供应商编号时按编号更新；无编号时按供应商名称匹配，已存在则更新，否则新建。"),
            _("空白的选填单元格不会清空已有供应商的信息；资质文件、评价与合格供方名单请在供应商档案中维护。"),
        ],
    )


def _unit(actor, text: str) -> OrgUnit | None:
    text = (text or "").strip()
    if not text:
        return None
    unit = OrgUnit.objects.filter(Q(name=text) | Q(code=text)).first()
    if unit is None or (actor is not None and not can_see_unit(actor, unit.pk)):
        raise RowError(_("负责部门“%(unit)s”不存在或不在您的管辖范围内") % {"unit": text})
    return unit


def save_supplier_row(actor, values: dict) -> str:
    name = values["name"].strip()
    unit = _unit(actor, values.get("org_unit"))
    fields = {field: values[field].strip() for field in TEXT_FIELDS if values.get(field)}
    visible = Supplier.objects.visible_to(actor) if actor is not None else Supplier.objects.all()
    number = (values.get("number") or "").strip()
    if number:
        existing = visible.filter(number=number).first()
        if existing is None:
            raise RowError(_("供应商编号“%(number)s”不存在或不在您的管辖范围内") % {"number": number})
    else:
        existing = visible.filter(name=name).first()
        if existing is None and Supplier.objects.filter(name=name).exists():
            raise RowError(_("供应商“%(name)s”已存在，但不在您的管辖范围内") % {"name": name})
    if existing is None:
        services.supplier_create(actor=actor, name=name, org_unit=unit, **fields)
        return "created"
    if unit is not None and unit.pk != existing.org_unit_id:
        raise RowError(_("已有供应商的负责部门不能通过导入修改"))
    changes = {"name": name, **fields}
    changes = {k: v for k, v in changes.items() if getattr(existing, k) != v}
    if "credit_code" in changes and changes["credit_code"].upper() == existing.credit_code:
        changes.pop("credit_code")
    if not changes:
        return "unchanged"
    services.supplier_update(actor=actor, supplier_id=existing.pk, expected_version=existing.version, **changes)
    return "updated"
