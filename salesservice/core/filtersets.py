"""Filters of the core lists, and the pieces every app's FilterSet is built from.

NetBox's rule: one FilterSet per model, used by the list page (its side form) and by the API
(`DjangoFilterBackend`). Both pass `request=`, so the choices a select offers can be scoped to the user.
"""

import datetime

import django_filters as filters
from auditlog.models import LogEntry
from django import forms
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext_lazy as _
from django_filters.constants import EMPTY_VALUES
from django_filters.fields import IsoDateTimeField, ModelChoiceField
from drf_spectacular.utils import extend_schema_field

from .choices import OrgUnitKind
from .input_guards import parse_id
from .models import OrgUnit, PersonalDataAccess, User
from .roles import ROLES

# --- building blocks ------------------------------------------------------------------------


class YesNoAllWidget(filters.widgets.BooleanWidget):
    """A yes/no filter whose empty choice reads 全部 (django-filter's says “Unknown”). It reads the values
    the API takes (`true`/`false`/`1`/`0`)."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = (("", _("全部")), ("true", _("是")), ("false", _("否")))


class SideForm(forms.Form):
    """The side form of a list page. A `link_only` filter is shown only while it is set."""

    link_only: frozenset[str] = frozenset()

    def __iter__(self):
        for bound in super().__iter__():
            if bound.name in self.link_only and bound.value() in (None, ""):
                continue
            yield bound


class ListFilterSet(filters.FilterSet):
    """The one FilterSet of a model, shared by its list page and its API.

    `link_only` names filters that the side form shows only while set: ids that another page links with
    (`?customer=5`) and the API takes, which nobody would pick from a select of every customer."""

    link_only: tuple[str, ...] = ()

    def get_form_class(self):
        form_class = super().get_form_class()
        for field in form_class.base_fields.values():
            field.help_text = ""  # it documents the API parameter (drf-spectacular); the side form has labels
        return type(form_class.__name__, (SideForm, form_class), {"link_only": frozenset(self.link_only)})


def _local_midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


class DateInput(forms.DateInput):
    input_type = "date"


class DayOrMomentField(IsoDateTimeField):
    """An ISO 8601 datetime (as the API always took it) or a bare date `YYYY-MM-DD` (the page's date input),
    returned as a `date` so that the filter can take the whole local day."""

    widget = DateInput

    def to_python(self, value):
        if isinstance(value, str):
            try:
                day = parse_date(value.strip())
            except ValueError:
                raise ValidationError(self.error_messages["invalid"], code="invalid") from None
            if day is not None:
                return day
        return super().to_python(value)


SINCE_HELP = _("ISO 8601 时间（如 2025-06-01T08:00:00+08:00，含该时刻起），或日期 2025-06-01（当地当天 00:00 起）")
UNTIL_HELP = _("ISO 8601 时间（如 2025-06-01T08:00:00+08:00，不含该时刻），或日期 2025-06-01（含当地当天）")


class DayOrMomentFilter(filters.IsoDateTimeFilter):
    """`received_after=…` / `received_before=…` for both the page and the API: a datetime is taken as given
    (`>=` it, or `<` it with `until=True`); a date is that local day — from its 00:00, or until the next day's
    00:00 (the day included). A range on the indexed column, never `__date`, which would defeat the index."""

    field_class = DayOrMomentField

    def __init__(self, *args, until: bool = False, **kwargs):
        self.until = until
        kwargs["lookup_expr"] = "lt" if until else "gte"
        kwargs.setdefault("help_text", UNTIL_HELP if until else SINCE_HELP)
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if value in EMPTY_VALUES:
            return qs
        if not isinstance(value, datetime.datetime):
            value = _local_midnight(value + datetime.timedelta(days=1) if self.until else value)
        return super().filter(qs, value)


LocalDayFilter = DayOrMomentFilter  # its former name, from when it took a date only (still a local day)


class IdField(ModelChoiceField):
    """A select of rows on the page, read as a bare id: the chosen id is not looked up (no query, as the API's
    `store=<id>` never did); an id outside the choices simply finds nothing, the list being scoped already."""

    def to_python(self, value):
        return forms.IntegerField(required=False).to_python(value)


class IdChoiceFilter(filters.ModelChoiceFilter):
    """`store=<id>`: an id filter that the page offers as a select of `queryset` — a callable of the request,
    so the choices are only what the user may see (e.g. the user's stores). Schema: the integer id."""

    field_class = IdField


def scoped_stores(request):
    """Active stores within the user's scope (the store select of the lists scoped by store)."""
    if request is None:
        return OrgUnit.objects.none()
    return OrgUnit.objects.visible_to(request.user).filter(kind=OrgUnitKind.STORE, is_active=True)


def scoped_units(request):
    """The org units within the user's scope that records hang under (a department holds none): the choices of
    the `unit=<id>` subtree filter."""
    if request is None:
        return OrgUnit.objects.none()
    return OrgUnit.objects.visible_to(request.user).exclude(kind=OrgUnitKind.DEPARTMENT).order_by("path")


# The parameter's schema: an org unit id (no model field named `unit` to read the type from).
@extend_schema_field(
    {
        "type": "integer",
        "description": "组织单元 ID：该单元及其全部下级（如区部的各门店）的记录；超出可见范围的单元无结果",
    }
)
class SubtreeFilter(IdChoiceFilter):
    """`unit=<id>`: records of an org unit and every unit below it (a region's stores) — the dashboards' drill-down
    (issue 16 §1). The id is looked up among the reader's scoped units (`queryset`): like the other id filters,
    an id outside them finds nothing (never a wider list); within them, `ScopedQuerySet.in_unit` narrows the
    already scoped list to the unit's subtree."""

    def filter(self, qs, value):
        if value in EMPTY_VALUES:
            return qs
        unit = self.get_queryset(self.get_request()).filter(pk=value).only("pk", "path").first()
        return qs.none() if unit is None else qs.in_unit(unit)


# --- org units, users, audit log ----------------------------------------------------------------


def _visible_units(request):
    return OrgUnit.objects.none() if request is None else OrgUnit.objects.visible_to(request.user).order_by("path")


class OrgUnitFilterSet(ListFilterSet):
    q = filters.CharFilter(method="search", label=_("名称/编码"), help_text=_("名称或编码"))
    kind = filters.ChoiceFilter(choices=OrgUnitKind.choices, label=_("类型"))
    parent = IdChoiceFilter(queryset=_visible_units, label=_("上级单元"))
    is_active = filters.BooleanFilter(label=_("启用"), widget=YesNoAllWidget())

    class Meta:
        model = OrgUnit
        fields = ["q", "kind", "parent", "is_active"]

    link_only = ("parent",)

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(code__icontains=value))


class UserFilterSet(ListFilterSet):
    q = filters.CharFilter(method="search", label=_("用户名/姓名"), help_text=_("用户名或姓名"))
    org_unit = IdChoiceFilter(
        field_name="memberships__org_unit", queryset=_visible_units, label=_("组织单元"), distinct=True
    )
    role = filters.ChoiceFilter(
        field_name="memberships__role__name", choices=[(r.code, r.label) for r in ROLES], label=_("角色"), distinct=True
    )
    is_active = filters.BooleanFilter(label=_("启用"), widget=YesNoAllWidget())

    class Meta:
        model = User
        fields = ["q", "org_unit", "role", "is_active"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(username__icontains=value) | Q(display_name__icontains=value))


def filter_by_model(queryset, value: str):
    """`app_label.model` → the content type's id (one cached lookup), so the log's index is used."""
    app_label, _sep, model = value.lower().partition(".")
    try:
        content_type = ContentType.objects.get_by_natural_key(app_label, model)
    except ContentType.DoesNotExist:
        return queryset.none()
    return queryset.filter(content_type_id=content_type.pk)


LOG_ACTIONS = {"create": LogEntry.Action.CREATE, "update": LogEntry.Action.UPDATE, "delete": LogEntry.Action.DELETE}


class LogEntryFilterSet(ListFilterSet):
    model = filters.CharFilter(
        method="filter_model", label=_("对象类型 (如 core.orgunit)"), help_text=_("app_label.model，如 core.orgunit")
    )
    object_pk = filters.CharFilter(label=_("对象ID"))
    # Text, not a select: a select of every user grows with the staff and weighs the page.
    actor = filters.CharFilter(
        method="filter_actor", label=_("操作人（用户名）"), help_text=_("操作人的用户 ID 或用户名")
    )
    action = filters.ChoiceFilter(
        method="filter_action", choices=[("create", _("新建")), ("update", _("修改")), ("delete", _("删除"))],
        label=_("动作"),
    )  # fmt: skip
    since = DayOrMomentFilter(field_name="timestamp", label=_("起始日期"))
    until = DayOrMomentFilter(field_name="timestamp", until=True, label=_("截止日期"))
    cid = filters.CharFilter(label=_("请求 ID"))

    class Meta:
        model = LogEntry
        fields = ["model", "object_pk", "actor", "action", "since", "until", "cid"]

    link_only = ("cid",)

    def filter_model(self, queryset, name, value: str):
        return filter_by_model(queryset, value)

    def filter_actor(self, queryset, name, value: str):
        # A pk subquery rather than a join on the user: the log's actor index does the work. Digits are the
        # user's id (as the API always took them) or a numeric username.
        value = value.strip()
        match = Q(username=value)
        if (user_id := parse_id(value)) is not None:
            match |= Q(pk=user_id)
        return queryset.filter(actor_id__in=User.objects.filter(match).values("pk"))

    def filter_action(self, queryset, name, value: str):
        return queryset.filter(action=LOG_ACTIONS[value])


class AccessLogFilterSet(ListFilterSet):
    user = filters.CharFilter(field_name="user__username", label=_("查看人（用户名）"))
    field = filters.CharFilter(label=_("字段"))
    since = DayOrMomentFilter(field_name="created_at", label=_("起始日期"))
    until = DayOrMomentFilter(field_name="created_at", until=True, label=_("截止日期"))

    class Meta:
        model = PersonalDataAccess
        fields = ["user", "field", "since", "until"]
