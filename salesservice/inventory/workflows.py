"""The inventory documents' lifecycles, declared once (core.workflow).

Stock count 库存盘点单 (INV-2: 定期盘点，账实相符；差异查明原因、经审批后调整):

    draft ──start──▶ counting ──submit──▶ submitted ──approve──▶ approved
                        ▲  │ record (实盘数, stays)      │
                        └──┼────────── return ◀─────────┘
    draft / counting / submitted ──cancel──▶ cancelled

`start` snapshots the system quantities into the count sheet; `record` enters counted quantities and the
reasons of variances; `submit` needs every line counted and every variance explained; `approve` (someone
other than the counter, `approve_stockcount`) posts the variances to the ledger as `count` moves.

Allocation 库存分配: open ──release──▶ released; open ──issue──▶ issued (services only, no page or API
buttons: the order that owns it releases or ships it).
"""

from django.utils.translation import gettext_lazy as _

from salesservice.core.workflow import Action, State, Workflow

from .choices import AllocationStatus as A
from .choices import EventType
from .choices import StockCountStatus as C
from .errors import InventoryErrorCode as E

COUNTS = "salesservice.inventory.counts"
SERVICES = "salesservice.inventory.services"
FORMS = "salesservice.inventory.forms"
SERIALIZERS = "salesservice.inventory.api.serializers"

STOCK_COUNT_WORKFLOW = Workflow(
    "inventory.StockCount",
    id_kwarg="count_id",
    detail_url="inventory:count-detail",
    action_url="inventory:count-action",
    related=("warehouse", "location"),
    states=[
        State(C.DRAFT, "bg-secondary-lt"),
        State(C.COUNTING, "bg-blue-lt"),
        State(C.SUBMITTED, "bg-orange-lt"),
        State(C.APPROVED, "bg-green-lt", terminal=True),
        State(C.CANCELLED, "bg-secondary-lt", terminal=True),
    ],
    actions=[
        Action(
            "start",
            _("开始盘点"),
            sources=[C.DRAFT],
            target=C.COUNTING,
            permission="inventory.change_stockcount",
            service=f"{COUNTS}.stock_count_start",
            serializer=f"{SERIALIZERS}.StockCountVersionSerializer",
            event_type=EventType.COUNT_STARTED,
            success=_("已开始盘点，账面数已生成盘点表"),
            summary=_("开始盘点（按当前库存生成盘点表的账面数）"),
            errors={E.COUNT_NO_LINES: _("盘点范围内没有库存记录")},
        ),
        Action(
            "record",
            _("录入实盘数"),
            sources=[C.COUNTING],
            stays=(C.COUNTING,),
            permission="inventory.change_stockcount",
            service=f"{COUNTS}.stock_count_record",
            form=f"{FORMS}.CountRecordForm",
            serializer=f"{SERIALIZERS}.StockCountRecordSerializer",
            event_type=EventType.COUNT_RECORDED,
            success=_("已保存实盘数"),
            template="inventory/_count_record_form.html",
            summary=_("录入实盘数与差异原因（盘点中，可多次保存）"),
            errors={E.COUNT_LINE_NOT_FOUND: _("盘点行不属于该盘点单")},
        ),
        Action(
            "submit",
            _("提交审批"),
            sources=[C.COUNTING],
            target=C.SUBMITTED,
            permission="inventory.change_stockcount",
            service=f"{COUNTS}.stock_count_submit",
            serializer=f"{SERIALIZERS}.StockCountVersionSerializer",
            event_type=EventType.COUNT_SUBMITTED,
            success=_("已提交，等待审批"),
            summary=_("提交审批（须全部录入实盘数，有差异的行须填原因，INV-2）"),
            errors={
                E.COUNT_INCOMPLETE: _("还有盘点行未录入实盘数"),
                E.COUNT_REASON_REQUIRED: _("有差异的盘点行须填写差异原因"),
            },
        ),
        Action(
            "approve",
            _("审批通过"),
            sources=[C.SUBMITTED],
            target=C.APPROVED,
            permission="inventory.approve_stockcount",
            service=f"{COUNTS}.stock_count_approve",
            form=f"{FORMS}.CountApproveForm",
            serializer=f"{SERIALIZERS}.StockCountApproveSerializer",
            event_type=EventType.COUNT_APPROVED,
            success=_("已审批，差异已调整入账"),
            style="success",
            confirm=_("审批后差异将调整库存台账，确定？"),
            summary=_("审批通过：差异按盘点调整入账（盘点人不能自审）"),
            errors={
                E.COUNT_SELF_APPROVAL: _("盘点人不能审批自己提交的盘点差异"),
                E.BELOW_RESERVED: _("调整后数量低于已分配数量"),
            },
        ),
        Action(
            "return",
            _("退回重盘"),
            sources=[C.SUBMITTED],
            target=C.COUNTING,
            permission="inventory.approve_stockcount",
            service=f"{COUNTS}.stock_count_return",
            form=f"{FORMS}.CountReasonForm",
            serializer=f"{SERIALIZERS}.StockCountReasonSerializer",
            event_type=EventType.COUNT_RETURNED,
            success=_("已退回重盘"),
            style="outline-warning",
            summary=_("退回重盘（须填理由）"),
            errors={E.COUNT_RETURN_REASON_REQUIRED: _("退回重盘须填写理由")},
        ),
        Action(
            "cancel",
            _("取消盘点"),
            sources=[C.DRAFT, C.COUNTING, C.SUBMITTED],
            target=C.CANCELLED,
            permission="inventory.change_stockcount",
            service=f"{COUNTS}.stock_count_cancel",
            form=f"{FORMS}.CountCancelForm",
            serializer=f"{SERIALIZERS}.StockCountCancelSerializer",
            event_type=EventType.COUNT_CANCELLED,
            success=_("已取消"),
            confirm=_("确定取消该盘点单？"),
            style="outline-danger",
            template="core/_action_inline.html",
            summary=_("取消盘点（审批前）"),
        ),
    ],
)

ALLOCATION_WORKFLOW = Workflow(
    "inventory.Allocation",
    id_kwarg="allocation_id",
    detail_url="inventory:stock",
    states=[
        State(A.OPEN, "bg-blue-lt"),
        State(A.RELEASED, "bg-secondary-lt", terminal=True),
        State(A.ISSUED, "bg-green-lt", terminal=True),
    ],
    actions=[
        Action(
            "release",
            _("释放分配"),
            sources=[A.OPEN],
            target=A.RELEASED,
            permission="inventory.add_allocation",
            service=f"{SERVICES}.release_allocation",
            event_type=EventType.ALLOCATION_RELEASED,
            api=False,
            page=False,
        ),
        Action(
            "issue",
            _("出库"),
            sources=[A.OPEN],
            target=A.ISSUED,
            permission="inventory.move_stock",
            service=f"{SERVICES}.issue_allocation",
            event_type=EventType.ISSUED,
            api=False,
            page=False,
        ),
    ],
)
