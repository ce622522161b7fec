"""Printable documents (单据): Chinese text renders with an embedded CJK font (issue 12 §19: records are
kept 5+ years and must render anywhere; ℃ was dropped by the CID font), under the company's letterhead."""

import base64

from salesservice.core.pdf import Document, render_document

# A 1×1 transparent PNG, as a signature pad would send (smallest valid image).
PIXEL = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


def test_document_renders_chinese_fields_tables_and_a_signature():
    doc = Document(title="售后服务单", number="SR-20261122-0001")
    doc.fields([("客户", "张伟"), ("电话", "138****0000"), ("状态", "已结案")])
    doc.table("上门记录", ["时间", "措施"], [["2026-11-22 10:00", "更换压缩机电容"]])
    doc.text("处理结果", "制冷恢复正常\n客户确认")
    doc.signature("客户签字", PIXEL, "张伟 2026-11-22")
    pdf = render_document(doc)
    assert pdf.startswith(b"%PDF") and len(pdf) > 1500
    assert b"/FontFile2" in pdf  # the TrueType glyphs are embedded (a subset), not left to the reader
    assert b"STSong-Light" not in pdf


def test_every_symbol_a_record_holds_has_a_glyph():
    from reportlab.pdfbase import pdfmetrics

    from salesservice.core.pdf import _printable, register_font

    face = pdfmetrics.getFont(register_font()).face
    for char in "℃℉±×①№·—…喆赟昇冰箱压缩机":
        for shown in _printable(char):  # ℃ has an empty glyph in the font: it prints as °C
            glyph = face.charToGlyph[ord(shown)]
            assert face.glyphPos[glyph + 1] > face.glyphPos[glyph], (char, shown)
    assert _printable("℃") == "°C" and _printable("冷") == "冷"


def test_the_letterhead_names_the_company_and_the_issuing_store(settings):
    from salesservice.core.models import OrgUnit
    from salesservice.service.desk_views import letterhead_of

    settings.COMPANY_NAME = "通程电器股份有限公司"
    settings.SERVICE_HOTLINE = "400-820-0000"
    store = OrgUnit(name="上海徐汇店", address="漕溪北路 88 号", phone="021-64001234")
    doc = Document(title="售后服务单", letterhead=letterhead_of(store))
    assert doc.company == "通程电器股份有限公司"
    assert doc.letterhead == ["上海徐汇店　地址：漕溪北路 88 号　电话：021-64001234　服务热线：400-820-0000"]
    assert render_document(doc.text("备注", "冷藏室 2–8 ℃")).startswith(b"%PDF")


def test_document_without_signature_or_rows_still_renders():
    doc = Document(title="空白单据").table("明细", ["项目"], []).signature("签字", None)
    assert render_document(doc).startswith(b"%PDF")
