"""Filters for the core list pages."""

import django_filters as filters
from auditlog.models import LogEntry
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .choices import OrgUnitKind
from .models import OrgUnit, PersonalDataAccess, User
from .roles import ROLES


class OrgUnitFilterSet(filters.FilterSet):
    q = filters.CharFilter(method="search", label=_("名称/编码"))
    kind = filters.ChoiceFilter(choices=OrgUnitKind.choices, label=_("类型"))
    is_active = filters.BooleanFilter(label=_("启用"))

    class Meta:
        model = OrgUnit
        fields = ["q", "kind", "is_active"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(code__icontains=value))


class UserFilterSet(filters.FilterSet):
    q = filters.CharFilter(method="search", label=_("用户名/姓名"))
    org_unit = filters.ModelChoiceFilter(
        field_name="memberships__org_unit", queryset=OrgUnit.objects.none(), label=_("组织单元"), distinct=True
    )
    role = filters.ChoiceFilter(
        field_name="memberships__role__name", choices=[(r.code, r.label) for r in ROLES], label=_("角色"), distinct=True
    )
    is_active = filters.BooleanFilter(label=_("启用"))

    class Meta:
        model = User
        fields = ["q", "org_unit", "role", "is_active"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        if request is not None:
            self.filters["org_unit"].queryset = OrgUnit.objects.visible_to(request.user)

    def search(self, queryset, name, value):
        return queryset.filter(Q(username__icontains=value) | Q(display_name__icontains=value))


class LogEntryFilterSet(filters.FilterSet):
    model = filters.CharFilter(method="filter_model", label=_("对象类型 (如 core.orgunit)"))
    object_pk = filters.CharFilter(label=_("对象ID"))
    actor = filters.ModelChoiceFilter(queryset=User.objects.all(), label=_("操作人"))
    action = filters.ChoiceFilter(choices=[(0, _("新建")), (1, _("修改")), (2, _("删除"))], label=_("动作"))
    since = filters.DateFilter(field_name="timestamp", lookup_expr="date__gte", label=_("起始日期"))
    until = filters.DateFilter(field_name="timestamp", lookup_expr="date__lte", label=_("截止日期"))

    class Meta:
        model = LogEntry
        fields = ["model", "object_pk", "actor", "action", "since", "until"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        if request is not None:
            self.filters["actor"].queryset = User.objects.visible_to(request.user)

    def filter_model(self, queryset, name, value):
        app_label, _sep, model = value.lower().partition(".")
        return queryset.filter(content_type__app_label=app_label, content_type__model=model)


class AccessLogFilterSet(filters.FilterSet):
    user = filters.ModelChoiceFilter(queryset=User.objects.all(), label=_("查看人"))
    field = filters.CharFilter(label=_("字段"))
    since = filters.DateFilter(field_name="created_at", lookup_expr="date__gte", label=_("起始日期"))
    until = filters.DateFilter(field_name="created_at", lookup_expr="date__lte", label=_("截止日期"))

    class Meta:
        model = PersonalDataAccess
        fields = ["user", "field", "since", "until"]
