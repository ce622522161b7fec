"""Printable documents (单据) as PDF, with an embedded CJK font and the company's letterhead.

An app describes its document as a title, header fields, sections (key/value rows or tables)
and signatures; `render_document()` lays it out on A4 and returns the bytes::

    doc = Document(title="售后服务单", number="SR-20261122-0001", letterhead=["上海徐汇店 · 电话 …"])
    doc.fields([("客户", "张伟"), ("电话", "138****0000")])
    doc.table("维修记录", ["时间", "措施"], rows)
    doc.signature("客户签字", png_bytes, "张伟 2026-11-22 15:30")
    pdf_bytes = render_document(doc)
"""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path

from django.conf import settings
from django.utils import timezone

# Issue 12 §19: records are kept 5+ years and must render anywhere, so the font is embedded (a subset of the
# glyphs used) rather than a CID font the reader must supply — which also dropped ℃ and other symbols.
FONT = "CJK"
DEFAULT_FONT_PATH = Path(__file__).resolve().parent / "fonts" / "wqy-microhei.ttc"


def font_path() -> Path:
    return Path(getattr(settings, "PDF_FONT_PATH", "") or DEFAULT_FONT_PATH)


def register_font() -> str:
    """Register the embedded TrueType CJK font once per process; returns its ReportLab name."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, str(font_path()), subfontIndex=0))
    return FONT


@dataclass
class _Block:
    kind: str  # fields | table | text | signature
    title: str = ""
    rows: list = field(default_factory=list)
    header: list = field(default_factory=list)
    text: str = ""
    image: bytes | None = None
    caption: str = ""


def _company() -> str:
    return getattr(settings, "COMPANY_NAME", "") or "销售服务管理系统"


@dataclass
class Document:
    title: str
    number: str = ""
    company: str = field(default_factory=_company)
    letterhead: list[str] = field(default_factory=list)  # the issuing unit: name, address, phone, hotline
    blocks: list[_Block] = field(default_factory=list)
    footer: str = ""

    def fields(self, rows: list[tuple[str, object]], title: str = "") -> Document:
        self.blocks.append(_Block("fields", title=title, rows=[(str(k), _text(v)) for k, v in rows]))
        return self

    def table(self, title: str, header: list[str], rows: list[list[object]]) -> Document:
        self.blocks.append(_Block("table", title=title, header=header, rows=[[_text(c) for c in r] for r in rows]))
        return self

    def text(self, title: str, text: str) -> Document:
        self.blocks.append(_Block("text", title=title, text=_text(text)))
        return self

    def signature(self, title: str, image: bytes | None, caption: str = "") -> Document:
        self.blocks.append(_Block("signature", title=title, image=image, caption=caption))
        return self


def _text(value) -> str:
    if value is None or value == "":
        return "—"
    if hasattr(value, "tzinfo") and getattr(value, "tzinfo", None) is not None:
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)


@functools.cache
def _printable(char: str) -> str:
    """`char`, or its compatibility form when the embedded font draws nothing for it (℃ → °C, ℉ → °F):
    a record must never lose a symbol silently (issue 12 §19)."""
    from reportlab.pdfbase import pdfmetrics

    face = pdfmetrics.getFont(register_font()).face

    def drawn(c: str) -> bool:
        glyph = face.charToGlyph.get(ord(c))
        return c.isspace() or (glyph is not None and face.glyphPos[glyph + 1] > face.glyphPos[glyph])

    if drawn(char):
        return char
    fallback = unicodedata.normalize("NFKC", char)
    return fallback if fallback != char and all(drawn(c) for c in fallback) else char


def _escape(text: str) -> str:
    text = "".join(_printable(char) if ord(char) > 0x7F else char for char in text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\n", "<br/>")


def _numbered_canvas(mm):
    """A canvas that writes 「第 n 页 / 共 m 页」 at the foot of every page — the total is known only once the
    whole story is laid out, so each page's state is kept and the numbers are drawn on save."""
    from reportlab.pdfgen import canvas

    class NumberedCanvas(canvas.Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._saved_pages = []

        def showPage(self):
            self._saved_pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._saved_pages)
            for state in self._saved_pages:
                self.__dict__.update(state)
                self.setFont(FONT, 8)
                self.setFillGray(0.45)
                self.drawCentredString(self._pagesize[0] / 2, 8 * mm, f"第 {self._pageNumber} 页 / 共 {total} 页")
                super().showPage()
            super().save()

    return NumberedCanvas


def render_document(doc: Document) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Image, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    register_font()
    base = ParagraphStyle("base", fontName=FONT, fontSize=10, leading=14, wordWrap="CJK")
    small = ParagraphStyle("small", parent=base, fontSize=8, leading=11, textColor=colors.grey)
    heading = ParagraphStyle("heading", parent=base, fontSize=12, leading=18, spaceBefore=8, spaceAfter=4)
    title = ParagraphStyle("title", parent=base, fontSize=18, leading=24, alignment=1)

    width = A4[0] - 36 * mm
    company = ParagraphStyle("company", parent=base, fontSize=13, leading=18, alignment=1)
    letterhead = ParagraphStyle("letterhead", parent=small, alignment=1)
    story = [Paragraph(_escape(doc.company), company)]
    story += [Paragraph(_escape(line), letterhead) for line in doc.letterhead if line]
    story += [Spacer(1, 2 * mm), Paragraph(_escape(doc.title), title)]
    if doc.number:
        story.append(Paragraph(_escape(f"编号：{doc.number}"), ParagraphStyle("num", parent=base, alignment=2)))
    story.append(Spacer(1, 4 * mm))
    grid = TableStyle(
        [
            ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("FONTNAME", (0, 0), (-1, -1), FONT),
        ]
    )

    def cell(text):
        return Paragraph(_escape(text), base)

    for block in doc.blocks:
        if block.title:
            story.append(Paragraph(_escape(block.title), heading))
        if block.kind == "fields":
            rows, pair = [], []
            for key, value in block.rows:
                pair += [cell(key), cell(value)]
                if len(pair) == 4:
                    rows.append(pair)
                    pair = []
            if pair:
                rows.append(pair + [cell(""), cell("")])
            table = Table(rows, colWidths=[width * 0.15, width * 0.35] * 2)
            table.setStyle(grid)
            table.setStyle(TableStyle([("BACKGROUND", (0, 0), (0, -1), colors.whitesmoke)]))
            table.setStyle(TableStyle([("BACKGROUND", (2, 0), (2, -1), colors.whitesmoke)]))
            story.append(table)
        elif block.kind == "table":
            rows = [[cell(h) for h in block.header]] + [[cell(c) for c in r] for r in block.rows]
            if len(rows) == 1:
                rows.append([cell("—")] + [cell("") for _ in block.header[1:]])
            table = Table(rows, colWidths=[width / max(1, len(block.header))] * len(block.header), repeatRows=1)
            table.setStyle(grid)
            table.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke)]))
            story.append(table)
        elif block.kind == "text":
            story.append(Paragraph(_escape(block.text), base))
        elif block.kind == "signature":
            if block.image:
                story.append(Image(BytesIO(block.image), width=60 * mm, height=24 * mm, kind="proportional"))
            else:
                story.append(Paragraph("（未签字）", small))
            if block.caption:
                story.append(Paragraph(_escape(block.caption), small))
    printed = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    story += [Spacer(1, 6 * mm), Paragraph(_escape(doc.footer or f"打印时间：{printed}"), small)]

    buffer = BytesIO()
    SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=doc.title,
        author=doc.company,
    ).build(story, canvasmaker=_numbered_canvas(mm))
    return buffer.getvalue()
