"""Issue 16 §2: each report is stored as a PDF with the CJK font embedded (A4, the headline figures and each
section's table) and as an Excel workbook (a sheet per section, Chinese headers, numbers as numbers)."""

import io
import re
import shutil
import subprocess

import pytest
from openpyxl import load_workbook

from salesservice.service.tests.factories import make_request

from .. import tasks
from ..choices import ReportKind
from ..models import ReportRun
from .conftest import MONDAY, at

pytestmark = pytest.mark.django_db


@pytest.fixture
def store_run(demo):
    make_request(received_at=at(24, 10))
    make_request(received_at=at(26, 16))
    tasks.weekly_service(now=MONDAY)
    return ReportRun.objects.get(kind=ReportKind.WEEKLY_SERVICE, org_unit=demo["sh-xuhui"])


def test_pdf_is_a4_with_the_cjk_font_embedded(store_run):
    data = store_run.pdf.read()
    assert data.startswith(b"%PDF")
    assert b"/FontFile2" in data  # the TrueType font program itself, not a reference to one the reader must have
    assert b"/MediaBox [ 0 0 595.2756 841.8898 ]" in data  # A4


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")
def test_pdf_text_is_chinese_with_the_figures(store_run, tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(store_run.pdf.read())
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    for expected in (
        "周服务质量报告",
        "上海徐汇店",
        "2026-11-23 至 2026-11-29",
        "受理服务请求",
        "首次联系及时率",
        "受理渠道",
    ):
        assert expected in text, expected
    assert re.search(r"受理服务请求\s+2\s+件", text)  # two requests received


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")
def test_pdf_pages_are_numbered(store_run, tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(store_run.pdf.read())
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert re.search(r"第\s*1\s*页\s*/\s*共\s*\d+\s*页", text)


def test_excel_has_a_sheet_per_section_with_numbers(store_run):
    book = load_workbook(io.BytesIO(store_run.xlsx.read()))
    sections = store_run.figures["sections"]
    assert book.sheetnames == ["概要", *[part["title"] for part in sections]]
    summary = {row[0]: row[1] for row in book["概要"].iter_rows(values_only=True) if row and row[0]}
    assert summary["受理服务请求"] == 2 and isinstance(summary["受理服务请求"], int)
    assert summary["组织单位"] == "上海徐汇店"
    channels = book["受理渠道"]
    assert [c.value for c in channels[1]] == ["渠道", "服务请求数"]
    assert {row[0]: row[1] for row in channels.iter_rows(min_row=2, values_only=True)}["400热线"] == 2


def test_kpi_pack_pdf_has_the_grade_distribution(demo, tmp_path):
    if not shutil.which("pdftotext"):
        pytest.skip("poppler-utils not installed")
    from .conftest import FIRST

    tasks.monthly_kpi(now=FIRST)
    run = ReportRun.objects.get(kind=ReportKind.MONTHLY_KPI, org_unit=None)
    path = tmp_path / "kpi.pdf"
    path.write_bytes(run.pdf.read())
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    for expected in ("月度KPI考核汇总", "全公司", "等级分布", "A 优秀", "D 待改进", "个人考核结果"):
        assert expected in text, expected
