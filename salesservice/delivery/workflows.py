"""The lifecycle of the delivery note 交付单, declared once (core.workflow).

    shipped 已发货 ──accept (DEL-3)──▶ accepted 已验收 ──release (DEL-6)──▶ released 已放行交付
    shipped ──release (only under an approved concession, DEL-6)──▶ released
    shipped / accepted: report-incident (DEL-2), inform-customer, record-training (DEL-4),
                        approve-concession (DEL-6) — records added, the status stays

The delivery is created by the sales order's `ship` action (`services.order_ship`, DEL-1, TRC-1).
"""

from django.utils.translation import gettext_lazy as _

from salesservice.core.workflow import Action, State, Workflow

from .choices import DeliveryStatus as D
from .choices import EventType
from .errors import DeliveryErrorCode as E

SERVICES = "salesservice.delivery.services"
FORMS = "salesservice.delivery.forms"
SERIALIZERS = "salesservice.delivery.api.serializers"
OPEN = [D.SHIPPED, D.ACCEPTED]

DELIVERY_WORKFLOW = Workflow(
    "delivery.Delivery",
    id_kwarg="delivery_id",
    detail_url="delivery:delivery-detail",
    action_url="delivery:delivery-action",
    related=("order", "customer", "warehouse"),
    states=[
        State(D.SHIPPED, "bg-purple-lt"),
        State(D.ACCEPTED, "bg-azure-lt"),
        State(D.RELEASED, "bg-green-lt", terminal=True),
    ],
    actions=[
        Action(
            "accept",
            _("交付验收"),
            sources=[D.SHIPPED],
            target=D.ACCEPTED,
            permission="delivery.accept_delivery",
            service=f"{SERVICES}.delivery_accept",
            form=f"{FORMS}.AcceptForm",
            serializer=f"{SERIALIZERS}.DeliveryAcceptSerializer",
            event_type=EventType.ACCEPTED,
            success=_("验收已记录"),
            style="success",
            template="delivery/_accept_form.html",
            summary=_(
                "交付验收（DEL-3：装箱单、外观、安装调试、功能逐项结论；缺陷品以库存更换；客户在手机上签字，"
                "拒签须写原因）"
            ),
            errors={
                E.CHECKLIST_INCOMPLETE: E.CHECKLIST_INCOMPLETE.label,
                E.INSTALLATION_REQUIRED: E.INSTALLATION_REQUIRED.label,
                E.CHECK_FAILED: E.CHECK_FAILED.label,
                E.SIGNATURE_REQUIRED: E.SIGNATURE_REQUIRED.label,
                E.INVALID_SIGNATURE: E.INVALID_SIGNATURE.label,
                E.REPLACEMENT_INVALID: E.REPLACEMENT_INVALID.label,
                E.REPLACEMENT_NO_STOCK: E.REPLACEMENT_NO_STOCK.label,
            },
        ),
        Action(
            "record-training",
            _("登记客户培训"),
            sources=OPEN,
            stays=tuple(OPEN),
            permission="delivery.add_trainingrecord",
            service=f"{SERVICES}.delivery_record_training",
            form=f"{FORMS}.TrainingForm",
            serializer=f"{SERIALIZERS}.DeliveryTrainingSerializer",
            event_type=EventType.TRAINING_RECORDED,
            success=_("培训记录已登记"),
            style="outline-primary",
            template="delivery/_training_form.html",
            summary=_("登记客户培训记录（DEL-4：日期、培训人、受训人员、内容，客户签字或签名）"),
            errors={
                E.TRAINING_INCOMPLETE: E.TRAINING_INCOMPLETE.label,
                E.TRAINING_DATE_INVALID: E.TRAINING_DATE_INVALID.label,
                E.INVALID_SIGNATURE: E.INVALID_SIGNATURE.label,
            },
        ),
        Action(
            "report-incident",
            _("登记交付异常"),
            sources=OPEN,
            stays=tuple(OPEN),
            permission="delivery.add_deliveryincident",
            service=f"{SERVICES}.delivery_report_incident",
            form=f"{FORMS}.IncidentForm",
            serializer=f"{SERIALIZERS}.DeliveryIncidentInputSerializer",
            event_type=EventType.INCIDENT_REPORTED,
            success=_("交付异常已登记"),
            style="outline-warning",
            summary=_("登记运输延误、损坏等异常（DEL-2：告知客户的时间、方式与补救措施；未告知的按时限提醒）"),
            errors={
                E.INCIDENT_INVALID: E.INCIDENT_INVALID.label,
                E.INCIDENT_INFORM_INCOMPLETE: E.INCIDENT_INFORM_INCOMPLETE.label,
            },
        ),
        Action(
            "inform-customer",
            _("异常已告知客户"),
            sources=[*OPEN, D.RELEASED],
            stays=(*OPEN, D.RELEASED),
            permission="delivery.add_deliveryincident",
            service=f"{SERVICES}.delivery_inform_incident",
            form=f"{FORMS}.InformForm",
            serializer=f"{SERIALIZERS}.DeliveryInformSerializer",
            event_type=EventType.INCIDENT_INFORMED,
            success=_("已记录告知客户与补救措施"),
            style="outline-secondary",
            summary=_("登记某项交付异常已告知客户（时间、方式、补救措施，DEL-2）"),
            errors={
                E.INCIDENT_NOT_FOUND: E.INCIDENT_NOT_FOUND.label,
                E.INCIDENT_ALREADY_INFORMED: E.INCIDENT_ALREADY_INFORMED.label,
                E.INCIDENT_INFORM_INCOMPLETE: E.INCIDENT_INFORM_INCOMPLETE.label,
            },
        ),
        Action(
            "approve-concession",
            _("客户批准让步放行"),
            sources=OPEN,
            stays=tuple(OPEN),
            permission="delivery.approve_concession",
            service=f"{SERVICES}.delivery_approve_concession",
            form=f"{FORMS}.ConcessionForm",
            serializer=f"{SERIALIZERS}.DeliveryConcessionSerializer",
            event_type=EventType.CONCESSION_APPROVED,
            success=_("让步放行已批准"),
            style="outline-danger",
            confirm=_("让步放行须客户批准，且合法、可追回。确定批准？"),
            summary=_(
                "让步放行（DEL-6，004 §4.6.2：客户代表批准、理由，确认合法且可追溯追回；由经理批准，不能是发货人）"
            ),
            errors={
                E.CONCESSION_NOT_NEEDED: E.CONCESSION_NOT_NEEDED.label,
                E.CONCESSION_INCOMPLETE: E.CONCESSION_INCOMPLETE.label,
                E.CONCESSION_SELF_APPROVAL: E.CONCESSION_SELF_APPROVAL.label,
            },
        ),
        Action(
            "release",
            _("放行交付"),
            sources=OPEN,
            target=D.RELEASED,
            permission="delivery.release_delivery",
            service=f"{SERVICES}.delivery_release",
            # Issue 17: releases the order (delivered), books its receivables and schedules the follow-up and the
            # survey in the feedback app — several documents in one call (measured 87).
            max_queries=100,
            form=f"{FORMS}.NoteForm",
            serializer=f"{SERIALIZERS}.DeliveryNoteSerializer",
            event_type=EventType.RELEASED,
            success=_("已放行交付，已通知销售按合同回款"),
            style="primary",
            summary=_(
                "放行交付（DEL-6：验收合格并签字、合同要求的安装调试与培训均已完成，或有客户批准的让步；"
                "订单转为已交付，生成应收款 DEL-5，安排交付回访与满意度调查）"
            ),
            errors={E.RELEASE_BLOCKED: E.RELEASE_BLOCKED.label},
        ),
    ],
)
