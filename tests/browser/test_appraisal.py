"""Issue 15 §4–5 (KPI-3, KPI-4, KPI-5): the monthly cycle is open; the CS rep 陈小客 self-evaluates on a 390 px
phone; the store manager 张徐汇 evaluates (judged attitude and ability, customer evaluation) and finalises; the
printable 考核表 opens as a PDF."""

from tests.browser.conftest import shot
from tests.browser.test_shell import login

NO_SIDEWAYS = (
    "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 390)"
    ".map(e => e.tagName + '#' + e.id + '.' + e.className + ':' + Math.round(e.getBoundingClientRect().right)).slice(0, 12)"
)


def test_self_evaluation_on_a_phone_then_evaluation_and_finalisation(demo_site, page, browser):
    from django.utils import timezone

    from salesservice.appraisals import services
    from salesservice.appraisals.choices import CycleKind
    from salesservice.appraisals.demo import ensure_definitions
    from salesservice.appraisals.models import Appraisal

    base = demo_site.url
    ensure_definitions()
    cycle = services.cycle_open(kind=CycleKind.MONTHLY, today=timezone.localdate().replace(day=1))
    appraisal = Appraisal.objects.get(cycle=cycle, appraisee__username="xuhui_cs")

    phone = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    mobile = phone.new_page()
    mobile.set_default_timeout(15_000)
    login(mobile, base, "xuhui_cs")
    mobile.wait_for_selector("#workbench-title")
    assert str(cycle) in mobile.inner_text("#panel-appraisals-my-self")  # 我的待自评考核
    mobile.goto(f"{base}/appraisals/")
    mobile.click(f"[data-appraisal='{appraisal.pk}']")
    mobile.wait_for_selector("#self-evaluate-form")
    mobile.fill("#id_self_score", "88")
    mobile.fill("#id_self_comment", "本月首次联系全部及时，客户回访满意。")
    shot(mobile, "appraisal-self-390")
    assert mobile.evaluate("document.documentElement.scrollWidth") <= 390, mobile.evaluate(NO_SIDEWAYS)
    mobile.click("#self-evaluate-button")
    mobile.wait_for_selector("#status-badge[data-status=pending_supervisor]")
    assert mobile.evaluate("document.documentElement.scrollWidth") <= 390, mobile.evaluate(NO_SIDEWAYS)
    shot(mobile, "appraisal-self-done-390")
    phone.close()

    login(page, base, "xuhui_manager")
    page.wait_for_selector("#workbench-title")
    assert "陈小客" in page.inner_text("#panel-appraisals-waiting")  # 待我评价/定稿的考核
    page.goto(f"{base}/appraisals/{appraisal.pk}/")
    page.wait_for_selector("#evaluate-form")
    page.fill("#id_supervisor_score", "82")
    page.fill("#id_attitude_score", "90")
    page.fill("#id_ability_score", "80")
    page.fill("#id_customer_score", "86")
    page.select_option("#id_customer_source", "survey")
    page.fill("#id_supervisor_comment", "服务态度好，需加强产品知识。")
    shot(page, "appraisal-evaluate")
    page.click("#evaluate-button")
    page.wait_for_selector("#finalise-form")
    page.check("#id_promotion_proposed")
    page.fill("#id_result_note", "季度评优候选。")
    page.click("#finalise-button")
    page.wait_for_selector("#final-grade")
    shot(page, "appraisal-finalised")
    appraisal.refresh_from_db()
    assert appraisal.status == "finalised" and appraisal.grade in "ABCD" and appraisal.promotion_proposed
    assert appraisal.final_score is not None and appraisal.supervisor.username == "xuhui_manager"

    pdf = page.request.get(f"{base}/appraisals/{appraisal.pk}/print/")
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf" and pdf.body()[:4] == b"%PDF"

    desk = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    hr = desk.new_page()
    hr.set_default_timeout(15_000)
    login(hr, base, "hr_trainer")
    hr.wait_for_selector("#workbench-title")
    assert str(cycle) in hr.inner_text("#panel-appraisals-cycles")  # 考核周期进度
    hr.goto(f"{base}/appraisals/cycles/{cycle.pk}/")
    hr.wait_for_selector("#cycle-progress")
    assert hr.inner_text("#cycle-progress").startswith(f"1/{cycle.appraisals.count()}")
    shot(hr, "appraisal-cycle-progress")
    desk.close()
