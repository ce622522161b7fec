"""Excel import every app reuses: a downloadable template, row-by-row validation, a report.

An app describes its sheet with an `ImportSpec` (columns and a `save_row` callback that calls
the app's own service). Each bad row is rejected with its row number and reason and changes
nothing; good rows are imported, each in its own transaction (savepoint). `save_row` matches an
existing record by its natural key (product code, customer name + phone…) and updates or skips
it, so importing the same file twice does not duplicate anything.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from io import BytesIO

from django.db import transaction
from django.http import HttpResponse
from django.utils.translation import gettext as _

from .exceptions import DomainError

MAX_IMPORT_ROWS = 5000


class RowError(Exception):
    """A row that cannot be imported; `message` says why, in Chinese."""

    def __init__(self, message: str):
        self.message = str(message)
        super().__init__(self.message)


@dataclass
class ImportColumn:
    header: str  # the column title in the template, e.g. "商品编码*"
    key: str  # the name `save_row` receives
    required: bool = False
    kind: str = "text"  # text | int | decimal | date | bool | choice
    choices: dict[str, str] | None = None  # label or value → value, for kind="choice"
    example: str = ""
    help: str = ""

    @property
    def title(self) -> str:
        return f"{self.header}*" if self.required else self.header


@dataclass
class ImportSpec:
    name: str  # sheet name and file name stem, e.g. "商品导入"
    columns: list[ImportColumn]
    save_row: Callable[..., str]  # (actor, values) → "created" | "updated" | "unchanged"
    notes: list[str] = field(default_factory=list)


@dataclass
class RowResult:
    row: int
    outcome: str  # created | updated | unchanged | error
    message: str = ""


@dataclass
class ImportReport:
    rows: list[RowResult] = field(default_factory=list)

    def count(self, outcome: str) -> int:
        return sum(1 for r in self.rows if r.outcome == outcome)

    @property
    def errors(self) -> list[RowResult]:
        return [r for r in self.rows if r.outcome == "error"]

    def as_dict(self) -> dict:
        return {
            "created": self.count("created"),
            "updated": self.count("updated"),
            "unchanged": self.count("unchanged"),
            "errors": [{"row": r.row, "message": r.message} for r in self.errors],
        }


TRUE_WORDS = {"是", "有", "y", "yes", "true", "1", "√", "✓"}
FALSE_WORDS = {"否", "无", "n", "no", "false", "0", "×", ""}


def parse_cell(column: ImportColumn, raw):
    """Turn one cell into a Python value, or raise RowError naming the column."""
    if isinstance(raw, str):
        raw = raw.strip()
    if raw is None or raw == "":
        if column.required:
            raise RowError(_("“%(col)s”不能为空") % {"col": column.header})
        return None if column.kind not in ("text", "bool") else ("" if column.kind == "text" else False)
    try:
        if column.kind == "text":
            if isinstance(raw, float) and raw.is_integer():
                raw = int(raw)  # Excel turns 13800000000 into a float
            return str(raw)
        if column.kind == "int":
            return int(Decimal(str(raw)))
        if column.kind == "decimal":
            return Decimal(str(raw))
        if column.kind == "date":
            if isinstance(raw, dt.datetime):
                return raw.date()
            if isinstance(raw, dt.date):
                return raw
            return dt.date.fromisoformat(str(raw).replace("/", "-"))
        if column.kind == "bool":
            word = str(raw).strip().lower()
            if word in TRUE_WORDS:
                return True
            if word in FALSE_WORDS:
                return False
            raise ValueError(raw)
        if column.kind == "choice":
            choices = column.choices or {}
            if str(raw) in choices:
                return choices[str(raw)]
            raise RowError(
                _("“%(col)s”的值“%(val)s”无效，可选：%(options)s")
                % {"col": column.header, "val": raw, "options": "、".join(choices)}
            )
    except (ValueError, InvalidOperation, TypeError):
        expected = {"int": _("整数"), "decimal": _("数字"), "date": _("日期 YYYY-MM-DD"), "bool": _("是/否")}
        raise RowError(
            _("“%(col)s”的值“%(val)s”格式不对，应为%(kind)s")
            % {"col": column.header, "val": raw, "kind": expected.get(column.kind, column.kind)}
        ) from None
    raise ValueError(f"unknown column kind {column.kind}")


def run_import(spec: ImportSpec, *, actor, file) -> ImportReport:
    """Read the uploaded workbook and import row by row (header in row 1, data from row 2)."""
    from zipfile import BadZipFile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except (InvalidFileException, BadZipFile, KeyError, OSError, ValueError) as exc:
        raise DomainError("import.bad_file", _("无法读取文件，请上传由模板填写的 .xlsx 文件")) from exc
    sheet = workbook[spec.name] if spec.name in workbook.sheetnames else workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = [str(h).strip().rstrip("*") if h is not None else "" for h in next(rows, ())]
    positions = {}
    for column in spec.columns:
        if column.header in header:
            positions[column.key] = header.index(column.header)
        elif column.required:
            raise DomainError(
                "import.missing_column",
                _("缺少必填列“%(col)s”，请使用下载的模板") % {"col": column.header},
            )
    report = ImportReport()
    for number, cells in enumerate(rows, start=2):
        if cells is None or all(c is None or (isinstance(c, str) and not c.strip()) for c in cells):
            continue
        if len(report.rows) >= MAX_IMPORT_ROWS:
            raise DomainError("import.too_many_rows", _("单次最多导入 %(n)s 行") % {"n": MAX_IMPORT_ROWS})
        try:
            values = {}
            for column in spec.columns:
                index = positions.get(column.key)
                raw = cells[index] if index is not None and index < len(cells) else None
                values[column.key] = parse_cell(column, raw)
            with transaction.atomic():
                outcome = spec.save_row(actor, values)
            report.rows.append(RowResult(number, outcome))
        except RowError as exc:
            report.rows.append(RowResult(number, "error", exc.message))
        except DomainError as exc:
            detail = str(exc.message)
            if exc.fields:
                detail += "（" + "；".join(f"{k}: {', '.join(map(str, v))}" for k, v in exc.fields.items()) + "）"
            report.rows.append(RowResult(number, "error", detail))
    workbook.close()
    return report


def template_response(spec: ImportSpec) -> HttpResponse:
    """An .xlsx with the header row and a sheet of instructions with an example per column
    (the example is not on the data sheet, so importing an untouched template imports nothing)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = spec.name[:31]
    sheet.append([c.title for c in spec.columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    for index, column in enumerate(spec.columns, start=1):
        sheet.column_dimensions[sheet.cell(1, index).column_letter].width = max(12, len(column.title) * 2 + 4)
    notes = workbook.create_sheet(_("填写说明"))
    notes.append([_("列"), _("必填"), _("示例"), _("说明")])
    for column in spec.columns:
        hint = column.help
        if column.kind == "choice" and column.choices:
            hint = (hint + " " if hint else "") + _("可选：") + "、".join(column.choices)
        notes.append([column.header, _("是") if column.required else "", column.example, hint])
    for line in [_("带 * 的列必填；日期格式 YYYY-MM-DD；是/否列填“是”或“否”。"), *spec.notes]:
        notes.append([line])
    buffer = BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(spec.name)}-template.xlsx"
    return response


def _quote(text: str) -> str:
    from urllib.parse import quote

    return quote(text)
