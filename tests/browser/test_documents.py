"""Issue 16 §3 (DOC-1): the QA inspector 孙质检 drafts a controlled procedure with its PDF in the browser; the HQ
service manager 王建国 approves and issues it; the store's customer-service rep 陈小客 sees it on the workbench of
a 390 px phone and confirms reading it."""

from tests.browser.conftest import shot
from tests.browser.test_shell import login

NO_SIDEWAYS = (
    "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 390)"
    ".map(e => e.tagName + '#' + e.id + '.' + e.className + ':' + Math.round(e.getBoundingClientRect().right)).slice(0, 12)"
)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_qa_drafts_manager_approves_and_issues_store_user_acknowledges_on_a_phone(demo_site, page, browser):
    from salesservice.core.models import OrgUnit
    from salesservice.documents.models import Acknowledgement, DocumentVersion

    base = demo_site.url
    login(page, base, "qa_inspector")
    page.wait_for_selector("#workbench-title")
    page.goto(f"{base}/documents/new/")
    page.fill("#id_code", "SS-QP-020")
    page.fill("#id_title", "门店退换货受理程序")
    page.select_option("#id_kind", "procedure")
    page.select_option("#id_org_unit", str(OrgUnit.objects.get(code="dept-quality").pk))
    page.select_option("#id_clauses", ["RET-1", "RET-2"])
    page.check("input[name=concerned_roles][value=cs_rep]")
    page.check("input[name=concerned_roles][value=store_manager]")
    page.fill("#id_change_summary", "首次发布：七日无理由退货的受理与登记")
    page.set_input_files("#id_file", files=[{"name": "SS-QP-020.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    shot(page, "documents-new")
    page.click("#documents-save")
    page.wait_for_selector("#submit-button")
    assert "SS-QP-020.pdf" in page.inner_text("#version-files")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#submit-button")
    page.wait_for_selector(".alert-success")
    version = DocumentVersion.objects.get(document__code="SS-QP-020")
    assert version.status == "submitted"
    assert page.locator("#approve-button").count() == 0  # the QA inspector may not approve

    manager = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900}).new_page()
    manager.set_default_timeout(15_000)
    login(manager, base, "hq_service_manager")
    manager.wait_for_selector("#workbench-title")
    manager.goto(f"{base}/documents/versions/{version.pk}/")
    manager.fill("#approve-form input[name=note]", "同意发布")
    manager.once("dialog", lambda dialog: dialog.accept())
    manager.click("#approve-button")
    manager.wait_for_selector("#issue-button")
    manager.once("dialog", lambda dialog: dialog.accept())
    manager.click("#issue-button")
    manager.wait_for_selector("#current-badge")
    assert "0 / 3" in manager.inner_text("#ack-progress")  # 陈小客, 黄天河 (cs_rep) and 张徐汇 (store manager)
    shot(manager, "documents-issued")

    phone = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    mobile = phone.new_page()
    mobile.set_default_timeout(15_000)
    login(mobile, base, "xuhui_cs")
    mobile.wait_for_selector("#workbench-title")
    assert "SS-QP-020" in mobile.inner_text("#panel-documents-to-acknowledge")  # 待阅读确认的文件
    shot(mobile, "documents-workbench-390")
    mobile.click("#panel-documents-to-acknowledge a:has-text('SS-QP-020')")
    mobile.wait_for_selector("#acknowledge-button")
    shot(mobile, "documents-acknowledge-390")
    assert mobile.evaluate("document.documentElement.scrollWidth") <= 390, mobile.evaluate(NO_SIDEWAYS)
    mobile.once("dialog", lambda dialog: dialog.accept())
    mobile.click("#acknowledge-button")
    mobile.wait_for_selector("#acknowledged-note")
    shot(mobile, "documents-acknowledged-390")
    assert Acknowledgement.objects.get(version=version, user__username="xuhui_cs").acknowledged_at is not None
    mobile.goto(f"{base}/documents/mine/")
    mobile.wait_for_selector("#pending-count")
    assert mobile.inner_text("#pending-count") == "0"
    assert mobile.evaluate("document.documentElement.scrollWidth") <= 390, mobile.evaluate(NO_SIDEWAYS)

    manager.reload()
    manager.wait_for_selector("#ack-progress")
    assert "1 /" in manager.inner_text("#ack-progress")
    manager.goto(f"{base}/documents/?q=SS-QP")
    manager.wait_for_selector("text=门店退换货受理程序")
    shot(manager, "documents-list")
    manager.goto(f"{base}/documents/{version.document_id}/")
    manager.wait_for_selector("#version-table")
    shot(manager, "documents-detail")
    phone.close()


def test_a_policy_change_cites_the_approved_document_on_the_policy_page(demo_site, page):
    """DOC-1: without a document version the change is refused in Chinese; with the approved procedure covering
    RET-1 it is saved and the page shows which document set the value."""
    from salesservice.core.policy import policy_value
    from salesservice.documents.testing import approved_version

    version = approved_version("RET-1", code="SS-QP-030")
    base = demo_site.url
    login(page, base, "admin")
    page.wait_for_selector("#workbench-title")
    page.goto(f"{base}/policies/returns.no_reason_days/")
    page.fill("#id_value", "10")
    page.fill("#id_reason", "年终促销延长")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#policy-form button[type=submit]")
    page.wait_for_selector("#policy-form .alert-danger")
    assert "须依据已批准的受控文件版本" in page.inner_text("#policy-form .alert-danger")
    assert str(policy_value("returns.no_reason_days")) == "7"
    page.select_option("#id_document_version", str(version.pk))
    page.fill("#id_reason", "年终促销延长")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#policy-form button[type=submit]")
    page.wait_for_selector(".alert-success")
    assert "SS-QP-030" in page.inner_text("#current-document")
    shot(page, "policy-detail-document")
    assert str(policy_value("returns.no_reason_days")) == "10"
