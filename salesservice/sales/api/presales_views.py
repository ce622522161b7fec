"""Pre-sales API: `/api/v1/inquiries/` (actions `answer`, `route`, `close`; `reveal` of the prospect's phone),
`/api/v1/product-claims/` (`approve`, `reject`, `withdraw`), `/api/v1/tenders/` (`report`, `bid`, `award`,
`withdraw`), `/api/v1/rep-authorisations/` (`revoke`) and `/api/v1/sales-plans/` (`approve`). Reads in the
caller's scope (404 otherwise; claims are company-wide); creates take `Idempotency-Key`; every state change is
a POST action calling one service with the version the caller saw (body `version` or `If-Match`); refusals are
409 with a code (PRE-2 self-approval, SAL-3 bid before report, SAL-4 self-approval …)."""

from django.db.models import Prefetch
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from salesservice.core import privacy
from salesservice.core.api.mixins import IDEMPOTENCY_HEADER
from salesservice.core.api.viewsets import ERROR_RESPONSES, FORBIDDEN, ActionDocumentViewSet
from salesservice.core.api.workflow import WorkflowActionsMixin, version_from

from .. import presales as services
from ..models import Inquiry, ProductClaim, RepAuthorisation, SalesPlan, Tender
from ..presales_errors import PresalesErrorCode as E
from ..presales_filtersets import (
    InquiryFilterSet,
    ProductClaimFilterSet,
    RepAuthorisationFilterSet,
    SalesPlanFilterSet,
    TenderFilterSet,
)
from ..presales_workflows import CLAIM_WORKFLOW, INQUIRY_WORKFLOW, TENDER_WORKFLOW
from . import presales_serializers as s

TAGS = ["sales"]


def _conflicts(*codes) -> dict:
    text = "；".join(["`conflict.stale`（版本过期）", *(f"`{code}`（{code.label}）" for code in codes)])
    return {**FORBIDDEN, **ERROR_RESPONSES, 409: OpenApiResponse(description=text)}


def _create_schema(summary, request, response):
    return extend_schema(
        tags=TAGS,
        summary=summary,
        request=request,
        responses={201: response, **FORBIDDEN, **ERROR_RESPONSES},
        parameters=[IDEMPOTENCY_HEADER],
    )


@extend_schema_view(
    list=extend_schema(tags=TAGS, summary="客户咨询列表（状态、方式、部门、超时筛选；电话脱敏）"),
    retrieve=extend_schema(tags=TAGS, responses={200: s.InquirySerializer, **ERROR_RESPONSES}),
    create=_create_schema(
        "登记客户咨询（PRE-1：已有客户或咨询人+电话；需求、特殊要求；转交部门；答复时限自动计算）",
        s.InquiryCreateSerializer,
        s.InquirySerializer,
    ),
)
class InquiryViewSet(WorkflowActionsMixin, ActionDocumentViewSet):
    queryset = Inquiry.objects.all()
    serializer_class = s.InquirySerializer
    required_perms = {
        "list": ["sales.view_inquiry"],
        "retrieve": ["sales.view_inquiry"],
        "create": ["sales.add_inquiry"],
        "*": ["sales.view_inquiry"],
    }
    filterset_class = InquiryFilterSet
    http_method_names = ["get", "post", "head", "options"]
    workflow = INQUIRY_WORKFLOW
    workflow_tags = TAGS
    workflow_response = s.InquirySerializer

    def get_queryset(self):
        return Inquiry.objects.visible_to(self.request.user).select_related("customer", "product")

    def action_response(self, declared, obj, result):
        return self.respond(obj, declared.response_status)

    def create_object(self, request):
        data = s.InquiryCreateSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        values = {key: value for key, value in data.validated_data.items() if value is not None}
        return self.respond(services.inquiry_create(actor=request.user, **values), status.HTTP_201_CREATED)

    @extend_schema(
        tags=TAGS,
        summary="查看咨询人的完整电话（记入个人信息访问记录）",
        request=s.PresalesRevealRequestSerializer,
        responses={200: s.PresalesRevealResponseSerializer, **FORBIDDEN, **ERROR_RESPONSES},
    )
    @action(detail=True, methods=["post"])
    def reveal(self, request, pk=None):
        """Reveal the prospect's full phone; each reveal is written to the access log."""
        inquiry = self.get_object()
        data = s.PresalesRevealRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        field = data.validated_data["field"]
        value = privacy.reveal(
            actor=request.user, obj=inquiry, field=field, purpose=data.validated_data.get("purpose", "")
        )
        return Response({"field": field, "value": value})


@extend_schema_view(
    list=extend_schema(tags=TAGS, summary="产品宣传用语列表（只有已批准的可向客户展示，PRE-2）"),
    retrieve=extend_schema(tags=TAGS, responses={200: s.ProductClaimSerializer, **ERROR_RESPONSES}),
    create=_create_schema(
        "提交产品宣传用语（PRE-2：待质量部审核）", s.ProductClaimCreateSerializer, s.ProductClaimSerializer
    ),
)
class ProductClaimViewSet(WorkflowActionsMixin, ActionDocumentViewSet):
    queryset = ProductClaim.objects.all()
    serializer_class = s.ProductClaimSerializer
    required_perms = {
        "list": ["sales.view_productclaim"],
        "retrieve": ["sales.view_productclaim"],
        "create": ["sales.add_productclaim"],
        "*": ["sales.view_productclaim"],
    }
    filterset_class = ProductClaimFilterSet
    http_method_names = ["get", "post", "head", "options"]
    workflow = CLAIM_WORKFLOW
    workflow_tags = TAGS
    workflow_response = s.ProductClaimSerializer

    def get_queryset(self):
        # Claims belong to a product, not an org unit: company-wide for whoever may view them.
        return ProductClaim.objects.select_related("product")

    def action_response(self, declared, obj, result):
        return self.respond(obj, declared.response_status)

    def create_object(self, request):
        data = s.ProductClaimCreateSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        return self.respond(services.claim_submit(actor=request.user, **data.validated_data), status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(tags=TAGS, summary="招投标列表（SAL-3）"),
    retrieve=extend_schema(tags=TAGS, responses={200: s.TenderSerializer, **ERROR_RESPONSES}),
    create=_create_schema("登记招标项目（SAL-3：须报总经理后才能投标）", s.TenderCreateSerializer, s.TenderSerializer),
)
class TenderViewSet(WorkflowActionsMixin, ActionDocumentViewSet):
    queryset = Tender.objects.all()
    serializer_class = s.TenderSerializer
    required_perms = {
        "list": ["sales.view_tender"],
        "retrieve": ["sales.view_tender"],
        "create": ["sales.add_tender"],
        "*": ["sales.view_tender"],
    }
    filterset_class = TenderFilterSet
    http_method_names = ["get", "post", "head", "options"]
    workflow = TENDER_WORKFLOW
    workflow_tags = TAGS
    workflow_response = s.TenderSerializer

    def get_queryset(self):
        from ..models import Contract

        return (
            Tender.objects.visible_to(self.request.user)
            .select_related("customer")
            .prefetch_related(Prefetch("contracts", queryset=Contract.objects.only("id", "number", "status", "tender")))
        )

    def action_response(self, declared, obj, result):
        return self.respond(obj, declared.response_status)

    def create_object(self, request):
        data = s.TenderCreateSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        values = {key: value for key, value in data.validated_data.items() if value is not None or key == "budget"}
        return self.respond(services.tender_create(actor=request.user, **values), status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(tags=TAGS, summary="销售授权书列表（今日有效、N 天内到期筛选；BUY-2）"),
    retrieve=extend_schema(tags=TAGS, responses={200: s.RepAuthorisationSerializer, **ERROR_RESPONSES}),
    create=_create_schema(
        "签发销售授权书（BUY-2：授权范围、有效期）", s.RepAuthorisationCreateSerializer, s.RepAuthorisationSerializer
    ),
)
class RepAuthorisationViewSet(ActionDocumentViewSet):
    queryset = RepAuthorisation.objects.all()
    serializer_class = s.RepAuthorisationSerializer
    required_perms = {
        "list": ["sales.view_repauthorisation"],
        "retrieve": ["sales.view_repauthorisation"],
        "create": ["sales.add_repauthorisation"],
        "revoke": ["sales.change_repauthorisation"],
        "*": ["sales.view_repauthorisation"],
    }
    filterset_class = RepAuthorisationFilterSet
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        return RepAuthorisation.objects.visible_to(self.request.user).select_related("rep")

    def _out(self, obj, code=status.HTTP_200_OK):
        return Response(s.RepAuthorisationSerializer(self.get_queryset().get(pk=obj.pk)).data, status=code)

    def create_object(self, request):
        data = s.RepAuthorisationCreateSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        values = {key: value for key, value in data.validated_data.items() if value is not None}
        return self._out(services.authorisation_issue(actor=request.user, **values), status.HTTP_201_CREATED)

    @extend_schema(
        tags=TAGS,
        summary="收回授权书（BUY-2，须写明原因）",
        request=s.PresalesReasonSerializer,
        responses={200: s.RepAuthorisationSerializer, **_conflicts(E.AUTHORISATION_REVOKED)},
    )
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        letter = self.get_object()
        data = s.PresalesReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        version = version_from(request, values)
        revoked = services.authorisation_revoke(
            actor=request.user, authorisation_id=letter.pk, expected_version=version, **values
        )
        return self._out(revoked)


@extend_schema_view(
    list=extend_schema(tags=TAGS, summary="年度销售计划列表（SAL-4）"),
    retrieve=extend_schema(tags=TAGS, responses={200: s.SalesPlanDetailSerializer, **ERROR_RESPONSES}),
    create=_create_schema(
        "编制年度销售计划（SAL-4：上年实际由订单计算；12 个月度目标默认平均分配）",
        s.SalesPlanCreateSerializer,
        s.SalesPlanDetailSerializer,
    ),
)
class SalesPlanViewSet(ActionDocumentViewSet):
    queryset = SalesPlan.objects.all()
    serializer_class = s.SalesPlanSerializer
    required_perms = {
        "list": ["sales.view_salesplan"],
        "retrieve": ["sales.view_salesplan"],
        "create": ["sales.add_salesplan"],
        "approve": ["sales.approve_salesplan"],
        "*": ["sales.view_salesplan"],
    }
    filterset_class = SalesPlanFilterSet
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        return SalesPlan.objects.visible_to(self.request.user).select_related("org_unit").prefetch_related("months")

    def get_serializer_class(self):
        return s.SalesPlanSerializer if self.action == "list" else s.SalesPlanDetailSerializer

    def _out(self, obj, code=status.HTTP_200_OK):
        return Response(s.SalesPlanDetailSerializer(self.get_queryset().get(pk=obj.pk)).data, status=code)

    def create_object(self, request):
        data = s.SalesPlanCreateSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        values["months"] = values.get("months") or None
        return self._out(services.plan_create(actor=request.user, **values), status.HTTP_201_CREATED)

    @extend_schema(
        tags=TAGS,
        summary="批准年度销售计划（SAL-4：总经理；不能批准自己编制的）",
        request=s.PresalesNoteSerializer,
        responses={200: s.SalesPlanDetailSerializer, **_conflicts(E.PLAN_SELF_APPROVAL, E.PLAN_APPROVED)},
    )
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        plan = self.get_object()
        data = s.PresalesNoteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        version = version_from(request, values)
        approved = services.plan_approve(actor=request.user, plan_id=plan.pk, expected_version=version, **values)
        return self._out(approved)
