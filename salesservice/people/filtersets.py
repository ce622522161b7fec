"""Filters of the certification list, shared by the page and the API (`/api/v1/certifications/`)."""

import django_filters as filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from salesservice.catalog.models import ProductCategory
from salesservice.core.models import User

from .choices import ExamAttemptStatus, ExamKind
from .models import Certification, Course, ExamAttempt

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
