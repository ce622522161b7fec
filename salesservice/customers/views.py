"""Customer pages: list with pinyin search, detail with tabs, forms, reveal, export, anonymise, import,
and the customer-property register. Each view parses input, calls one service, renders the result.

An item of customer property is shown on its customer's page; its actions (return, report an incident) and
its status badge come from `PROPERTY_WORKFLOW` (workflows.py), handled by the kernel's page action view.
"""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from salesservice.core import privacy
from salesservice.core.exceptions import DomainError
from salesservice.core.models import Attachment, PersonalDataAccess
from salesservice.core.views.generic import Column, ImportPageView, ListPageView
from salesservice.core.views.pages import audit_history

from . import services
from .choices import QualificationState
from .filtersets import CustomerFilterSet, PropertyFilterSet
from .forms import ConsentForm, ContactForm, CustomerForm, PropertyForm, QualificationForm
from .imports import customer_import_spec
from .models import Consent, Contact, Customer, CustomerProperty, PropertyIncident, Qualification
from .selectors import customer_list
from .workflows import PROPERTY_WORKFLOW

EXPORT_PERMISSION = "customers.export_customer_data"


def _require(request, perm):
    if not request.user.has_perm(perm):
        raise PermissionDenied


def _tags_text(customer):
    return "、".join(tag.name for tag in customer.tags.all())


# --- list -------------------------------------------------------------------------------


class CustomerListView(ListPageView):
    """客户列表: search by Chinese / pinyin / initials, filters, masked phone, Excel export (INF-1)."""

    permission_required = "customers.view_customer"
    title = gettext_lazy("客户")
    filterset_class = CustomerFilterSet
    default_sort = "-id"
    export_filename = "customers"
    detail_url_name = "customers:customer-detail"
    actions = [
        (gettext_lazy("新建客户"), "customers:customer-create", "customers.add_customer"),
        (gettext_lazy("导入"), "customers:customer-import", "customers.add_customer"),
        (gettext_lazy("顾客财产登记簿"), "customers:property-register", "customers.view_customerproperty"),
    ]

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        # Export carries full values only for readers allowed to export personal data (each row logged).
        self.full_export = request.user.has_perm(EXPORT_PERMISSION)
        personal = (lambda c: c.phone) if self.full_export else (lambda c: privacy.mask_phone(c.phone))
        self.columns = [
            Column(gettext_lazy("编码"), "code", sort="code", link=True),
            Column(gettext_lazy("名称"), "name", sort="pinyin_full", link=True),
            Column(gettext_lazy("类型"), "get_customer_type_display", sort="customer_type"),
            Column(gettext_lazy("门店"), "store.name", sort="store__name"),
            Column(gettext_lazy("负责销售"), lambda c: c.sales_rep.name if c.sales_rep_id else ""),
            Column(gettext_lazy("重点客户"), lambda c: _("是") if c.is_key_account else "", sort="is_key_account"),
            Column(gettext_lazy("标签"), _tags_text),
            Column(gettext_lazy("电话"), lambda c: privacy.mask_phone(c.phone), export=personal),
        ]

    def base_queryset(self):
        return customer_list(self.request.user)

    def export_xlsx(self, queryset):
        response = super().export_xlsx(queryset)
        if self.full_export:
            content_type = ContentType.objects.get_for_model(Customer)
            ids = list(queryset.exclude(phone="").values_list("pk", flat=True))
            PersonalDataAccess.objects.bulk_create(
                [
                    PersonalDataAccess(
                        user=self.request.user,
                        target_type=content_type,
                        target_id=str(pk),
                        field="phone",
                        purpose=_("导出客户列表"),
                        remote_addr=self.request.META.get("REMOTE_ADDR"),
                        via="web",
                    )
                    for pk in ids
                ],
                batch_size=1000,
            )
        return response


class PropertyRegisterView(ListPageView):
    """顾客财产登记簿: everything customers entrusted to the visible stores (CPR-1)."""

    permission_required = "customers.view_customerproperty"
    title = gettext_lazy("顾客财产登记簿")
    filterset_class = PropertyFilterSet
    default_sort = "-received_at"
    export_filename = "customer-property"
    columns = [
        Column(gettext_lazy("客户"), "customer.name", sort="customer__name"),
        Column(gettext_lazy("类别"), "get_kind_display", sort="kind"),
        Column(gettext_lazy("名称/描述"), "description"),
        Column(gettext_lazy("标识/序列号"), "identifier", sort="identifier"),
        Column(gettext_lazy("接收时间"), "received_at", sort="received_at"),
        Column(gettext_lazy("存放位置"), "location"),
        Column(gettext_lazy("保管人"), lambda p: p.holder.name if p.holder_id else ""),
        Column(
            gettext_lazy("状态"),
            lambda p: PROPERTY_WORKFLOW.badge(p.status),
            sort="status",
            export="get_status_display",
        ),
    ]

    def base_queryset(self):
        return CustomerProperty.objects.visible_to(self.request.user).select_related("customer", "holder")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["detail_url_name"] = None
        return context


class CustomerImportView(ImportPageView):
    permission_required = "customers.add_customer"
    title = gettext_lazy("导入客户")
    back_url_name = "customers:customers"

    def get_spec(self):
        return customer_import_spec()


# --- detail -----------------------------------------------------------------------------


STATE_BADGES = {
    QualificationState.VALID: "bg-green-lt",
    QualificationState.EXPIRING: "bg-yellow-lt",
    QualificationState.EXPIRED: "bg-red-lt",
    QualificationState.NOT_YET_VALID: "bg-secondary-lt",
}
TABS = [
    ("basic", gettext_lazy("基本信息")),
    ("contacts", gettext_lazy("联系人")),
    ("qualifications", gettext_lazy("购货资格")),
    ("property", gettext_lazy("顾客财产")),
    ("consents", gettext_lazy("同意记录")),
    ("purchases", gettext_lazy("购买记录")),
    ("services", gettext_lazy("服务记录")),
    ("history", gettext_lazy("变更记录")),
]


def _detail_queryset(user):
    return customer_list(user)


@login_required
def customer_detail(request, pk):
    """The customer file with its tabs; personal data masked with a 显示 button per value."""
    _require(request, "customers.view_customer")
    customer = get_object_or_404(_detail_queryset(request.user), pk=pk)
    user = request.user
    today = timezone.localdate()
    reminder_days = services.qualification_reminder_days()
    can_reveal = privacy.can_reveal(user, customer)
    contacts = list(customer.contacts.all())
    qualifications = []
    if user.has_perm("customers.view_qualification"):
        items = list(Qualification.objects.filter(customer=customer).select_related("verified_by"))
        files = {}
        if items:
            content_type = ContentType.objects.get_for_model(Qualification)
            for attachment in Attachment.objects.filter(
                target_type=content_type, target_id__in=[str(q.pk) for q in items]
            ):
                files.setdefault(attachment.target_id, []).append(attachment)
        for q in items:
            state = q.state_on(today, reminder_days)
            badge = STATE_BADGES[state]
            qualifications.append((q, state, QualificationState(state).label, badge, files.get(str(q.pk), [])))
    property_items = []
    if user.has_perm("customers.view_customerproperty"):
        property_items = list(
            CustomerProperty.objects.filter(customer=customer)
            .select_related("holder")
            .prefetch_related(Prefetch("incidents", queryset=PropertyIncident.objects.select_related("reported_by")))
        )
    consents = []
    if user.has_perm("customers.view_consent"):
        consents = list(Consent.objects.filter(customer=customer).select_related("recorded_by", "withdrawn_by"))
    personal = [
        ("phone", _("电话"), privacy.mask_phone(customer.phone), customer.phone),
        ("email", _("邮箱"), privacy.mask_email(customer.email), customer.email),
        ("address", _("地址"), privacy.mask_text(customer.address), customer.address),
        ("id_number", _("证件号码"), privacy.mask_id_number(customer.id_number), customer.id_number),
    ]
    context = {
        "customer": customer,
        "title": customer.name,
        "tab": request.GET.get("tab", "basic"),
        "personal": personal,
        "can_reveal": can_reveal,
        "contacts": [
            (c, privacy.mask_phone(c.phone), privacy.mask_email(c.email), privacy.mask_text(c.address))
            for c in contacts
        ],
        "qualifications": qualifications,
        "tab_list": TABS,
        "property_items": property_items,
        "consents": consents,
        "perms_flags": {
            "edit": user.has_perm("customers.change_customer") and not customer.is_anonymised,
            "add_qualification": user.has_perm("customers.add_qualification") and not customer.is_anonymised,
            "add_property": user.has_perm("customers.add_customerproperty") and not customer.is_anonymised,
            "add_consent": user.has_perm("customers.add_consent") and not customer.is_anonymised,
            "withdraw_consent": user.has_perm("customers.change_consent"),
            "export": user.has_perm(EXPORT_PERMISSION),
            "anonymise": user.has_perm("customers.anonymise_customer") and not customer.is_anonymised,
        },
        "contact_form": ContactForm(),
        "qualification_form": QualificationForm(),
        "property_form": PropertyForm(),
        "consent_form": ConsentForm(),
        **audit_history(customer),
    }
    return render(request, "customers/customer_detail.html", context)


def _back(customer_pk, tab):
    return redirect(reverse("customers:customer-detail", args=[customer_pk]) + f"?tab={tab}")


def _form_errors(form) -> str:
    return "；".join(
        f"{form.fields[f].label if f in form.fields else ''} {' '.join(e)}".strip() for f, e in form.errors.items()
    )


# --- create / edit ----------------------------------------------------------------------


def _form_values(form) -> dict:
    data = dict(form.cleaned_data)
    data.pop("version", None)
    data["tags"] = services.parse_tags(data.get("tags") or "")
    return data


@login_required
def customer_create(request):
    _require(request, "customers.add_customer")
    form = CustomerForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            customer = services.customer_create(actor=request.user, **_form_values(form))
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("已新建客户 %(code)s") % {"code": customer.code})
            return redirect("customers:customer-detail", pk=customer.pk)
    return render(request, "customers/customer_form.html", {"form": form, "title": _("新建客户")})


@login_required
def customer_edit(request, pk):
    _require(request, "customers.change_customer")
    customer = get_object_or_404(_detail_queryset(request.user), pk=pk)
    initial = {
        "version": customer.version,
        "customer_type": customer.customer_type,
        "name": customer.name,
        "store": customer.store,
        "sales_rep": customer.sales_rep,
        "is_key_account": customer.is_key_account,
        "tags": ", ".join(t.name for t in customer.tags.all()),
        "phone": customer.phone,
        "email": customer.email,
        "address": customer.address,
        "id_number": customer.id_number,
        "preferences": customer.preferences,
        "special_needs": customer.special_needs,
        "notes": customer.notes,
        "is_active": customer.is_active,
    }
    form = CustomerForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        version = form.cleaned_data.get("version")
        try:
            if version is None:
                raise DomainError("version.required", _("缺少记录版本，请刷新后重试"))
            services.customer_update(
                actor=request.user, customer_id=customer.pk, expected_version=version, **_form_values(form)
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("已保存"))
            return redirect("customers:customer-detail", pk=customer.pk)
    context = {"form": form, "customer": customer, "title": _("编辑客户：%(name)s") % {"name": customer.name}}
    return render(request, "customers/customer_form.html", context)


# --- reveal -----------------------------------------------------------------------------


def _reveal_response(request, obj, field):
    try:
        value = privacy.reveal(actor=request.user, obj=obj, field=field, purpose=request.POST.get("purpose", ""))
    except DomainError as error:
        return HttpResponse(format_html('<span class="text-danger">{}</span>', error.message), status=403)
    return HttpResponse(format_html('<span class="revealed">{}</span>', value or "—"))


@login_required
@require_POST
def customer_reveal(request, pk, field):
    """htmx: swap a masked value for the full one; the reveal is written to the access log (SRV-10)."""
    _require(request, "customers.view_customer")
    customer = get_object_or_404(Customer.objects.visible_to(request.user), pk=pk)
    return _reveal_response(request, customer, field)


@login_required
@require_POST
def contact_reveal(request, pk, field):
    _require(request, "customers.view_customer")
    contact = get_object_or_404(Contact.objects.visible_to(request.user), pk=pk)
    return _reveal_response(request, contact, field)


# --- child records ----------------------------------------------------------------------


@login_required
@require_POST
def contact_add(request, pk):
    return _add_child(
        request, pk, "customers.change_customer", ContactForm, services.contact_add, _("已添加联系人"), "contacts"
    )


def _add_child(request, pk, perm: str, form_class, add, done_message, tab: str):
    """POST of a small form that adds a record to a customer in scope; back to the customer's tab."""
    _require(request, perm)
    customer = get_object_or_404(Customer.objects.visible_to(request.user), pk=pk)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            add(actor=request.user, customer=customer, **form.cleaned_data)
            messages.success(request, done_message)
        except DomainError as error:
            messages.error(request, error.message)
    else:
        messages.error(request, _form_errors(form))
    return _back(customer.pk, tab)


@login_required
def qualification_add(request, pk):
    """Qualification form with the licence scan as evidence (BUY-1)."""
    _require(request, "customers.add_qualification")
    customer = get_object_or_404(Customer.objects.visible_to(request.user), pk=pk)
    form = QualificationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.qualification_add(actor=request.user, customer=customer, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("已登记购货资格"))
            return _back(customer.pk, "qualifications")
    context = {"form": form, "customer": customer, "title": _("登记购货资格：%(name)s") % {"name": customer.name}}
    return render(request, "customers/child_form.html", context)


@login_required
def property_add(request, pk):
    """Register an item the customer entrusts to us (CPR-1)."""
    _require(request, "customers.add_customerproperty")
    customer = get_object_or_404(Customer.objects.visible_to(request.user), pk=pk)
    form = PropertyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.property_register(actor=request.user, customer=customer, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("已登记顾客财产"))
            return _back(customer.pk, "property")
    context = {"form": form, "customer": customer, "title": _("登记顾客财产：%(name)s") % {"name": customer.name}}
    return render(request, "customers/child_form.html", context)


@login_required
def property_detail(request, pk):
    """An item of customer property lives on its customer's page (tab 顾客财产): its workflow's record page."""
    item = get_object_or_404(CustomerProperty.objects.visible_to(request.user), pk=pk)
    return _back(item.customer_id, "property")


@login_required
@require_POST
def consent_add(request, pk):
    return _add_child(
        request, pk, "customers.add_consent", ConsentForm, services.consent_give, _("已记录同意"), "consents"
    )


@login_required
@require_POST
def consent_withdraw(request, pk):
    _require(request, "customers.change_consent")
    consent = get_object_or_404(Consent.objects.visible_to(request.user), pk=pk)
    try:
        services.consent_withdraw(actor=request.user, consent_id=consent.pk)
        messages.success(request, _("已撤回同意"))
    except DomainError as error:
        messages.error(request, error.message)
    return _back(consent.customer_id, "consents")


# --- data-subject requests --------------------------------------------------------------


@login_required
@require_POST
def customer_export(request, pk):
    """导出个人数据 (PIPL): JSON or Excel download; needs export_customer_data; logged."""
    customer = get_object_or_404(Customer.objects.visible_to(request.user), pk=pk)
    try:
        data = services.customer_export_data(actor=request.user, customer=customer)
    except DomainError as error:
        if error.status_code == 403:
            raise PermissionDenied from error
        raise
    if request.POST.get("format") == "xlsx":
        response = HttpResponse(
            services.customer_export_workbook(data),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="customer-{customer.code}.xlsx"'
        return response
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="customer-{customer.code}.json"'
    return response


@login_required
@require_POST
def customer_anonymise(request, pk):
    """匿名化 (PIPL): irreversible; needs anonymise_customer and a reason."""
    customer = get_object_or_404(Customer.objects.visible_to(request.user), pk=pk)
    if not request.user.has_perm("customers.anonymise_customer"):
        raise PermissionDenied
    try:
        customer = services.customer_anonymise(
            actor=request.user, customer_id=customer.pk, reason=request.POST.get("reason", "")
        )
        messages.success(request, "。".join(filter(None, [_("客户已匿名化"), customer.erasure.message()])))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("customers:customer-detail", pk=customer.pk)
