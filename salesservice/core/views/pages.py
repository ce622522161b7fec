"""Core pages: workbench, notifications, policy parameters, org units, users, audit and access logs."""

import json
from collections import defaultdict

from auditlog.models import LogEntry
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView

from .. import notifications as notification_service
from .. import privacy, services
from ..events import events_for
from ..exceptions import DomainError
from ..filtersets import AccessLogFilterSet, LogEntryFilterSet, OrgUnitFilterSet, UserFilterSet
from ..forms import OrgUnitEditForm, PolicyValueForm
from ..history import action_label, change_rows
from ..models import Membership, Notification, OrgUnit, PersonalDataAccess, PolicyParameter, PolicyValue, User
from ..policy import document_choices, document_url, policy_set
from ..roles import role_label
from ..scoping import visible_unit_ids
from ..templatetags.core_tags import via_label
from ..workbench import panels_for
from .generic import Column, ListPageView


def audit_history(obj, limit=50):
    """Field-level history (django-auditlog) and timeline events of one record, for its page."""
    content_type = ContentType.objects.get_for_model(obj)
    entries = (
        LogEntry.objects.filter(content_type=content_type, object_pk=str(obj.pk))
        .select_related("actor")
        .order_by("-timestamp")[:limit]
    )
    entries = list(entries)
    change_rows(type(obj), entries)
    return {"audit_entries": entries, "events": events_for(obj, limit)}


class WorkbenchView(LoginRequiredMixin, TemplateView):
    """工作台: the user's roles and units, unread notifications; admins also see policy parameters
    and calendar warnings. Apps add their queues as panels (`core.workbench.workbench_panel`)."""

    template_name = "core/workbench.html"

    def get_context_data(self, **kwargs):
        from ..business_calendar import missing_statutory_years

        user = self.request.user
        context = super().get_context_data(**kwargs)
        memberships = user.memberships.select_related("org_unit", "role").order_by("org_unit__path")
        context["memberships"] = [(m, role_label(m.role.name)) for m in memberships]
        context["notifications"] = Notification.objects.filter(recipient=user, read_at__isnull=True)[:8]
        context["unread_total"] = notification_service.unread_count(user)
        scope = visible_unit_ids(user)
        if user.is_superuser or scope is None:
            context["scope_label"] = _("全公司")
        elif not scope:
            context["scope_label"] = _("无（仅本人相关记录）")
        elif len(scope) <= 3:
            names = OrgUnit.objects.filter(pk__in=scope).order_by("path").values_list("name", flat=True)
            context["scope_label"] = "、".join(names)
        else:
            context["scope_label"] = _("%(n)s 个组织单元") % {"n": len(scope)}
        if user.has_perm("core.change_policyparameter"):
            parameters = list(PolicyParameter.objects.order_by("category", "key"))
            now = timezone.now()
            current = {}
            for value in PolicyValue.objects.filter(effective_from__lte=now).order_by(
                "parameter_id", "-effective_from", "-number"
            ):
                current.setdefault(value.parameter_id, value)
            context["policy_rows"] = [(p, current.get(p.pk)) for p in parameters]
            context["missing_years"] = missing_statutory_years()
        context["panels"] = panels_for(self.request)
        return context


# --- notifications ----------------------------------------------------------------------


@login_required
def notification_list(request):
    queryset = Notification.objects.filter(recipient=request.user)
    show = request.GET.get("show", "all")
    if show == "unread":
        queryset = queryset.filter(read_at__isnull=True)
    from django.core.paginator import Paginator

    page = Paginator(queryset, 20).get_page(request.GET.get("page"))
    return render(request, "core/notifications.html", {"page": page, "show": show, "title": _("我的通知")})


@login_required
def notification_bell(request):
    """The navbar bell (an htmx partial polled every minute)."""
    return render(request, "core/_bell.html", {"unread": notification_service.unread_count(request.user)})


@login_required
@require_POST
def notification_read(request, pk):
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    notification_service.mark_read(user=request.user, notification_ids=[notification.pk])
    if request.POST.get("next") == "follow" and notification.url.startswith("/"):
        return redirect(notification.url)
    return redirect(request.POST.get("return") or reverse("core:notifications"))


@login_required
@require_POST
def notification_read_all(request):
    count = notification_service.mark_read(user=request.user)
    messages.success(request, _("已将 %(n)s 条通知标为已读") % {"n": count})
    return redirect(reverse("core:notifications"))


# --- policy parameters ------------------------------------------------------------------


@login_required
def policy_list(request):
    if not request.user.has_perm("core.view_policyparameter"):
        raise PermissionDenied
    now = timezone.now()
    parameters = list(PolicyParameter.objects.order_by("category", "key"))
    current, upcoming = {}, {}
    for value in PolicyValue.objects.order_by("parameter_id", "-effective_from", "-number"):
        if value.effective_from <= now:
            current.setdefault(value.parameter_id, value)
        else:
            upcoming[value.parameter_id] = value
    rows = [(p, current.get(p.pk), upcoming.get(p.pk)) for p in parameters]
    return render(request, "core/policy_list.html", {"rows": rows, "title": _("政策参数")})


@login_required
def policy_detail(request, key):
    if not request.user.has_perm("core.view_policyparameter"):
        raise PermissionDenied
    parameter = get_object_or_404(PolicyParameter, key=key)
    values = parameter.values.select_related("created_by").order_by("-number")
    now = timezone.now()
    in_force = next(
        (
            v
            for v in sorted(values, key=lambda v: (v.effective_from, v.number), reverse=True)
            if v.effective_from <= now
        ),
        None,
    )
    form = None
    can_edit = request.user.has_perm("core.change_policyparameter")
    if can_edit:
        initial_value = in_force.value if in_force else ""
        if isinstance(initial_value, dict | list):
            initial_value = json.dumps(initial_value, ensure_ascii=False)
        form = PolicyValueForm(request.POST or None, initial={"version": parameter.version, "value": initial_value})
        # DOC-1: the change cites the approved controlled document version that sets it (core.policy).
        form.fields["document_version"] = forms.TypedChoiceField(
            label=_("依据文件版本"),
            choices=[("", _("— 请选择已批准/已发布的文件版本 —")), *document_choices(parameter, request.user)],
            coerce=int,
            empty_value=None,
            required=False,
            help_text=_("须覆盖条款 %(clause)s；没有合适的版本时，请先在“受控文件”中修订并批准")
            % {"clause": parameter.source_clause},
        )
        if request.method == "POST" and form.is_valid():
            raw = form.cleaned_data["value"]
            if parameter.value_type == "json":
                try:
                    raw = json.loads(raw)
                except ValueError:
                    form.add_error("value", _("请输入有效的 JSON"))
            if not form.errors:
                try:
                    policy_set(
                        actor=request.user,
                        key=parameter.key,
                        value=raw,
                        effective_from=form.cleaned_data["effective_from"],
                        reason=form.cleaned_data["reason"],
                        expected_version=form.cleaned_data["version"],
                        document_version=form.cleaned_data.get("document_version"),
                    )
                except DomainError as error:
                    form.add_error(None, error.message)
                else:
                    messages.success(request, _("已保存“%(name)s”的新值") % {"name": parameter.name})
                    return redirect("core:policy-detail", key=parameter.key)
    elif request.method == "POST":
        raise PermissionDenied
    for value in values:
        value.document_url = document_url(value.document_ref)
    context = {
        "parameter": parameter,
        "values": values,
        "in_force": in_force,
        "form": form,
        "now": now,
        "title": parameter.name,
        **audit_history(parameter),
    }
    return render(request, "core/policy_detail.html", context)


# --- org units --------------------------------------------------------------------------


class OrgUnitListView(ListPageView):
    permission_required = "core.view_orgunit"
    title = gettext_lazy("组织单元")
    filterset_class = OrgUnitFilterSet
    default_sort = "path"
    export_filename = "org-units"
    detail_url_name = "core:org-unit-detail"
    columns = [
        Column(gettext_lazy("名称"), "name", sort="name", link=True),
        Column(gettext_lazy("编码"), "code", sort="code"),
        Column(gettext_lazy("类型"), "get_kind_display", sort="kind"),
        Column(gettext_lazy("上级"), "parent.name"),
        Column(gettext_lazy("人员数"), "member_count", sort="member_count"),
        Column(gettext_lazy("启用"), lambda u: _("是") if u.is_active else _("否")),
    ]

    def base_queryset(self):
        return (
            OrgUnit.objects.visible_to(self.request.user)
            .select_related("parent")
            .annotate(member_count=Count("memberships__user", distinct=True))
        )


@login_required
def org_unit_detail(request, pk):
    if not request.user.has_perm("core.view_orgunit"):
        raise PermissionDenied
    unit = get_object_or_404(OrgUnit.objects.visible_to(request.user).select_related("parent"), pk=pk)
    members = Membership.objects.filter(org_unit=unit).select_related("user", "role").order_by("user__username")
    form = None
    if request.user.has_perm("core.change_orgunit"):
        form = OrgUnitEditForm(
            request.POST or None,
            initial={
                "version": unit.version,
                "name": unit.name,
                "address": unit.address,
                "phone": unit.phone,
                "is_active": unit.is_active,
            },
        )
        if request.method == "POST" and form.is_valid():
            changes = dict(form.cleaned_data)
            version = changes.pop("version")
            try:
                services.org_unit_update(actor=request.user, unit_id=unit.pk, expected_version=version, **changes)
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("已保存"))
                return redirect("core:org-unit-detail", pk=unit.pk)
    elif request.method == "POST":
        raise PermissionDenied
    context = {
        "unit": unit,
        "members": [(m, role_label(m.role.name)) for m in members],
        "children": unit.children.visible_to(request.user).order_by("path"),
        "form": form,
        "title": unit.name,
        **audit_history(unit),
    }
    return render(request, "core/org_unit_detail.html", context)


# --- users ------------------------------------------------------------------------------


def _roles_text(user):
    return "、".join(f"{role_label(m.role.name)}@{m.org_unit.name}" for m in user.memberships.all())


class UserListView(ListPageView):
    permission_required = "core.view_user"
    title = gettext_lazy("用户")
    filterset_class = UserFilterSet
    default_sort = "username"
    export_filename = "users"
    detail_url_name = "core:user-detail"
    columns = [
        Column(gettext_lazy("用户名"), "username", sort="username", link=True),
        Column(gettext_lazy("姓名"), "display_name", sort="display_name"),
        Column(gettext_lazy("手机号"), lambda u: privacy.mask_phone(u.phone)),
        Column(gettext_lazy("岗位"), _roles_text),
        Column(gettext_lazy("启用"), lambda u: _("是") if u.is_active else _("否")),
    ]

    def base_queryset(self):
        return User.objects.visible_to(self.request.user).prefetch_related(
            Prefetch("memberships", queryset=Membership.objects.select_related("org_unit", "role"))
        )


@login_required
def user_detail(request, pk):
    if not (request.user.has_perm("core.view_user") or request.user.pk == pk):
        raise PermissionDenied
    target = get_object_or_404(User.objects.visible_to(request.user), pk=pk)
    memberships = target.memberships.select_related("org_unit", "role").order_by("org_unit__path")
    context = {
        "target": target,
        "memberships": [(m, role_label(m.role.name)) for m in memberships],
        "masked_phone": privacy.mask_phone(target.phone),
        "masked_email": privacy.mask_email(target.email),
        "can_reveal": privacy.can_reveal(request.user, target),
        "title": target.name,
        **audit_history(target),
    }
    return render(request, "core/user_detail.html", context)


@login_required
@require_POST
def user_reveal(request, pk, field):
    """htmx: swap a masked value for the full one; the reveal is written to the access log."""
    target = get_object_or_404(User.objects.visible_to(request.user), pk=pk)
    try:
        value = privacy.reveal(actor=request.user, obj=target, field=field, purpose=request.POST.get("purpose", ""))
    except DomainError as error:
        return HttpResponse(format_html('<span class="text-danger">{}</span>', error.message), status=403)
    return HttpResponse(format_html('<span class="revealed">{}</span>', value))


# --- audit and access logs --------------------------------------------------------------


def _changes_text(entry) -> str:
    """One line per entry: readable values on the page (`prepare_rows`), stored values in the export."""
    rows = getattr(entry, "change_rows", None)
    if rows is None:
        return "；".join(f"{name}: {change[0]} → {change[1]}" for name, change in (entry.changes_dict or {}).items())
    return "；".join(f"{label}: {old} → {new}" if old else f"{label}: {new}" for label, old, new in rows)


class AuditLogListView(ListPageView):
    permission_required = "auditlog.view_logentry"
    title = gettext_lazy("审计日志")
    filterset_class = LogEntryFilterSet
    default_sort = "-timestamp"
    export_filename = "audit-log"
    columns = [
        Column(gettext_lazy("时间"), "timestamp", sort="timestamp"),
        Column(gettext_lazy("操作人"), lambda e: e.actor or e.actor_email or _("系统")),
        Column(gettext_lazy("动作"), lambda e: action_label(e.action)),
        Column(gettext_lazy("对象"), lambda e: f"{e.content_type.name}: {e.object_repr}"),
        Column(gettext_lazy("变更"), lambda e: _changes_text(e)),
        Column(
            gettext_lazy("来源"),
            lambda e: f"{e.remote_addr or ''} {via_label((e.additional_data or {}).get('via', ''))}".strip(),
        ),
    ]

    def prepare_rows(self, rows) -> None:
        by_model = defaultdict(list)
        for entry in rows:
            by_model[entry.content_type.model_class()].append(entry)
        for model, entries in by_model.items():
            if model is not None:
                change_rows(model, entries)

    def base_queryset(self):
        queryset = LogEntry.objects.select_related("actor", "content_type")
        user = self.request.user
        if not user.is_superuser and visible_unit_ids(user) is not None:
            queryset = queryset.filter(actor__in=User.objects.visible_to(user).values("pk"))
        return queryset


class AccessLogListView(ListPageView):
    permission_required = "core.view_personaldataaccess"
    title = gettext_lazy("个人信息访问记录")
    filterset_class = AccessLogFilterSet
    default_sort = "-created_at"
    export_filename = "access-log"
    columns = [
        Column(gettext_lazy("时间"), "created_at", sort="created_at"),
        Column(gettext_lazy("查看人"), "user"),
        Column(gettext_lazy("对象"), lambda a: f"{a.target_type.name} #{a.target_id}"),
        Column(gettext_lazy("字段"), "field", sort="field"),
        Column(gettext_lazy("用途"), "purpose"),
        Column(gettext_lazy("来源"), lambda a: f"{a.remote_addr or ''} {a.via}".strip()),
    ]

    def base_queryset(self):
        return PersonalDataAccess.objects.select_related("user", "target_type")


@login_required
def attachment_download(request, pk):
    """Serve an attached file to a reader who may see the record it belongs to (else 404)."""
    from django.http import FileResponse, Http404

    from ..attachments import attachment_visible
    from ..models import Attachment

    attachment = get_object_or_404(Attachment.objects.select_related("target_type"), pk=pk)
    if not attachment_visible(request.user, attachment):
        raise Http404
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(handle, as_attachment=request.GET.get("inline") != "1", filename=attachment.original_name)
