"""Filters of the document-control lists (DOC-1), shared by the list page and the API."""

import django_filters as filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from salesservice.core.filtersets import ListFilterSet
from salesservice.core.models import OrgUnit

from .choices import DocumentKind, VersionStatus
from .clauses import clause_choices
from .models import ControlledDocument, DocumentVersion


def _units(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return OrgUnit.objects.none()
    from salesservice.core.scoping import visible_unit_ids

    ids = None if user.is_superuser else visible_unit_ids(user)
    queryset = OrgUnit.objects.order_by("path")
    return queryset if ids is None else queryset.filter(pk__in=ids)


class DocumentFilterSet(ListFilterSet):
    q = filters.CharFilter(method="search", label=_("搜索（编号/名称）"))
    kind = filters.MultipleChoiceFilter(choices=DocumentKind.choices, label=_("类别"), distinct=False)
    status = filters.MultipleChoiceFilter(
        choices=VersionStatus.choices, label=_("版本状态"), method="filter_status", distinct=False
    )
    clause = filters.ChoiceFilter(choices=clause_choices, label=_("条款"), method="filter_clause")
    org_unit = filters.ModelChoiceFilter(queryset=_units, label=_("归口单位"))

    class Meta:
        model = ControlledDocument
        fields = ["q", "kind", "status", "clause", "org_unit"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(code__icontains=value) | Q(title__icontains=value))

    def filter_status(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(pk__in=DocumentVersion.objects.filter(status__in=value).values("document_id"))

    def filter_clause(self, queryset, name, value: str):
        return (
            queryset.filter(pk__in=ControlledDocument.objects.filter(clauses__clause=value).values("pk"))
            if value
            else queryset
        )


class VersionFilterSet(ListFilterSet):
    status = filters.MultipleChoiceFilter(choices=VersionStatus.choices, label=_("状态"), distinct=False)
    document = filters.NumberFilter(field_name="document_id", label=_("文件 id"))

    class Meta:
        model = DocumentVersion
        fields = ["status", "document"]
