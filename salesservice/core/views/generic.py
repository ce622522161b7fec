"""The list page every app copies: scoped queryset, filters in a side form, sortable columns,
pagination, Excel export, and the table alone for htmx requests (one URL, full page or partial)."""

from io import BytesIO

from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
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


def capped_count(queryset, cap: int) -> tuple[int, bool]:
    """(rows up to `cap`, whether there are more): any `cap` + 1 matching rows are counted, in no order — the list's
    ordering would make PostgreSQL sort or walk every match before the limit (issue 17 lists goal: `?q=description`
    with 150 000 matches at 1 M requests)."""
    counted = queryset.order_by()[: cap + 1].count()
    return min(counted, cap), counted > cap


class CappedPaginator(Paginator):
    """Counts at most `cap` + 1 rows: a list over millions of rows (the audit log) shows "10000+" instead
    of paying for an exact COUNT(*) on every view (bench: 180–250 ms at 10 M rows); pages stop there too,
    and a filter narrows the list."""

    cap = 10_000

    @cached_property
    def count(self):
        count, self.capped = capped_count(self.object_list, self.cap)
        return count

    capped = False


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
    # Buttons beside "export": (label, url name, permission or None), e.g. 新建, 导入.
    actions: list[tuple] = []

    def base_queryset(self):  # pragma: no cover - subclasses implement it
        raise NotImplementedError

    def filtered(self):
        """The filtered, sorted queryset — built once per request (a filter may run a lookup query)."""
        if getattr(self, "_filtered", None) is None:
            self._filtered = self._filter()
        return self._filtered

    def _filter(self):
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
        paginator = CappedPaginator(self.filtered(), self.paginate_by)
        page = paginator.get_page(self.request.GET.get("page"))
        self.prepare_rows(page.object_list)
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
            page_actions=[
                {"label": label, "url": reverse(url_name)}
                for label, url_name, perm in self.actions
                if perm is None or self.request.user.has_perm(perm)
            ],
        )
        return context

    def prepare_rows(self, rows) -> None:
        """Hook: annotate the page's rows in bulk before the columns read them (default: nothing)."""

    def export_rows(self, queryset, chunk_size: int = 2000):
        """The export's rows, read in chunks; each chunk goes through `prepare_rows` like a page does, so the
        sheet shows what the page shows (labels, names — never raw field names or codes)."""
        rows = queryset.iterator(chunk_size=chunk_size) if not queryset._prefetch_related_lookups else queryset
        chunk = []
        for row in rows:
            chunk.append(row)
            if len(chunk) == chunk_size:
                yield from self._export_chunk(chunk)
                chunk = []
        if chunk:
            yield from self._export_chunk(chunk)

    def _export_chunk(self, chunk):
        self.prepare_rows(chunk)
        for row in chunk:
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


class ImportPageView(LoginRequiredMixin, PermissionRequiredMixin, TemplateView):
    """Excel import page every app copies: template download, upload, and a per-row report.

    Subclasses set `title`, `permission_required`, `back_url_name` and `get_spec()`.
    """

    template_name = "core/import_page.html"
    title = ""
    back_url_name = ""

    def get_spec(self):  # pragma: no cover - subclasses implement it
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        from ..imports import template_response

        if request.GET.get("template"):
            return template_response(self.get_spec())
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        from ..exceptions import DomainError
        from ..imports import run_import

        upload = request.FILES.get("file")
        context = self.get_context_data()
        if upload is None:
            context["error"] = _("请选择要导入的 Excel 文件")
        else:
            try:
                context["report"] = run_import(self.get_spec(), actor=request.user, file=upload)
            except DomainError as exc:
                context["error"] = exc.message
        return self.render_to_response(context)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        spec = self.get_spec()
        context.update(title=self.title, spec=spec, back_url_name=self.back_url_name)
        return context
