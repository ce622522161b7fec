"""Printable documents (单据): Chinese text renders with the built-in CJK font."""

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
    assert b"STSong-Light" in pdf  # the CJK CID font, no system font needed


def test_document_without_signature_or_rows_still_renders():
    doc = Document(title="空白单据").table("明细", ["项目"], []).signature("签字", None)
    assert render_document(doc).startswith(b"%PDF")
