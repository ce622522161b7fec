"""Service desk pages (SRV-1 … SRV-11): the request list, intake, the request page with its actions,
the customer's acceptance page (tokenised link), the printable 服务单 and the knowledge base.

Each action is a POST that calls one service; a refusal (uncertified engineer, stopped provider,
illegal status move, stale version) comes back as a Chinese message and changes nothing.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from salesservice.catalog.models import Product
from salesservice.core import privacy
from salesservice.core.attachments import attachment_add, attachments_for
from salesservice.core.events import events_for
from salesservice.core.exceptions import DomainError
from salesservice.core.models import OrgUnit
from salesservice.core.scoping import visible_unit_ids
from salesservice.core.views.generic import Column, ListPageView
from salesservice.core.views.pages import audit_history

from . import selectors, services
from .choices import (
    Channel,
    KnowledgeStatus,
    ServiceCategory,
    ServiceRequestStatus,
)
from .desk_forms import (
    PublicAcceptanceForm,
    RequestIntakeForm,
)
from .errors import ServiceErrorCode
from .filtersets import KnowledgeArticleFilterSet, ServiceRequestFilterSet
from .models import ServiceRequest
from .workflows import REQUEST_WORKFLOW

S = ServiceRequestStatus


# --- list -------------------------------------------------------------------------------


def _status_badge(request: ServiceRequest):
    return REQUEST_WORKFLOW.badge(request.status)


def _deadline(request: ServiceRequest):
    from django.utils.html import format_html

    if not request.clock_running and not request.is_paused:
        return "—"
    due = request.escalation_due_at
    local = timezone.localtime(due).strftime("%m-%d %H:%M")
    if request.is_paused:
        return format_html('<span class="text-secondary">{} · {}</span>', local, _("暂停"))
    if due <= timezone.now():
        return format_html('<span class="text-danger fw-bold">{} · {}</span>', local, _("已超时"))
    return local


class RequestListView(ListPageView):
    """SRV-9: all requests in scope by time, type and responsible person; Excel export."""

    permission_required = "service.view_servicerequest"
    title = gettext_lazy("售后服务单")
    filterset_class = ServiceRequestFilterSet
    default_sort = "-received_at"
    export_filename = "service-requests"
    detail_url_name = "service:request-detail"
    actions = [
        (gettext_lazy("受理新请求"), "service:request-create", "service.add_servicerequest"),
        (gettext_lazy("统计"), "service:request-summary", "service.view_servicerequest"),
        (gettext_lazy("知识库"), "service:knowledge", "service.view_knowledgearticle"),
    ]
    columns = [
        Column(gettext_lazy("服务单号"), "number", sort="number", link=True),
        Column(gettext_lazy("受理时间"), "received_at", sort="received_at"),
        Column(gettext_lazy("客户"), "customer.name"),
        Column(gettext_lazy("门店"), "store.name"),
        Column(gettext_lazy("类别"), "get_category_display", sort="category"),
        Column(gettext_lazy("渠道"), "get_channel_display"),
        Column(gettext_lazy("状态"), _status_badge, sort="status", export="get_status_display"),
        Column(gettext_lazy("级别"), "get_escalation_level_display", sort="escalation_level"),
        Column(
            gettext_lazy("负责人"), lambda r: r.assignee.name if r.assignee else (r.provider.name if r.provider else "")
        ),
        Column(gettext_lazy("升级时限"), _deadline, sort="escalation_due_at", export="escalation_due_at"),
        Column(gettext_lazy("满意度"), "satisfaction"),
    ]

    def base_queryset(self):
        return ServiceRequest.objects.visible_to(self.request.user).select_related(
            "customer", "store", "assignee", "provider"
        )


# --- intake -----------------------------------------------------------------------------


@login_required
@permission_required("service.add_servicerequest", raise_exception=True)
def request_create(request):
    """SRV-1: log a hotline / walk-in / store request; quick-create the customer if new."""
    form = RequestIntakeForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            customer = data["customer"] or _quick_customer(request.user, data)
            created = services.service_request_create(
                actor=request.user,
                customer=customer,
                channel=data["channel"],
                category=data["category"],
                description=data["description"],
                product=data["product"],
                serial_number=data["serial_number"],
                purchase_date=data["purchase_date"],
                contact_name=data["contact_name"] or (customer.name if not data["customer"] else ""),
                contact_phone=data["contact_phone"] or data["new_customer_phone"],
                address=data["address"],
            )
            if data.get("attachment"):
                attachment_add(actor=request.user, target=created, file=data["attachment"], description=_("受理附件"))
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("已受理：%(number)s") % {"number": created.number})
            return redirect("service:request-detail", created.pk)
    return render(request, "service/desk/request_form.html", {"form": form, "title": _("受理服务请求")})


def _quick_customer(user, data):
    from salesservice.customers.services import customer_create

    units = visible_unit_ids(user)
    stores = OrgUnit.objects.filter(kind="store", is_active=True)
    if units is not None:
        stores = stores.filter(pk__in=units)
    store = stores.order_by("path").first()
    if store is None:
        raise DomainError(ServiceErrorCode.NO_STORE, _("您没有所属门店，无法快速建档，请选择已有客户"))
    return customer_create(
        actor=user,
        name=data["new_customer_name"],
        customer_type="individual",
        store=store,
        phone=data["new_customer_phone"],
    )


@login_required
@permission_required("service.add_servicerequest", raise_exception=True)
def customer_lookup(request):
    """htmx: up to 8 customers in scope matching what is typed; clicking one fills the box with its code."""
    from .desk_forms import customer_candidates

    query = request.GET.get("customer", "").strip()
    found = list(customer_candidates(request.user, query).select_related("store")[:8]) if len(query) >= 1 else []
    return render(request, "service/desk/_customer_candidates.html", {"customers": found, "query": query})


@login_required
@permission_required("service.add_servicerequest", raise_exception=True)
def customer_profile(request):
    """htmx (issue 12 §17): the picked customer's contact, phone and address (masked — left blank, the request
    takes them from the record) and the products of their earlier requests, one tap to choose."""
    from .desk_forms import customer_candidates

    code = request.GET.get("customer", "").strip()
    customer = customer_candidates(request.user, "").filter(code=code).select_related("store").first()
    if customer is None:
        return HttpResponse("")
    product_ids = (
        ServiceRequest.objects.visible_to(request.user)
        .filter(customer=customer, product__isnull=False, product__is_active=True)
        .order_by("-received_at")
        .values_list("product_id", flat=True)[:20]
    )
    seen = list(dict.fromkeys(product_ids))[:5]
    products = sorted(Product.objects.filter(pk__in=seen), key=lambda product: seen.index(product.pk))
    context = {
        "customer": customer,
        "masked_phone": privacy.mask_phone(customer.phone),
        "masked_address": privacy.mask_text(customer.address),
        "products": products,
    }
    return render(request, "service/desk/_customer_profile.html", context)


@login_required
def similar_articles(request):
    """htmx: knowledge-base articles similar to what is being typed (SRV-3 / 001 第七条 7)."""
    text = request.GET.get("description", "") or request.GET.get("text", "")
    articles = services.similar_articles(text, limit=5) if len(text.strip()) >= 2 else []
    return render(request, "service/desk/_similar.html", {"articles": articles})


# --- the request page -------------------------------------------------------------------


def _visible_request(request, pk, *, lock=False) -> ServiceRequest:
    if not request.user.has_perm("service.view_servicerequest"):
        raise PermissionDenied
    return get_object_or_404(
        ServiceRequest.objects.visible_to(request.user).select_related(
            "customer", "store", "product", "product__category", "assignee", "provider"
        ),
        pk=pk,
    )


@login_required
def request_detail(request, pk):
    """The request's page: its data, SLA clocks, the actions the user may take now (from the workflow),
    work records, acceptances, related records of other apps, timeline and field history."""
    service_request = _visible_request(request, pk)
    user = request.user
    context = {
        "sr": service_request,
        "title": f"{service_request.number} · {service_request.customer.name}",
        "now": timezone.now(),
        "breaches": service_request.sla_breaches.order_by("breached_at"),
        "escalations": service_request.escalations.order_by("at"),
        "work_records": service_request.work_records.select_related("recorded_by")
        .prefetch_related("custody_items")
        .order_by("visited_at"),
        "acceptances": service_request.acceptances.select_related("recorded_by").order_by("accepted_at"),
        "attachments": attachments_for(service_request),
        "masked_phone": privacy.mask_phone(service_request.contact_phone),
        "masked_address": privacy.mask_text(service_request.address),
        "can_reveal": privacy.can_reveal(user, service_request),
        "timeline": events_for(service_request, 100),
        "acceptance_share": _acceptance_share(request, service_request),
        **audit_history(service_request),
    }
    return render(request, "service/desk/request_detail.html", context)


@login_required
@require_POST
def request_reveal(request, pk, field):
    from django.utils.html import format_html

    service_request = _visible_request(request, pk)
    try:
        value = privacy.reveal(actor=request.user, obj=service_request, field=field)
    except DomainError as error:
        return HttpResponse(format_html('<span class="text-danger">{}</span>', error.message), status=403)
    return HttpResponse(format_html('<span class="revealed">{}</span>', value))


ACCEPTANCE_SHARE = "service:acceptance-link:%s"


def show_acceptance_link(request, service_request, token):
    """After `acceptance-link`: show the one-time link to send to the customer (the token is shown only now) —
    on the record page with a copy button and a QR code to scan (issue 12 §16), at the address customers
    reach (`core.links.public_url`: PUBLIC_BASE_URL, else the host staff use — not localhost)."""
    from salesservice.core.links import public_url

    url = public_url(reverse("service:acceptance", args=[token]), request)
    request.session[ACCEPTANCE_SHARE % service_request.pk] = url
    messages.info(request, _("验收链接（发送给客户）：%(url)s") % {"url": url}, extra_tags="acceptance-link")


def _acceptance_share(request, service_request) -> dict | None:
    """The link just made, shown once on the record page (then gone: the token is not stored)."""
    from salesservice.core.links import qr_svg

    url = request.session.pop(ACCEPTANCE_SHARE % service_request.pk, None)
    if not url:
        return None
    return {
        "share_id": "acceptance-share",
        "share_title": _("客户验收链接"),
        "share_url": url,
        "share_qr": qr_svg(url),
        "share_hint": _("请客户用手机扫码，或复制链接通过短信、微信发送；链接 72 小时内有效，仅可提交一次。"),
    }


def open_knowledge_draft(request, service_request, article):
    """After `to-knowledge`: open the new draft."""
    messages.success(request, _("已生成知识库草稿"))
    return redirect("service:knowledge-detail", article.pk)


def letterhead_of(unit) -> list[str]:
    """The issuing store on the 服务单's letterhead: its name, address and phone, and the service hotline."""
    from django.conf import settings

    contact = [
        unit.name,
        _("地址：%(address)s") % {"address": unit.address} if unit.address else "",
        _("电话：%(phone)s") % {"phone": unit.phone} if unit.phone else "",
        _("服务热线：%(hotline)s") % {"hotline": settings.SERVICE_HOTLINE} if settings.SERVICE_HOTLINE else "",
    ]
    return ["　".join(part for part in contact if part)]


@login_required
def request_report(request, pk):
    """The printable 服务单 (SRV-8, 001 第十四/十五条) with the customer's signature."""
    from salesservice.core.pdf import Document, render_document

    sr = _visible_request(request, pk)
    doc = Document(title=_("售后服务单"), number=sr.number, letterhead=letterhead_of(sr.store))
    doc.fields(
        [
            (_("客户"), sr.customer.name),
            (_("门店"), sr.store.name),
            (_("联系人"), sr.contact_name),
            (_("联系电话"), privacy.mask_phone(sr.contact_phone)),
            (_("渠道"), sr.get_channel_display()),
            (_("服务类别"), sr.get_category_display()),
            (_("商品"), f"{sr.product.code} {sr.product.name}" if sr.product else ""),
            (_("序列号/批号"), sr.serial_number or sr.batch_number),
            (_("保修状态"), sr.warranty_status_label),
            (_("状态"), sr.get_status_display()),
            (_("受理时间"), sr.received_at),
            (_("结案时间"), sr.closed_at),
            (_("负责工程师"), sr.assignee.name if sr.assignee else ""),
            (_("外协网点"), sr.provider.name if sr.provider else ""),
        ],
        title=_("基本信息"),
    )
    doc.text(_("问题描述"), sr.description)
    doc.table(
        _("服务记录"),
        [_("时间"), _("措施"), _("维修前"), _("维修后"), _("配件")],
        [
            [
                w.visited_at,
                w.measures,
                "；".join(v for v in (w.condition_before or {}).values() if v),
                "；".join(v for v in (w.condition_after or {}).values() if v),
                w.parts_used,
            ]
            for w in sr.work_records.order_by("visited_at")
        ],
    )
    doc.fields([(_("原因分析"), sr.root_cause), (_("解决方案"), sr.solution)], title=_("处理结果"))
    acceptance = sr.acceptances.filter(accepted=True).order_by("-accepted_at").first()
    signature = None
    if acceptance is not None and acceptance.signature:
        with acceptance.signature.open("rb") as handle:
            signature = handle.read()
    caption = ""
    if acceptance is not None:
        caption = _("%(name)s · %(method)s · 满意度 %(rating)s · %(at)s") % {
            "name": acceptance.signer_name or sr.customer.name,
            "method": acceptance.get_method_display(),
            "rating": acceptance.rating or "—",
            "at": timezone.localtime(acceptance.accepted_at).strftime("%Y-%m-%d %H:%M"),
        }
    doc.signature(_("客户签字确认"), signature, caption)
    response = HttpResponse(render_document(doc), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{sr.number}.pdf"'
    return response


# --- the customer's acceptance page (no login) ------------------------------------------


def acceptance_page(request, token):
    """SRV-6: the customer confirms the result on a mobile page: signature, 1–5 rating, comment."""
    try:
        link = services.acceptance_link_lookup(token)
    except DomainError as error:
        return render(request, "service/desk/acceptance.html", {"error": error.message}, status=410)
    sr = link.request
    form = PublicAcceptanceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.acceptance_by_token(
                token,
                accepted=data["decision"] == "accept",
                rating=data["rating"],
                comment=data["comment"],
                signer_name=data["signer_name"],
                signature_data_url=data["signature"],
                rejection_reason=data["rejection_reason"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            return render(
                request,
                "service/desk/acceptance.html",
                {"done": True, "accepted": data["decision"] == "accept", "sr": sr},
            )
    return render(
        request,
        "service/desk/acceptance.html",
        {"sr": sr, "form": form, "work_records": sr.work_records.order_by("visited_at"), "link": link},
    )


# --- knowledge base ---------------------------------------------------------------------


class KnowledgeListView(ListPageView):
    permission_required = "service.view_knowledgearticle"
    title = gettext_lazy("知识库")
    filterset_class = KnowledgeArticleFilterSet
    default_sort = "-published_at"
    export_filename = "knowledge"
    detail_url_name = "service:knowledge-detail"
    columns = [
        Column(gettext_lazy("标题"), "title", sort="title", link=True),
        Column(gettext_lazy("服务类别"), "get_service_category_display", sort="service_category"),
        Column(gettext_lazy("商品分类"), "product_category.name"),
        Column(gettext_lazy("状态"), "get_status_display", sort="status"),
        Column(gettext_lazy("发布时间"), "published_at", sort="published_at"),
    ]

    def base_queryset(self):
        queryset = selectors.knowledge_article_list(self.request.user)
        if not self.request.user.has_perm("service.add_knowledgearticle"):
            queryset = queryset.filter(status=KnowledgeStatus.PUBLISHED)
        return queryset


@login_required
@permission_required("service.view_knowledgearticle", raise_exception=True)
def knowledge_detail(request, pk):
    queryset = selectors.knowledge_article_list(request.user)
    if not request.user.has_perm("service.add_knowledgearticle"):
        queryset = queryset.filter(status=KnowledgeStatus.PUBLISHED)
    article = get_object_or_404(queryset, pk=pk)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "save":
                services.knowledge_article_update(
                    actor=request.user,
                    article_id=article.pk,
                    expected_version=int(request.POST.get("version") or 0),
                    title=request.POST.get("title", "").strip(),
                    body=request.POST.get("body", "").strip(),
                )
                messages.success(request, _("已保存"))
        except DomainError as error:
            messages.error(request, error.message)
        return redirect("service:knowledge-detail", article.pk)
    return render(
        request,
        "service/desk/knowledge_detail.html",
        {
            "article": article,
            "title": article.title,
            "can_edit": request.user.has_perm("service.change_knowledgearticle"),
            **audit_history(article),
        },
    )


# --- archive summary (SRV-9: by time, type and responsible person) ------------------------

SUMMARY_GROUPS = {
    "month": (gettext_lazy("受理月份"), "month"),
    "category": (gettext_lazy("服务类别"), "category"),
    "assignee": (gettext_lazy("负责工程师"), "assignee__display_name"),
    "store": (gettext_lazy("门店"), "store__name"),
    "channel": (gettext_lazy("渠道"), "channel"),
}


@login_required
@permission_required("service.view_servicerequest", raise_exception=True)
def request_summary(request):
    """What a manager asks first (issue 12 §18), by store, engineer, month, category or channel, within the
    user's scope and the chosen dates: requests, closed, first contact on time % (SRV-2), resolved within
    24 h %, escalations, requests with an SLA breach, average satisfaction — as a table, two charts and Excel."""
    import datetime as dt

    from django.db.models import Avg, Count, Exists, F, OuterRef
    from django.db.models.functions import TruncMonth

    from .models import SlaBreach

    group = request.GET.get("group", "store")
    if group not in SUMMARY_GROUPS:
        group = "store"
    label, key = SUMMARY_GROUPS[group]
    queryset = ServiceRequest.objects.visible_to(request.user)
    filters = ServiceRequestFilterSet(request.GET or None, queryset=queryset, request=request)
    for field in filters.form.fields.values():  # styled like every other form
        css = "form-select" if hasattr(field.widget, "choices") else "form-control"
        field.widget.attrs.setdefault("class", css)
    queryset = filters.qs.annotate(
        month=TruncMonth("received_at"),
        breached=Exists(SlaBreach.objects.filter(request=OuterRef("pk"))),
    )
    rows = (
        queryset.values(key)
        .annotate(
            total=Count("pk"),
            closed=Count("pk", filter=Q(status=S.CLOSED)),
            contacted=Count("pk", filter=Q(first_contacted_at__isnull=False)),
            contacted_on_time=Count("pk", filter=Q(first_contacted_at__lte=F("first_contact_due_at"))),
            resolved=Count("pk", filter=Q(resolved_at__isnull=False)),
            resolved_24h=Count("pk", filter=Q(resolved_at__lte=F("received_at") + dt.timedelta(hours=24))),
            escalated=Count("pk", filter=Q(escalation_level__gt=0)),
            breached_count=Count("pk", filter=Q(breached=True)),
            satisfaction=Avg("satisfaction"),
        )
        .order_by(key)
    )
    display = {
        "category": dict(ServiceCategory.choices),
        "channel": dict(Channel.choices),
    }.get(group, {})

    def percent(part, whole):
        return round(100 * part / whole, 1) if whole else None

    table = []
    for row in rows:
        value = row[key]
        if group == "month" and value is not None:
            value = timezone.localtime(value).strftime("%Y-%m")
        table.append(
            {
                "group": str(display.get(value, value) or _("（未指定）")),
                "total": row["total"],
                "closed": row["closed"],
                "on_time": percent(row["contacted_on_time"], row["contacted"]),
                "resolved_24h": percent(row["resolved_24h"], row["resolved"]),
                "escalated": row["escalated"],
                "breached": row["breached_count"],
                "satisfaction": round(row["satisfaction"], 2) if row["satisfaction"] is not None else None,
            }
        )
    if request.GET.get("export") == "xlsx":
        return _summary_xlsx(label, table)
    chart = {
        "groups": [row["group"] for row in table],
        "totals": [row["total"] for row in table],
        "closed": [row["closed"] for row in table],
        "on_time": [row["on_time"] for row in table],
        "resolved_24h": [row["resolved_24h"] for row in table],
        "labels": {
            "total": str(_("服务单数")),
            "closed": str(_("已结案")),
            "on_time": str(_("首次联系准时率 %")),
            "resolved_24h": str(_("24 小时内解决率 %")),
        },
    }
    return render(
        request,
        "service/desk/summary.html",
        {
            "title": _("服务单统计"),
            "table": table,
            "chart": chart,
            "group": group,
            "groups": [(k, v[0]) for k, v in SUMMARY_GROUPS.items()],
            "group_label": label,
            "filterset": filters,
            "query": request.GET.urlencode(),
        },
    )


SUMMARY_COLUMNS = [
    ("total", gettext_lazy("服务单数")),
    ("closed", gettext_lazy("已结案")),
    ("on_time", gettext_lazy("首次联系准时率 %")),
    ("resolved_24h", gettext_lazy("24 小时内解决率 %")),
    ("escalated", gettext_lazy("升级")),
    ("breached", gettext_lazy("有超时记录")),
    ("satisfaction", gettext_lazy("平均满意度")),
]


def _summary_xlsx(label, table):
    from io import BytesIO

    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(str(_("服务单统计")))
    sheet.append([str(label), *[str(title) for _key, title in SUMMARY_COLUMNS]])
    for row in table:
        sheet.append([str(row["group"]), *[row[key] for key, _title in SUMMARY_COLUMNS]])
    buffer = BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="service-summary.xlsx"'
    return response
