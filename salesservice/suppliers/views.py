"""Supplier pages (SUP-1, SUP-2, SUP-3): the supplier list and dossier (documents, evaluations, the current
list's entry, what purchasing would be told), and the qualified lists with their workflow actions. Every
write calls one service; a refusal comes back as a Chinese message on the form and changes nothing."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from salesservice.catalog.models import Product
from salesservice.core.attachments import attachments_for
from salesservice.core.exceptions import DomainError
from salesservice.core.forms import apply_domain_error
from salesservice.core.privacy import mask_phone
from salesservice.core.views.generic import Column, ImportPageView, ListPageView
from salesservice.core.views.pages import audit_history

from . import services
from .choices import STANDING_COLORS, DocumentKind, Standing
from .filtersets import QualifiedListFilterSet, SupplierFilterSet
from .forms import DocumentForm, EntryForm, EvaluationForm, NoteForm, QualifiedListForm, ReasonForm, SupplierForm
from .imports import supplier_import_spec
from .models import QualifiedList, QualifiedListEntry, Supplier, SupplierDocument
from .workflows import QUALIFIED_LIST_WORKFLOW


def standing_badge(supplier):
    return format_html(
        '<span class="badge {}" data-standing="{}">{}</span>',
        STANDING_COLORS.get(supplier.standing, "bg-secondary-lt"),
        supplier.standing,
        supplier.get_standing_display(),
    )


def _suspended_badge(supplier):
    if supplier.is_suspended:
        return format_html('<span class="badge bg-red-lt">{}</span>', _("暂停"))
    return ""


# --- suppliers ----------------------------------------------------------------------------


class SupplierListView(ListPageView):
    """SUP-1/SUP-2: every supplier in scope with its standing and whether purchasing is suspended."""

    permission_required = "suppliers.view_supplier"
    title = gettext_lazy("供应商")
    filterset_class = SupplierFilterSet
    default_sort = "number"
    export_filename = "suppliers"
    detail_url_name = "suppliers:supplier-detail"
    actions = [
        (gettext_lazy("新建供应商"), "suppliers:supplier-create", "suppliers.add_supplier"),
        (gettext_lazy("导入供应商"), "suppliers:supplier-import", "suppliers.add_supplier"),
        (gettext_lazy("合格供方名单"), "suppliers:lists", "suppliers.view_qualifiedlist"),
    ]
    columns = [
        Column(gettext_lazy("编号"), "number", sort="number", link=True),
        Column(gettext_lazy("名称"), "name", sort="name"),
        Column(gettext_lazy("统一社会信用代码"), "credit_code"),
        Column(gettext_lazy("联系人"), "contact"),
        Column(gettext_lazy("联系电话"), lambda s: mask_phone(s.phone)),
        Column(gettext_lazy("负责部门"), "org_unit.name"),
        Column(gettext_lazy("评价结果"), standing_badge, sort="standing", export="get_standing_display"),
        Column(gettext_lazy("暂停"), _suspended_badge, sort="is_suspended", export="is_suspended"),
    ]

    def base_queryset(self):
        return Supplier.objects.visible_to(self.request.user).select_related("org_unit")


class SupplierImportView(ImportPageView):
    """Excel import of suppliers: template download, upload, a per-row report; each row calls the supplier
    service (`imports.save_supplier_row`)."""

    permission_required = "suppliers.add_supplier"
    title = gettext_lazy("导入供应商")
    back_url_name = "suppliers:suppliers"

    def get_spec(self):
        return supplier_import_spec()


def _form_page(request, form, title, back_url, submit_label, *, multipart=False):
    return render(
        request,
        "suppliers/form.html",
        {"form": form, "title": title, "back_url": back_url, "submit_label": submit_label, "multipart": multipart},
    )


@login_required
@permission_required("suppliers.add_supplier", raise_exception=True)
def supplier_create(request):
    form = SupplierForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            supplier = services.supplier_create(actor=request.user, **form.cleaned_data)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("已登记供应商：%(number)s") % {"number": supplier.number})
            return redirect("suppliers:supplier-detail", supplier.pk)
    return _form_page(request, form, _("新建供应商"), "suppliers:suppliers", _("保存"))


def _visible_supplier(request, pk) -> Supplier:
    if not request.user.has_perm("suppliers.view_supplier"):
        raise PermissionDenied
    return get_object_or_404(
        Supplier.objects.visible_to(request.user)
        .select_related("org_unit")
        .prefetch_related(
            Prefetch(
                "documents",
                queryset=SupplierDocument.objects.prefetch_related("products").order_by("kind", "-valid_from"),
            )
        ),
        pk=pk,
    )


@login_required
@permission_required("suppliers.change_supplier", raise_exception=True)
def supplier_edit(request, pk):
    supplier = _visible_supplier(request, pk)
    initial = {field: getattr(supplier, field) for field in SupplierForm.base_fields}
    form = SupplierForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.supplier_update(
                actor=request.user,
                supplier_id=supplier.pk,
                expected_version=_int(request.POST.get("version")),
                **form.cleaned_data,
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("已保存"))
            return redirect("suppliers:supplier-detail", supplier.pk)
    return render(
        request,
        "suppliers/form.html",
        {
            "form": form,
            "title": _("修改供应商：%(name)s") % {"name": supplier.name},
            "back_url": "suppliers:suppliers",
            "submit_label": _("保存"),
            "version": supplier.version,
        },
    )


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _document_state(document: SupplierDocument, today: dt.date, horizon: dt.date):
    if document.valid_from > today:
        return _("未生效"), "bg-secondary-lt"
    if document.expired_on(today):
        return _("已过期"), "bg-red-lt"
    if document.expires_on is not None and document.expires_on <= horizon:
        return _("即将到期"), "bg-yellow-lt"
    return _("有效"), "bg-green-lt"


@login_required
def supplier_detail(request, pk, *, forms=None):
    """The dossier: facts, documents with their state, evaluations, the current list's entry, what
    purchasing would be told for a product (`?product=<id>`), and the forms the user may use."""
    supplier = _visible_supplier(request, pk)
    user = request.user
    forms = forms or {}
    today = timezone.localdate()
    horizon = today + dt.timedelta(days=services.document_reminder_days())
    documents = [
        (doc, *_document_state(doc, today, horizon), list(attachments_for(doc))) for doc in supplier.documents.all()
    ]
    current = services.current_list()
    entry = None
    if current is not None:
        entry = (
            QualifiedListEntry.objects.filter(qualified_list=current, supplier=supplier)
            .prefetch_related("products", "categories")
            .first()
        )
    check_product = None
    blocking = None
    product_id = request.GET.get("product", "")
    if product_id.isdigit():
        check_product = Product.objects.select_related("category").filter(pk=product_id).first()
        if check_product is not None:
            blocking = services.order_check(supplier, check_product)
    context = {
        "supplier": supplier,
        "title": f"{supplier.number} · {supplier.name}",
        "phone": mask_phone(supplier.phone),
        "standing": standing_badge(supplier),
        "documents": documents,
        "evaluations": list(supplier.evaluations.select_related("evaluated_by").order_by("-period_end", "-id")[:20]),
        "current_list": current,
        "entry": entry,
        "warnings": services.order_warnings(supplier),
        "check_product": check_product,
        "blocking": blocking,
        "products": Product.objects.filter(is_active=True).order_by("code").only("pk", "code", "name"),
        "can_change": user.has_perm("suppliers.change_supplier"),
        "can_suspend": user.has_perm("suppliers.suspend_supplier"),
        "document_form": forms.get("document")
        or (DocumentForm() if user.has_perm("suppliers.add_supplierdocument") else None),
        "evaluation_form": forms.get("evaluation")
        or (EvaluationForm(initial=_last_quarter(today)) if user.has_perm("suppliers.add_evaluation") else None),
        "suspend_form": forms.get("suspend") or ReasonForm(),
        "reinstate_form": NoteForm(),
        "kinds": DocumentKind,
        "standings": Standing,
        **audit_history(supplier),
    }
    status = 400 if forms else 200
    return render(request, "suppliers/supplier_detail.html", context, status=status)


def _last_quarter(today: dt.date) -> dict:
    first_of_quarter = dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    end = first_of_quarter - dt.timedelta(days=1)
    start = dt.date(end.year, 3 * ((end.month - 1) // 3) + 1, 1)
    return {"period_start": start, "period_end": end}


@login_required
@require_POST
@permission_required("suppliers.add_supplierdocument", raise_exception=True)
def document_add(request, pk):
    supplier = _visible_supplier(request, pk)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.document_add(
                actor=request.user,
                supplier=supplier,
                kind=data["kind"],
                number=data["number"],
                scope=data["scope"],
                products=data["products"],
                valid_from=data["valid_from"],
                expires_on=data["expires_on"],
                evidence=data["evidence"],
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("已登记资质文件"))
            return redirect("suppliers:supplier-detail", supplier.pk)
    return supplier_detail(request, pk, forms={"document": form})


@login_required
@require_POST
@permission_required("suppliers.add_evaluation", raise_exception=True)
def evaluate(request, pk):
    supplier = _visible_supplier(request, pk)
    form = EvaluationForm(request.POST)
    if form.is_valid():
        try:
            evaluation = services.evaluation_record(
                actor=request.user,
                supplier=supplier,
                period_start=form.cleaned_data["period_start"],
                period_end=form.cleaned_data["period_end"],
                scores=form.scores(),
                note=form.cleaned_data["note"],
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("已评价：%(summary)s") % {"summary": evaluation.summary})
            return redirect("suppliers:supplier-detail", supplier.pk)
    return supplier_detail(request, pk, forms={"evaluation": form})


@login_required
@require_POST
@permission_required("suppliers.suspend_supplier", raise_exception=True)
def suspend(request, pk):
    supplier = _visible_supplier(request, pk)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            services.supplier_suspend(
                actor=request.user,
                supplier_id=supplier.pk,
                reason=form.cleaned_data["reason"],
                expected_version=_int(request.POST.get("version")),
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("已暂停向该供应商采购"))
            return redirect("suppliers:supplier-detail", supplier.pk)
    return supplier_detail(request, pk, forms={"suspend": form})


@login_required
@require_POST
@permission_required("suppliers.suspend_supplier", raise_exception=True)
def reinstate(request, pk):
    supplier = _visible_supplier(request, pk)
    try:
        services.supplier_reinstate(
            actor=request.user,
            supplier_id=supplier.pk,
            note=request.POST.get("note", ""),
            expected_version=_int(request.POST.get("version")),
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已恢复采购"))
    return redirect("suppliers:supplier-detail", supplier.pk)


# --- qualified lists (SUP-2) ---------------------------------------------------------------


def _list_badge(item):
    return QUALIFIED_LIST_WORKFLOW.badge(item.status)


class QualifiedListListView(ListPageView):
    """SUP-2: every edition of the qualified-supplier list; the approved one is in force."""

    permission_required = "suppliers.view_qualifiedlist"
    title = gettext_lazy("合格供方名单")
    filterset_class = QualifiedListFilterSet
    default_sort = "-created_at"
    export_filename = "qualified-lists"
    detail_url_name = "suppliers:list-detail"
    actions = [
        (gettext_lazy("新编名单"), "suppliers:list-create", "suppliers.add_qualifiedlist"),
        (gettext_lazy("供应商"), "suppliers:suppliers", "suppliers.view_supplier"),
    ]
    columns = [
        Column(gettext_lazy("编号"), "number", sort="number", link=True),
        Column(gettext_lazy("名称"), "title"),
        Column(gettext_lazy("状态"), _list_badge, sort="status", export="get_status_display"),
        Column(gettext_lazy("编制时间"), "created_at", sort="created_at"),
        Column(gettext_lazy("批准人"), lambda q: q.approved_by.name if q.approved_by_id else ""),
        Column(gettext_lazy("批准时间"), "approved_at", sort="approved_at"),
    ]

    def base_queryset(self):
        return QualifiedList.objects.visible_to(self.request.user).select_related("approved_by")


@login_required
@permission_required("suppliers.add_qualifiedlist", raise_exception=True)
def list_create(request):
    form = QualifiedListForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.qualified_list_create(actor=request.user, **form.cleaned_data)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("已新编名单：%(number)s") % {"number": created.number})
            return redirect("suppliers:list-detail", created.pk)
    return _form_page(request, form, _("新编合格供方名单"), "suppliers:lists", _("保存"))


def _visible_list(request, pk) -> QualifiedList:
    if not request.user.has_perm("suppliers.view_qualifiedlist"):
        raise PermissionDenied
    return get_object_or_404(
        QualifiedList.objects.visible_to(request.user).select_related("created_by", "approved_by", "superseded_by"),
        pk=pk,
    )


@login_required
def list_detail(request, pk, *, entry_form=None):
    """The list with its entries; a draft can be edited by purchasing, and the workflow's actions
    (`{% workflow_actions ql %}`) submit, approve or return it."""
    item = _visible_list(request, pk)
    editable = item.status == "draft" and request.user.has_perm("suppliers.change_qualifiedlist")
    entries = list(
        item.entries.select_related("supplier").prefetch_related("products", "categories").order_by("supplier__number")
    )
    context = {
        "ql": item,
        "title": f"{item.number} · {item.title}",
        "entries": entries,
        "editable": editable,
        "entry_form": entry_form or (EntryForm(user=request.user) if editable else None),
        **audit_history(item),
    }
    return render(request, "suppliers/list_detail.html", context, status=400 if entry_form else 200)


@login_required
@require_POST
@permission_required("suppliers.change_qualifiedlist", raise_exception=True)
def list_entry_set(request, pk):
    item = _visible_list(request, pk)
    form = EntryForm(request.POST, user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.qualified_list_set_entry(
                actor=request.user,
                list_id=item.pk,
                supplier=data["supplier"],
                products=data["products"],
                categories=data["categories"],
                note=data["note"],
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("已保存名单条目"))
            return redirect("suppliers:list-detail", item.pk)
    return list_detail(request, pk, entry_form=form)


@login_required
@require_POST
@permission_required("suppliers.change_qualifiedlist", raise_exception=True)
def list_entry_remove(request, pk, supplier_id):
    item = _visible_list(request, pk)
    try:
        services.qualified_list_remove_entry(actor=request.user, list_id=item.pk, supplier=supplier_id)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已移除"))
    return redirect("suppliers:list-detail", item.pk)
