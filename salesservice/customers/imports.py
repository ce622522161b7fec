"""Excel import of customers (issue 3 "Import and export"), on core's import framework.

Natural key: the customer code when given (it must name a customer the importer can see),
else name + phone within the store — so importing the same file twice creates nothing new.
The store column takes a store's name or code and must be within the importer's scope.
Empty optional cells leave an existing customer's value as it is.
"""

from django.db.models import Q
from django.utils.translation import gettext as _

from salesservice.core.choices import OrgUnitKind
from salesservice.core.exceptions import DomainError
from salesservice.core.imports import ImportColumn, ImportSpec, RowError
from salesservice.core.models import OrgUnit, User
from salesservice.core.scoping import can_see_unit

from . import services
from .choices import CustomerType
from .models import Customer

TYPE_CHOICES = {**{str(label): value for value, label in CustomerType.choices}, **{v: v for v in CustomerType.values}}
YES = {"是", "y", "yes", "true", "1", "√", "重点"}
NO = {"否", "n", "no", "false", "0", "×"}
TEXT_FIELDS = ("phone", "email", "address", "id_number", "preferences", "special_needs", "notes")


def customer_import_spec() -> ImportSpec:
    return ImportSpec(
        name="客户导入",
        columns=[
            ImportColumn("客户编码", "code", example="CU-2026-00001", help=_("更新已有客户时填写；新客户留空")),
            ImportColumn("客户名称", "name", required=True, example="上海瑞金医院"),
            ImportColumn(
                "客户类型", "customer_type", required=True, kind="choice", choices=TYPE_CHOICES, example="医院"
            ),
            ImportColumn("所属门店", "store", required=True, example="上海徐汇店", help=_("门店名称或编码")),
            ImportColumn("负责销售", "sales_rep", example="sales_rep", help=_("用户名")),
            ImportColumn("重点客户", "is_key_account", example="是", help=_("是/否")),
            ImportColumn("标签", "tags", example="医院,重点", help=_("多个用逗号分隔")),
            ImportColumn("电话", "phone", example="13800001234"),
            ImportColumn("邮箱", "email", example="buyer@example.com"),
            ImportColumn("地址", "address", example="上海市徐汇区瑞金二路197号"),
            ImportColumn("证件号码", "id_number", help=_("身份证号或统一社会信用代码")),
            ImportColumn("偏好", "preferences"),
            ImportColumn("特殊需求", "special_needs"),
            ImportColumn("备注", "notes"),
        ],
        save_row=save_customer_row,
        notes=[
            _("有客户编码时按编码更新；无编码时按“门店 + 客户名称 + 电话”匹配，已存在则更新，否则新建。"),
            _("空白的选填单元格不会清空已有客户的信息。"),
        ],
    )


def _store(actor, text: str) -> OrgUnit:
    store = OrgUnit.objects.filter(Q(name=text) | Q(code=text), kind=OrgUnitKind.STORE).first()
    if store is None or (actor is not None and not can_see_unit(actor, store.pk)):
        raise RowError(_("门店“%(store)s”不存在或不在您的管辖范围内") % {"store": text})
    return store


def _flag(text: str):
    word = (text or "").strip().lower()
    if not word:
        return None
    if word in YES:
        return True
    if word in NO:
        return False
    raise RowError(_("“重点客户”的值“%(val)s”无效，应为是/否") % {"val": text})


def save_customer_row(actor, values: dict) -> str:
    store = _store(actor, values["store"])
    sales_rep = None
    if values.get("sales_rep"):
        sales_rep = User.objects.filter(username=values["sales_rep"], is_active=True).first()
        if sales_rep is None:
            raise RowError(_("负责销售“%(user)s”不存在或已停用") % {"user": values["sales_rep"]})
    key_account = _flag(values.get("is_key_account"))
    tags = services.parse_tags(values.get("tags") or "") if values.get("tags") else None
    fields = {"name": values["name"].strip(), "customer_type": values["customer_type"], "store": store}
    for field in TEXT_FIELDS:
        if values.get(field):
            fields[field] = values[field].strip()
    if "phone" in fields:
        fields["phone"] = services._normalise_phone(fields["phone"])
    if sales_rep is not None:
        fields["sales_rep"] = sales_rep
    if key_account is not None:
        fields["is_key_account"] = key_account

    visible = Customer.objects.visible_to(actor) if actor is not None else Customer.objects.all()
    if values.get("code"):
        existing = visible.filter(code=values["code"].strip()).first()
        if existing is None:
            raise RowError(_("客户编码“%(code)s”不存在或不在您的管辖范围内") % {"code": values["code"]})
    else:
        existing = visible.filter(
            store=store, name=fields["name"], phone=fields.get("phone", ""), is_anonymised=False
        ).first()
    if existing is None:
        return _create(actor, fields, tags)
    changes = {k: v for k, v in fields.items() if getattr(existing, k) != v}
    if tags is not None and sorted(existing.tags.values_list("name", flat=True)) != sorted(set(tags)):
        changes["tags"] = tags
    if not changes:
        return "unchanged"
    try:
        services.customer_update(actor=actor, customer_id=existing.pk, expected_version=existing.version, **changes)
    except DomainError as exc:
        raise RowError(exc.message) from exc
    return "updated"


def _create(actor, fields, tags) -> str:
    try:
        services.customer_create(actor=actor, tags=tags or (), **fields)
    except DomainError as exc:
        raise RowError(exc.message) from exc
    return "created"
