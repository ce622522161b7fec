"""Filters of the certification list, shared by the page and the API (`/api/v1/certifications/`)."""

import django_filters as filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from salesservice.catalog.models import ProductCategory
from salesservice.core.choices import OrgUnitKind
from salesservice.core.models import User

from .choices import (
    CandidateSource,
    CandidateStatus,
    ExamAttemptStatus,
    ExamKind,
    NeedPriority,
    NeedSource,
    NeedStatus,
    PlanStatus,
    SessionKind,
)
from .models import Candidate, Certification, Course, ExamAttempt, Post, TrainingNeed, TrainingPlan, TrainingSession

VALID_CHOICES = [("true", _("今日有效")), ("false", _("今日无效（过期/吊销/未生效）"))]


class CertificationFilterSet(filters.FilterSet):
    q = filters.CharFilter(method="search", label=_("搜索"), help_text=_("工程师姓名、用户名或证书编号"))
    user = filters.ModelChoiceFilter(queryset=User.objects.all(), label=_("工程师"))
    category = filters.ModelChoiceFilter(
        queryset=ProductCategory.objects.all(), method="in_category", label=_("商品分类"), help_text=_("含下级分类")
    )
    valid = filters.ChoiceFilter(
        choices=VALID_CHOICES, method="filter_valid", label=_("是否有效"), help_text=_("按今天判断")
    )

    class Meta:
        model = Certification
        fields = ["q", "user", "category", "valid"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            # Only people in the reader's scope are offered (and accepted) as a filter value.
            self.filters["user"].queryset = User.objects.visible_to(user).order_by("display_name", "username")
        self.filters["category"].queryset = ProductCategory.objects.order_by("path")

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(certificate_no__icontains=value)
            | Q(user__display_name__icontains=value)
            | Q(user__username__icontains=value)
        )

    def in_category(self, queryset, name, value):
        return queryset.filter(category__path__startswith=value.path)

    def filter_valid(self, queryset, name, value):
        return queryset.valid_on() if value == "true" else queryset.not_valid_on()


class CourseFilterSet(filters.FilterSet):
    q = filters.CharFilter(field_name="title", lookup_expr="icontains", label=_("课程名称"))
    category = filters.ModelChoiceFilter(
        queryset=ProductCategory.objects.all(), method="in_category", label=_("商品分类"), help_text=_("含下级分类")
    )
    kind = filters.ChoiceFilter(choices=ExamKind.choices, label=_("考核方式"))

    class Meta:
        model = Course
        fields = ["q", "category", "kind"]

    def in_category(self, queryset, name, value):
        return queryset.filter(category__path__startswith=value.path)


PASSED_CHOICES = [("true", _("合格")), ("false", _("不合格"))]


class ExamAttemptFilterSet(filters.FilterSet):
    course = filters.ModelChoiceFilter(queryset=Course.objects.all(), label=_("课程"))
    user = filters.ModelChoiceFilter(queryset=User.objects.all(), label=_("工程师"))
    status = filters.ChoiceFilter(choices=ExamAttemptStatus.choices, label=_("状态"))
    kind = filters.ChoiceFilter(choices=ExamKind.choices, label=_("考核方式"))
    passed = filters.ChoiceFilter(choices=PASSED_CHOICES, method="filter_passed", label=_("结果"))

    class Meta:
        model = ExamAttempt
        fields = ["course", "user", "status", "kind", "passed"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            self.filters["user"].queryset = User.objects.visible_to(user).order_by("display_name", "username")

    def filter_passed(self, queryset, name, value):
        return queryset.filter(passed=(value == "true"))


# --- posts, recruitment, training (PPL-1, PPL-2, PPL-3) -----------------------------------------------------


class PostFilterSet(filters.FilterSet):
    q = filters.CharFilter(method="search", label=_("搜索"), help_text=_("岗位名称或代码"))
    level = filters.ChoiceFilter(choices=OrgUnitKind.choices, label=_("所属层级"))

    class Meta:
        model = Post
        fields = ["q", "level", "is_active"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(name__icontains=value) | Q(code__icontains=value)) if value else queryset


class CandidateFilterSet(filters.FilterSet):
    q = filters.CharFilter(method="search", label=_("搜索"), help_text=_("姓名或应聘编号"))
    post = filters.ModelChoiceFilter(queryset=Post.objects.all(), label=_("应聘岗位"))
    status = filters.ChoiceFilter(choices=CandidateStatus.choices, label=_("状态"))
    source = filters.ChoiceFilter(choices=CandidateSource.choices, label=_("来源"))
    applied_from = filters.DateFilter(field_name="applied_on", lookup_expr="gte", label=_("报名日期起"))
    applied_to = filters.DateFilter(field_name="applied_on", lookup_expr="lte", label=_("报名日期止"))

    class Meta:
        model = Candidate
        fields = ["q", "post", "status", "source", "applied_from", "applied_to"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(name__icontains=value) | Q(number__icontains=value)) if value else queryset


class TrainingPlanFilterSet(filters.FilterSet):
    year = filters.NumberFilter(label=_("年度"), min_value=2000, max_value=2100)
    status = filters.ChoiceFilter(choices=PlanStatus.choices, label=_("状态"))

    class Meta:
        model = TrainingPlan
        fields = ["year", "status"]


class TrainingSessionFilterSet(filters.FilterSet):
    plan = filters.NumberFilter(field_name="plan_id", label=_("计划"), min_value=1)
    kind = filters.ChoiceFilter(choices=SessionKind.choices, label=_("培训类别"))
    date_from = filters.DateFilter(field_name="planned_on", lookup_expr="gte", label=_("日期起"))
    date_to = filters.DateFilter(field_name="planned_on", lookup_expr="lte", label=_("日期止"))
    attendance_recorded = filters.BooleanFilter(
        field_name="attendance_recorded_at", lookup_expr="isnull", exclude=True, label=_("已登记出勤")
    )

    class Meta:
        model = TrainingSession
        fields = ["plan", "kind", "date_from", "date_to", "attendance_recorded"]


class TrainingNeedFilterSet(filters.FilterSet):
    status = filters.ChoiceFilter(choices=NeedStatus.choices, label=_("状态"))
    source = filters.ChoiceFilter(choices=NeedSource.choices, label=_("来源"))
    priority = filters.ChoiceFilter(choices=NeedPriority.choices, label=_("优先级"))

    class Meta:
        model = TrainingNeed
        fields = ["status", "source", "priority"]
