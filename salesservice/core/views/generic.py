"""The list page every app copies: scoped queryset, filters in a side form, sortable columns,
pagination, Excel export, and the table alone for htmx requests (one URL, full page or partial)."""

from io import BytesIO

from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.utils import timezone
from django.views.generic import TemplateView


class Column:
    """A table column: `accessor` is an attribute path or a callable(row); `sort` an order_by field."""

    def __init__(self, label, accessor, sort: str | None = None, link: bool = False, export=None):
        self.label = label
        self.accessor = accessor
        self.sort = sort
        self.link = link
        self.export = export or accessor

    @staticmethod
    def resolve(row, accessor):
        if callable(accessor):
            return accessor(row)
        value = row
        for part in accessor.split("."):
            value = getattr(value, part, None)
            if callable(value) and not hasattr(value, "all"):
                value = value()
            if value is None:
                return ""
        return value

    def value(self, row):
        return self.resolve(row, self.accessor)


class ListPageView(LoginRequiredMixin, PermissionRequiredMixin, TemplateView):
    """Subclasses set `title`, `columns`, `filterset_class`, `base_queryset()` (already scoped)."""

    template_name = "core/list_page.html"
    partial_template_name = "core/_list_table.html"
    title = ""
    columns: list[Column] = []
    filterset_class = None
    paginate_by = 25
    default_sort = "-id"
    export_filename = "export"
    exportable = True
    detail_url_name: str | None = None

    def base_queryset(self):  # pragma: no cover - subclasses implement it
        raise NotImplementedError

    def filtered(self):
        queryset = self.base_queryset()
        self.filterset = None
        if self.filterset_class is not None:
            self.filterset = self.filterset_class(self.request.GET or None, queryset=queryset, request=self.request)
            queryset = self.filterset.qs
            for field in self.filterset.form.fields.values():
                widget = field.widget
                css = "form-select" if getattr(widget, "input_type", "select") == "select" else "form-control"
                widget.attrs.setdefault("class", css)
        sortable = {c.sort for c in self.columns if c.sort}
        sort = self.request.GET.get("sort", "")
        self.sort = sort if sort.lstrip("-") in sortable else self.default_sort
        return queryset.order_by(self.sort, "-pk")

    def get(self, request, *args, **kwargs):
        queryset = self.filtered()
        if request.GET.get("export") == "xlsx" and self.exportable:
            return self.export_xlsx(queryset)
        return super().get(request, *args, **kwargs)

    def get_template_names(self):
        if getattr(self.request, "htmx", False) and not self.request.htmx.boosted:
            return [self.partial_template_name]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        paginator = Paginator(self.filtered(), self.paginate_by)
        page = paginator.get_page(self.request.GET.get("page"))
        query = self.request.GET.copy()
        query.pop("page", None)
        sort_query = query.copy()
        sort_query.pop("sort", None)
        context.update(
            title=self.title,
            columns=self.columns,
            page=page,
            rows=[(row, [(col, col.value(row)) for col in self.columns]) for row in page.object_list],
            filterset=self.filterset,
            sort=self.sort,
            query=query.urlencode(),
            sort_query=sort_query.urlencode(),
            exportable=self.exportable,
            detail_url_name=self.detail_url_name,
        )
        return context

    def export_rows(self, queryset):
        for row in queryset.iterator(chunk_size=2000) if not queryset._prefetch_related_lookups else queryset:
            yield [Column.resolve(row, col.export) for col in self.columns]

    def export_xlsx(self, queryset):
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(str(self.title)[:31] or "Sheet1")
        sheet.append([str(col.label) for col in self.columns])
        for values in self.export_rows(queryset):
            sheet.append([_cell(value) for value in values])
        buffer = BytesIO()
        workbook.save(buffer)
        response = HttpResponse(
            buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = f'attachment; filename="{self.export_filename}-{stamp}.xlsx"'
        return response


def _cell(value):
    if hasattr(value, "tzinfo") and value.tzinfo is not None:
        return timezone.localtime(value).replace(tzinfo=None)
    if isinstance(value, int | float | str) or value is None:
        return value
    return str(value)
