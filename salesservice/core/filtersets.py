"""Filters for the core list pages."""

import datetime

import django_filters as filters
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils import timezone
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


class LocalDayFilter(filters.DateFilter):
    """A local calendar day as a range on an indexed timestamp: `>= 00:00` (from) or `< next 00:00`
    (until). `timestamp__date` would wrap the column in a function and defeat the index."""

    def __init__(self, *args, until: bool = False, **kwargs):
        self.until = until
        super().__init__(*args, **kwargs)

    def filter(self, queryset, value):
        if value in (None, ""):
            return queryset
        day = value + datetime.timedelta(days=1) if self.until else value
        moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
        return queryset.filter(**{f"{self.field_name}__{'lt' if self.until else 'gte'}": moment})


def filter_by_model(queryset, value: str):
    """`app_label.model` → the content type's id (one cached lookup), so the log's index is used."""
    app_label, _sep, model = value.lower().partition(".")
    try:
        content_type = ContentType.objects.get_by_natural_key(app_label, model)
    except ContentType.DoesNotExist:
        return queryset.none()
    return queryset.filter(content_type_id=content_type.pk)


class LogEntryFilterSet(filters.FilterSet):
    model = filters.CharFilter(method="filter_model", label=_("对象类型 (如 core.orgunit)"))
    object_pk = filters.CharFilter(label=_("对象ID"))
    # A username, not a select: a select of every user grows with the staff and weighs the page.
    actor = filters.CharFilter(field_name="actor__username", label=_("操作人（用户名）"))
    action = filters.ChoiceFilter(choices=[(0, _("新建")), (1, _("修改")), (2, _("删除"))], label=_("动作"))
    since = LocalDayFilter(field_name="timestamp", label=_("起始日期"))
    until = LocalDayFilter(field_name="timestamp", until=True, label=_("截止日期"))

    class Meta:
        model = LogEntry
        fields = ["model", "object_pk", "actor", "action", "since", "until"]

    def filter_model(self, queryset, name, value):
        return filter_by_model(queryset, value)


class AccessLogFilterSet(filters.FilterSet):
    user = filters.CharFilter(field_name="user__username", label=_("查看人（用户名）"))
    field = filters.CharFilter(label=_("字段"))
    since = LocalDayFilter(field_name="created_at", label=_("起始日期"))
    until = LocalDayFilter(field_name="created_at", until=True, label=_("截止日期"))

    class Meta:
        model = PersonalDataAccess
        fields = ["user", "field", "since", "until"]


class YesNoAllWidget(filters.widgets.BooleanWidget):
    """A yes/no filter whose empty choice reads 全部 (django-filter's says “Unknown”)."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = (("", _("全部")), ("true", _("是")), ("false", _("否")))
