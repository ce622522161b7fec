"""Delivery API: `/api/v1/deliveries/` — list and retrieve in the caller's scope (the order's unit; 404
otherwise), and the workflow's actions `accept`, `record-training`, `report-incident`, `inform-customer`,
`approve-concession`, `release` (POST, version in the body or `If-Match`; refusals 409 with a code).
Deliveries are created by the sales order's `ship` action (`/api/v1/sales-orders/{id}/ship/`)."""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, viewsets

from salesservice.core.api.mixins import OptimisticUpdateMixin, ScopedQuerysetMixin
from salesservice.core.api.viewsets import ERROR_RESPONSES, ActionPermissions
from salesservice.core.api.workflow import WorkflowActionsMixin

from ..filtersets import DeliveryFilterSet
from ..models import Delivery, DeliveryLine, Replacement
from ..workflows import DELIVERY_WORKFLOW
from . import serializers as s

TAGS = ["delivery"]


@extend_schema_view(
    list=extend_schema(tags=TAGS, summary="交付单列表（状态、发货日期、承运方；按单号/运单号/客户搜索）"),
    retrieve=extend_schema(tags=TAGS, responses={200: s.DeliverySerializer, **ERROR_RESPONSES}),
)
class DeliveryViewSet(
    WorkflowActionsMixin,
    ScopedQuerysetMixin,
    OptimisticUpdateMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    # No create: a delivery is made by shipping a sales order.
    permission_classes = [ActionPermissions]
    queryset = Delivery.objects.all()
    serializer_class = s.DeliverySerializer
    required_perms = {
        "list": ["delivery.view_delivery"],
        "retrieve": ["delivery.view_delivery"],
        "*": ["delivery.view_delivery"],
    }
    filterset_class = DeliveryFilterSet
    http_method_names = ["get", "post", "head", "options"]
    workflow = DELIVERY_WORKFLOW
    workflow_tags = TAGS
    workflow_response = s.DeliverySerializer

    def get_queryset(self):
        return (
            Delivery.objects.visible_to(self.request.user)
            .select_related("order", "customer", "warehouse")
            .prefetch_related(
                Prefetch("lines", queryset=DeliveryLine.objects.select_related("product", "lot")),
                Prefetch(
                    "replacements", queryset=Replacement.objects.select_related("defective_lot", "replacement_lot")
                ),
                "checks",
                "trainings",
                "incidents",
            )
        )

    def action_response(self, declared, obj, result):
        return self.respond(obj, declared.response_status)
