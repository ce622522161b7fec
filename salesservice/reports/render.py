"""A report's figures as a printable PDF (A4, the company's letterhead, the embedded CJK font of `core.pdf`) and as
an Excel workbook (a sheet for the headline figures, one per section; Chinese headers, numbers as numbers)."""

from __future__ import annotations

import io

from django.utils import timezone


def _cell(value):
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:g}"
    return value


def header_fields(meta: dict) -> list[tuple[str, object]]:
    return [
        ("组织单位", meta["unit_name"]),
        ("报告期间", f"{meta['start']} 至 {meta['end']}"),
        ("数据截至", meta["as_of"]),
        ("生成时间", meta["generated_at"]),
    ]


def render_pdf(meta: dict, figures: dict) -> bytes:
    """`meta`: title, number, unit_name, start, end, as_of, generated_at (aware datetimes)."""
    from salesservice.core.pdf import Document, render_document

    doc = Document(title=meta["title"], number=meta["number"])
    doc.fields(header_fields(meta))
    doc.table(
        "主要指标",
        ["指标", "数值", "单位"],
        [
            [item["label"], "无数据" if item["value"] is None else _cell(item["value"]), item["unit"]]
            for item in figures.get("summary", [])
        ],
    )
    for part in figures.get("sections", []):
        doc.table(part["title"], part["header"], [[_cell(c) for c in row] for row in part["rows"]])
    doc.footer = (
        f"{meta['title']} · {meta['unit_name']} · 生成于 {timezone.localtime(meta['generated_at']):%Y-%m-%d %H:%M}"
    )
    return render_document(doc)


def _sheet_title(title: str, used: set[str]) -> str:
    # Excel: at most 31 characters, none of []:*?/\ , unique in the workbook.
    clean = "".join("_" if ch in "[]:*?/\\" else ch for ch in title)[:31] or "Sheet"
    name, n = clean, 2
    while name in used:
        name = f"{clean[:28]}({n})"
        n += 1
    used.add(name)
    return name


def render_xlsx(meta: dict, figures: dict) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    used: set[str] = set()
    sheet.title = _sheet_title("概要", used)
    bold = Font(bold=True)
    sheet.append([meta["title"]])
    sheet["A1"].font = bold
    for label, value in header_fields(meta):
        if hasattr(value, "tzinfo"):
            value = timezone.localtime(value).replace(tzinfo=None)
        sheet.append([label, value])
    sheet.append([])
    sheet.append(["指标", "数值", "单位"])
    for cell in sheet[sheet.max_row]:
        cell.font = bold
    for item in figures.get("summary", []):
        sheet.append([item["label"], item["value"], item["unit"]])
    sheet.column_dimensions["A"].width = 28
    sheet.column_dimensions["B"].width = 22
    for part in figures.get("sections", []):
        tab = book.create_sheet(_sheet_title(part["title"], used))
        tab.append(part["header"])
        for cell in tab[1]:
            cell.font = bold
        for row in part["rows"]:
            tab.append(list(row))
        for index, _header in enumerate(part["header"]):
            tab.column_dimensions[chr(ord("A") + index)].width = 18 if index else 26
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
