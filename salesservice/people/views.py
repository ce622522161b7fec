"""Certification pages (PPL-4): list with filters and export, create/edit form, detail with revoke and history."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from salesservice.core.exceptions import DomainError
from salesservice.core.forms import apply_domain_error
from salesservice.core.views.generic import Column, ListPageView
from salesservice.core.views.pages import audit_history

from . import services
from .choices import CertificationState
from .filtersets import CertificationFilterSet
from .forms import CertificationForm, RevokeForm
from .selectors import certification_list

STATE_BADGES = {
    CertificationState.VALID: "bg-success",
    CertificationState.NOT_YET_VALID: "bg-secondary",
    CertificationState.EXPIRED: "bg-warning",
    CertificationState.REVOKED: "bg-danger",
}


def _require(request, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied


def state_badge(certification):
    state = certification.state
    return format_html(
        '<span class="badge {} text-white" data-state="{}">{}</span>',
        STATE_BADGES[state],
        state,
        CertificationState(state).label,
    )


class CertificationListView(ListPageView):
    """上岗资格列表: search, engineer, category, valid today; export; 新建."""

    permission_required = "people.view_certification"
    title = gettext_lazy("上岗资格")
    filterset_class = CertificationFilterSet
    default_sort = "-issued_at"
    export_filename = "certifications"
    detail_url_name = "people:certification-detail"
    actions = [(gettext_lazy("登记上岗资格"), "people:certification-create", "people.add_certification")]
    columns = [
        Column(gettext_lazy("证书编号"), "certificate_no", sort="certificate_no", link=True),
        Column(gettext_lazy("工程师"), "user.name", sort="user__display_name"),
        Column(gettext_lazy("商品分类"), "category.name", sort="category__path"),
        Column(gettext_lazy("发证机构"), "issued_by"),
        Column(gettext_lazy("发证日期"), "issued_at", sort="issued_at"),
        Column(gettext_lazy("有效期至"), lambda c: c.valid_until or _("长期"), sort="valid_until"),
        Column(gettext_lazy("状态"), state_badge, export="get_state_display"),
    ]

    def base_queryset(self):
        return certification_list(self.request.user)


def _certification_for_page(request, pk):
    return get_object_or_404(certification_list(request.user), pk=pk)


def _detail_context(request, certification, revoke_form=None):
    can_change = request.user.has_perm("people.change_certification")
    return {
        "certification": certification,
        "title": _("上岗资格 %(no)s") % {"no": certification.certificate_no},
        "can_edit": can_change and certification.revoked_at is None,
        "revoke_form": (revoke_form or RevokeForm()) if can_change and certification.revoked_at is None else None,
        "state_badge": state_badge(certification),
        **audit_history(certification),
    }


@login_required
def certification_detail(request, pk):
    """上岗资格详情: the certificate, its state today, evidence, revoke, history."""
    _require(request, "people.view_certification")
    certification = _certification_for_page(request, pk)
    return render(request, "people/certification_detail.html", _detail_context(request, certification))


@login_required
@require_POST
def certification_revoke(request, pk):
    _require(request, "people.change_certification")
    certification = _certification_for_page(request, pk)
    form = RevokeForm(request.POST)
    if form.is_valid():
        try:
            services.certification_revoke(
                actor=request.user, certification_id=certification.pk, reason=form.cleaned_data["reason"]
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("已吊销上岗资格"))
            return redirect("people:certification-detail", pk=certification.pk)
    context = _detail_context(request, certification, revoke_form=form)
    return render(request, "people/certification_detail.html", context, status=400)


@login_required
def certification_create(request):
    _require(request, "people.add_certification")
    form = CertificationForm(request.POST or None, request.FILES or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            certification = services.certification_add(actor=request.user, **form.service_kwargs())
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("已登记上岗资格 %(no)s") % {"no": certification.certificate_no})
            return redirect("people:certification-detail", pk=certification.pk)
    return render(request, "people/certification_form.html", {"form": form, "title": _("登记上岗资格")})


@login_required
def certification_edit(request, pk):
    """Edit with the version the user read: a stale save shows a clear error and saves nothing."""
    _require(request, "people.change_certification")
    certification = _certification_for_page(request, pk)
    form = CertificationForm(
        request.POST or None,
        instance=certification,
        initial={"version": certification.version},
        actor=request.user,
        editing=True,
    )
    if request.method == "POST" and form.is_valid():
        changes = form.service_kwargs()
        changes.pop("user", None)
        try:
            services.certification_update(
                actor=request.user,
                certification_id=certification.pk,
                expected_version=form.cleaned_data["version"],
                **changes,
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("已保存"))
            return redirect("people:certification-detail", pk=certification.pk)
    title = _("编辑上岗资格 %(no)s") % {"no": certification.certificate_no}
    return render(
        request, "people/certification_form.html", {"form": form, "certification": certification, "title": title}
    )
