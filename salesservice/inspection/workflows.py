"""The nonconformance record's lifecycle 不合格品 (SUP-8: 002 §6.3.4; 004 §4.2), declared once.

    open ──dispose──▶ dispositioned ──close──▶ closed

CAPA (root cause, corrective and preventive action, verification) is recorded in any state, the status
unchanged. A disposition can be revised (dispositioned ──dispose──▶ dispositioned) until the record is closed; closed
is final. QA (`change_nonconformance`) disposes and closes. The transition table, the page's action forms,
the API action endpoints and the status badges all follow from this declaration (`core.workflow`).
"""

from django.utils.translation import gettext_lazy as _

from salesservice.core.workflow import Action, State, Workflow

from .choices import EventType
from .choices import NonconformanceStatus as N
from .errors import InspectionErrorCode as E

NONCONFORMANCE_WORKFLOW = Workflow(
    "inspection.Nonconformance",
    id_kwarg="nonconformance_id",
    detail_url="inspection:nonconformance-detail",
    action_url="inspection:nonconformance-action",
    states=[
        State(N.OPEN, "bg-orange-lt"),
        State(N.DISPOSITIONED, "bg-azure-lt"),
        State(N.CLOSED, "bg-green-lt", terminal=True),
    ],
    actions=[
        Action(
            "dispose",
            _("处置"),
            sources=[N.OPEN, N.DISPOSITIONED],
            target=N.DISPOSITIONED,
            permission="inspection.change_nonconformance",
            service="salesservice.inspection.services.nonconformance_dispose",
            form="salesservice.inspection.forms.DisposeForm",
            serializer="salesservice.inspection.api.serializers.NonconformanceDisposeSerializer",
            event_type=EventType.NC_DISPOSITIONED,
            success=_("已处置"),
            # The card reads "修改处置" once a disposition was recorded; the button "保存处置".
            template="inspection/_dispose_form.html",
            summary=_("处置：退供方 / 返工 / 报废 / 让步接收（让步接收须写明理由）"),
        ),
        Action(
            "close",
            _("关闭"),
            sources=[N.DISPOSITIONED],
            target=N.CLOSED,
            permission="inspection.change_nonconformance",
            service="salesservice.inspection.services.nonconformance_close",
            form="salesservice.inspection.forms.CloseForm",
            serializer="salesservice.inspection.api.serializers.NonconformanceCloseSerializer",
            event_type=EventType.NC_CLOSED,
            success=_("已关闭"),
            confirm=_("处置已执行，确定关闭？"),
            style="success",
            template="core/_action_inline.html",
            summary=_("关闭（处置已执行）"),
        ),
        Action(
            "capa",
            _("纠正预防措施（CAPA）"),
            sources=[N.OPEN, N.DISPOSITIONED, N.CLOSED],
            target=None,
            permission="inspection.change_nonconformance",
            service="salesservice.inspection.services.nonconformance_capa",
            form="salesservice.inspection.forms.CapaForm",
            serializer="salesservice.inspection.api.serializers.NonconformanceCapaSerializer",
            event_type=EventType.NC_CAPA,
            success=_("已保存纠正预防措施"),
            summary=_("记录纠正预防措施 CAPA：原因分析、纠正措施、预防措施、验证（任何状态，状态不变）"),
            errors={E.NONCONFORMANCE_CAPA_REQUIRED: E.NONCONFORMANCE_CAPA_REQUIRED.label},
        ),
    ],
)
