"""Catalog pages: product list/detail/form/import, QA sellability flags, categories, acceptance standards."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from salesservice.core.exceptions import DomainError
from salesservice.core.forms import apply_domain_error
from salesservice.core.views.generic import Column, ImportPageView, ListPageView
from salesservice.core.views.pages import audit_history

from . import services
from .filtersets import CategoryFilterSet, InspectionTemplateFilterSet, ProductFilterSet
from .forms import FIELD_GROUPS, CategoryForm, LiftForm, ProductForm, RestrictForm
from .imports import product_import_spec
from .models import InspectionItem, InspectionTemplate, Product, ProductCategory, ProductRestriction
from .sellability import product_sellability, with_restrictions


def _require(request, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied


def _today_reasons(product):
    """Reasons on today's date, computed once per row (from prefetched flags: no query)."""
    if not hasattr(product, "_reasons_today"):
        product._reasons_today = product_sellability(product, timezone.localdate())
    return product._reasons_today


def _status_badge(product):
    reasons = _today_reasons(product)
    if reasons:
        return format_html(
            '<span class="badge bg-danger text-white" title="{}">{}</span>',
            "；".join(r.message for r in reasons),
            _("禁止销售"),
        )
    return format_html('<span class="badge bg-success text-white">{}</span>', _("可销售"))


def _status_text(product):
    reasons = _today_reasons(product)
    return _("禁止销售：") + "；".join(r.message for r in reasons) if reasons else _("可销售")


# --- products ---------------------------------------------------------------------------


class ProductListView(ListPageView):
    """商品列表: filters (search, category, device class, sellable today…), export, 新建 and 导入."""

    permission_required = "catalog.view_product"
    title = gettext_lazy("商品")
    filterset_class = ProductFilterSet
    default_sort = "code"
    export_filename = "products"
    detail_url_name = "catalog:product-detail"
    actions = [
        (gettext_lazy("新建商品"), "catalog:product-create", "catalog.add_product"),
        (gettext_lazy("导入"), "catalog:product-import", "catalog.add_product"),
    ]
    columns = [
        Column(gettext_lazy("商品编码"), "code", sort="code", link=True),
        Column(gettext_lazy("商品名称"), "name", sort="name", link=True),
        Column(gettext_lazy("规格型号"), "specification"),
        Column(gettext_lazy("分类"), "category.name", sort="category__path"),
        Column(gettext_lazy("医疗器械类别"), "get_device_class_display", sort="device_class"),
        Column(gettext_lazy("单价（元）"), "price", sort="price"),
        Column(gettext_lazy("状态"), _status_badge, export=_status_text),
    ]

    def base_queryset(self):
        return with_restrictions(Product.objects.select_related("category"))


def _detail_context(request, product, restrict_form=None, lift_error=None):
    reasons = product_sellability(product, timezone.localdate())
    can_restrict = request.user.has_perm("catalog.set_product_restriction")
    groups = [
        (label, [(product._meta.get_field(name).verbose_name, _display(product, name)) for name in names])
        for label, names in FIELD_GROUPS
    ]
    return {
        "product": product,
        "title": f"{product.code} {product.name}",
        "reasons": reasons,
        "groups": groups,
        "restrictions": list(product.restrictions.all()),
        "can_restrict": can_restrict,
        "can_edit": request.user.has_perm("catalog.change_product"),
        "restrict_form": restrict_form or (RestrictForm() if can_restrict else None),
        "lift_error": lift_error,
        "acceptance_items": (
            product.acceptance_template.items.order_by("order", "id") if product.acceptance_template_id else []
        ),
        **audit_history(product),
    }


def _display(product, name):
    field = product._meta.get_field(name)
    value = getattr(product, name)
    if field.choices:
        return getattr(product, f"get_{name}_display")()
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if value is None or value == "":
        return "—"
    return value


def _product_for_page(pk):
    restrictions = ProductRestriction.objects.select_related("set_by", "lifted_by", "evidence")
    queryset = Product.objects.select_related("category", "acceptance_template").prefetch_related(
        Prefetch("restrictions", queryset=restrictions)
    )
    return get_object_or_404(queryset, pk=pk)


@login_required
def product_detail(request, pk):
    """商品详情: attributes by group, the sellability badge with every reason, QA flags, history."""
    _require(request, "catalog.view_product")
    product = _product_for_page(pk)
    return render(request, "catalog/product_detail.html", _detail_context(request, product))


@login_required
@require_POST
def product_restrict(request, pk):
    """QA marks the product unsellable (PRD-1); a refusal changes nothing."""
    _require(request, "catalog.set_product_restriction")
    product = _product_for_page(pk)
    form = RestrictForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.product_restrict(actor=request.user, product_id=product.pk, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("已标记禁止销售"))
            return redirect("catalog:product-detail", pk=product.pk)
    return render(request, "catalog/product_detail.html", _detail_context(request, product, form), status=400)


@login_required
@require_POST
def product_restriction_lift(request, pk, restriction_pk):
    """QA lifts one flag with a reason; the flag stays in the history."""
    _require(request, "catalog.set_product_restriction")
    product = _product_for_page(pk)
    restriction = get_object_or_404(ProductRestriction, pk=restriction_pk, product=product)
    form = LiftForm(request.POST)
    error = None
    if form.is_valid():
        try:
            services.product_restriction_lift(
                actor=request.user, restriction_id=restriction.pk, reason=form.cleaned_data["reason"]
            )
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(request, _("已解除禁售标记"))
            return redirect("catalog:product-detail", pk=product.pk)
    else:
        error = _("请填写解除原因")
    return render(
        request, "catalog/product_detail.html", _detail_context(request, product, lift_error=error), status=400
    )


@login_required
def product_create(request):
    _require(request, "catalog.add_product")
    form = ProductForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            product = services.product_create(actor=request.user, **form.service_kwargs())
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("已新建商品 %(code)s") % {"code": product.code})
            return redirect("catalog:product-detail", pk=product.pk)
    return render(request, "catalog/product_form.html", {"form": form, "title": _("新建商品")})


@login_required
def product_edit(request, pk):
    """Edit with the version the user read: a stale save shows a clear error and saves nothing."""
    _require(request, "catalog.change_product")
    product = get_object_or_404(Product, pk=pk)
    initial = {"version": product.version}
    form = ProductForm(request.POST or None, instance=product, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        changes = form.service_kwargs()
        changes.pop("code", None)
        try:
            services.product_update(
                actor=request.user,
                product_id=pk,
                expected_version=form.cleaned_data["version"],
                **changes,
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("已保存"))
            return redirect("catalog:product-detail", pk=pk)
    return render(
        request,
        "catalog/product_form.html",
        {"form": form, "product": product, "title": _("编辑商品 %(code)s") % {"code": product.code}},
    )


class ProductImportView(ImportPageView):
    """商品导入: template download, upload, per-row report (natural key: product code)."""

    permission_required = "catalog.add_product"
    title = gettext_lazy("导入商品")
    back_url_name = "catalog:products"

    def get_spec(self):
        return product_import_spec()


# --- categories -------------------------------------------------------------------------


class CategoryListView(ListPageView):
    permission_required = "catalog.view_productcategory"
    title = gettext_lazy("商品分类")
    filterset_class = CategoryFilterSet
    default_sort = "path"
    export_filename = "product-categories"
    actions = [(gettext_lazy("新建分类"), "catalog:category-create", "catalog.add_productcategory")]
    columns = [
        Column(gettext_lazy("名称"), lambda c: "\u3000" * c.depth + c.name, sort="path"),
        Column(gettext_lazy("编码"), "code", sort="code"),
        Column(gettext_lazy("上级"), "parent.name"),
        Column(gettext_lazy("商品数"), "product_count", sort="product_count"),
        Column(gettext_lazy("启用"), lambda c: _("是") if c.is_active else _("否")),
    ]

    def base_queryset(self):
        return ProductCategory.objects.select_related("parent").annotate(product_count=Count("products"))


@login_required
def category_create(request):
    _require(request, "catalog.add_productcategory")
    form = CategoryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.category_create(actor=request.user, **form.cleaned_data)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("已新建分类"))
            return redirect("catalog:categories")
    return render(request, "catalog/category_form.html", {"form": form, "title": _("新建商品分类")})


# --- acceptance standards ---------------------------------------------------------------


class InspectionTemplateListView(ListPageView):
    permission_required = "catalog.view_inspectiontemplate"
    title = gettext_lazy("验收标准")
    filterset_class = InspectionTemplateFilterSet
    default_sort = "name"
    export_filename = "inspection-templates"
    detail_url_name = "catalog:inspection-template-detail"
    columns = [
        Column(gettext_lazy("名称"), "name", sort="name", link=True),
        Column(gettext_lazy("验收要点数"), "item_count", sort="item_count"),
        Column(gettext_lazy("适用商品数"), "product_count", sort="product_count"),
        Column(gettext_lazy("启用"), lambda t: _("是") if t.is_active else _("否")),
    ]

    def base_queryset(self):
        return InspectionTemplate.objects.annotate(
            item_count=Count("items", distinct=True), product_count=Count("products", distinct=True)
        )


@login_required
def inspection_template_detail(request, pk):
    _require(request, "catalog.view_inspectiontemplate")
    template = get_object_or_404(InspectionTemplate, pk=pk)
    items = InspectionItem.objects.filter(template=template).order_by("order", "id")
    grouped: dict[str, list] = {}
    for item in items:
        grouped.setdefault(item.get_group_display(), []).append(item)
    products = template.products.order_by("code")[:50]
    context = {
        "inspection_template": template,
        "grouped": grouped.items(),
        "products": products,
        "title": template.name,
        **audit_history(template),
    }
    return render(request, "catalog/inspection_template_detail.html", context)
