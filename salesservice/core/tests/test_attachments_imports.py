"""Attachments (scope-checked downloads) and the Excel import framework every app reuses."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from salesservice.core.attachments import attachment_add, attachments_for
from salesservice.core.exceptions import DomainError
from salesservice.core.imports import ImportColumn, ImportSpec, RowError, parse_cell, run_import, template_response
from tests.workflow_app.models import Ticket


@pytest.fixture
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def test_attachment_download_follows_the_scope_of_its_record(demo, users, client, media):
    """INF-1: a file on a 徐汇 record is readable by 徐汇 staff and invisible (404) to 天河 staff."""
    ticket = Ticket.objects.create(title="维修", org_unit=demo["sh-xuhui"])
    file = SimpleUploadedFile("检测报告.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    attachment = attachment_add(actor=users["xuhui_manager"], target=ticket, file=file, description="证据")
    assert list(attachments_for(ticket)) == [attachment]

    client.force_login(users["xuhui_cs"])
    response = client.get(f"/attachments/{attachment.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 test"
    assert "filename*=utf-8''%E6%A3%80" in response["Content-Disposition"]

    client.force_login(users["tianhe_cs"])
    assert client.get(f"/attachments/{attachment.pk}/").status_code == 404
    client.logout()
    assert client.get(f"/attachments/{attachment.pk}/").status_code == 302


def test_attachment_refuses_executables_and_oversized_files(demo, users, media):
    ticket = Ticket.objects.create(title="维修", org_unit=demo["sh-xuhui"])
    with pytest.raises(DomainError) as refused:
        attachment_add(actor=users["admin"], target=ticket, file=SimpleUploadedFile("run.exe", b"MZ"))
    assert refused.value.code == "attachment.type"
    big = SimpleUploadedFile("big.pdf", b"0" * 10)
    big.size = 21 * 1024 * 1024
    with pytest.raises(DomainError) as too_large:
        attachment_add(actor=users["admin"], target=ticket, file=big)
    assert too_large.value.code == "attachment.too_large"
    assert not attachments_for(ticket).exists()


def test_a_call_recording_may_be_attached(demo, users, media):
    """SUV-2: supervision by call recordings — an MP3 or AMR recording is evidence like a photo."""
    ticket = Ticket.objects.create(title="来电抽检", org_unit=demo["sh-xuhui"])
    for name in ("call.mp3", "call.AMR"):
        attachment_add(actor=users["admin"], target=ticket, file=SimpleUploadedFile(name, b"ID3"))
    assert sorted(a.original_name for a in attachments_for(ticket)) == ["call.AMR", "call.mp3"]


COLUMNS = [
    ImportColumn("标题", "title", required=True, example="空调不制冷"),
    ImportColumn("门店编码", "store", required=True, kind="choice", choices={"上海徐汇店": "sh-xuhui"}),
    ImportColumn("数量", "quantity", kind="int"),
    ImportColumn("日期", "day", kind="date"),
    ImportColumn("加急", "urgent", kind="bool"),
]


def ticket_spec(demo):
    def save_row(actor, values):
        if values["title"] == "拒绝":
            raise DomainError("ticket.refused", "业务规则拒绝")
        ticket, created = Ticket.objects.get_or_create(
            title=values["title"], defaults={"org_unit": demo[values["store"]]}
        )
        return "created" if created else "unchanged"

    return ImportSpec(name="工单导入", columns=COLUMNS, save_row=save_row)


def workbook_with(rows) -> BytesIO:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "工单导入"
    sheet.append([c.title for c in COLUMNS])
    for row in rows:
        sheet.append(row)
    buffer = BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def test_import_reports_bad_rows_with_their_numbers_and_imports_the_rest(demo, users):
    rows = [
        ["安装空调", "上海徐汇店", 2, "2026-11-20", "是"],
        ["", "上海徐汇店", 1, None, None],  # row 3: title missing
        ["维修冰箱", "北京店", 1, None, None],  # row 4: unknown store
        ["维修洗衣机", "上海徐汇店", "两台", None, None],  # row 5: not a number
        ["拒绝", "上海徐汇店", 1, None, None],  # row 6: refused by the service
        [None, None, None, None, None],  # blank rows are skipped
        ["保养热水器", "上海徐汇店", None, "2026/11/21", "否"],
    ]
    report = run_import(ticket_spec(demo), actor=users["admin"], file=workbook_with(rows))
    assert report.as_dict()["created"] == 2
    errors = {error.row: error.message for error in report.errors}
    assert set(errors) == {3, 4, 5, 6}
    assert "标题" in errors[3] and "北京店" in errors[4] and "数量" in errors[5] and "业务规则拒绝" in errors[6]
    assert set(Ticket.objects.values_list("title", flat=True)) == {"安装空调", "保养热水器"}

    again = run_import(ticket_spec(demo), actor=users["admin"], file=workbook_with(rows))
    assert again.as_dict()["created"] == 0 and again.as_dict()["unchanged"] == 2
    assert Ticket.objects.count() == 2


def test_import_refuses_a_file_that_is_not_a_workbook_or_lacks_a_required_column(demo, users):
    with pytest.raises(DomainError) as bad_file:
        run_import(ticket_spec(demo), actor=users["admin"], file=BytesIO(b"not an xlsx"))
    assert bad_file.value.code == "import.bad_file"
    workbook = Workbook()
    workbook.active.append(["标题"])
    buffer = BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    with pytest.raises(DomainError) as missing:
        run_import(ticket_spec(demo), actor=users["admin"], file=buffer)
    assert missing.value.code == "import.missing_column"
    assert Ticket.objects.count() == 0


def test_parse_cell_reads_excel_numbers_dates_and_yes_no():
    phone = ImportColumn("手机", "phone")
    assert parse_cell(phone, 13800000000.0) == "13800000000"
    assert parse_cell(ImportColumn("加急", "urgent", kind="bool"), "是") is True
    assert parse_cell(ImportColumn("加急", "urgent", kind="bool"), None) is False
    with pytest.raises(RowError):
        parse_cell(ImportColumn("加急", "urgent", kind="bool"), "也许")
    with pytest.raises(RowError):
        parse_cell(ImportColumn("日期", "day", kind="date"), "明天")


def test_template_has_the_header_row_only_and_instructions(demo):
    response = template_response(ticket_spec(demo))
    workbook = load_workbook(BytesIO(response.content))
    data, notes = workbook.worksheets
    assert [c.value for c in data[1]] == ["标题*", "门店编码*", "数量", "日期", "加急"]
    assert data.max_row == 1  # importing an untouched template imports nothing
    assert notes["C2"].value == "空调不制冷"
