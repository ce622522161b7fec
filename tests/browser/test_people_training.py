"""Posts, recruitment and training attendance in the browser (issue 15, PPL-1, PPL-2): the HR trainer writes a
post description, moves a candidate through interview, written test and background check to hire (hire refused
before), and records the attendance of a session on a 390 px phone."""

import datetime as dt

from tests.browser.conftest import shot
from tests.browser.test_service_desk import option_value
from tests.browser.test_shell import login


def _step(page, action, today, score):
    form = f"#{action}-form"
    page.fill(f"{form} [name=held_on]", today)
    page.fill(f"{form} [name=score]", score)
    page.check(f"{form} [name=passed]")
    page.click(f"#{action}-button")
    page.wait_for_selector(f"#step-records [data-step={action.replace('-', '_')}]")


def test_hr_posts_recruits_to_hire_and_records_attendance_on_a_phone(demo_site, page, browser):
    """PPL-1 (000 招聘標準; 004 §4.3.2.1) and PPL-2 (001 第十七/十八条)."""
    from django.utils import timezone

    from salesservice.core.models import OrgUnit, User
    from salesservice.people import training
    from salesservice.people.models import Candidate, SessionParticipant

    base = demo_site.url
    page.on("dialog", lambda dialog: dialog.accept())
    today = timezone.localdate()

    # The post description with its recruitment criteria.
    login(page, base, "hr_trainer")
    page.wait_for_selector("#workbench-title")
    page.goto(f"{base}/people/posts/new/")
    page.fill("#id_name", "售后客服专员")
    page.fill("#id_code", "after-sales-cs")
    page.fill("#id_duties", "受理售后来电，登记服务单并跟踪进度。")
    page.fill("#id_education", "大专及以上")
    page.fill("#id_criteria", "面试考察沟通能力；笔试考核服务规范；背景调查核实履历。")
    page.click("#people-save")
    page.wait_for_selector("#post-description")
    assert "背景调查核实履历" in page.inner_text("#post-description")
    shot(page, "people-post-description")

    # A candidate for it, masked phone, hire refused before the three steps.
    page.goto(f"{base}/people/candidates/new/")
    page.select_option("#id_post", option_value(page, "#id_post", "售后客服专员"))
    page.select_option("#id_org_unit", option_value(page, "#id_org_unit", "上海徐汇店"))
    page.fill("#id_name", "周应聘")
    page.fill("#id_phone", "13655556666")
    page.click("#people-save")
    page.wait_for_selector("#status-badge[data-status=applied]")
    assert page.inner_text("#phone-value") == "136****6666"
    page.click("#hire-button")
    page.wait_for_selector(".alert")
    assert "尚未通过" in page.inner_text("body")
    assert Candidate.objects.get(name="周应聘").status == "applied"

    _step(page, "interview", today.isoformat(), "86")
    _step(page, "written-test", today.isoformat(), "80")
    _step(page, "background-check", today.isoformat(), "90")
    shot(page, "people-candidate-steps")
    page.click("#hire-button")
    page.wait_for_selector("#status-badge[data-status=hired]")
    candidate = Candidate.objects.get(name="周应聘")
    assert candidate.status == "hired" and candidate.step_records.filter(passed=True).count() == 3
    shot(page, "people-candidate-hired")

    # A session held today in 天河's plan: attendance on the phone.
    hr = User.objects.get(username="hr_trainer")
    tianhe = OrgUnit.objects.get(code="gz-tianhe")
    people = [User.objects.get(username="tianhe_cs"), User.objects.get(username="tianhe_engineer")]
    plan = training.plan_create(actor=hr, year=today.year, org_unit=tianhe, title="天河店年度培训计划")
    session = training.session_add(
        actor=hr, plan_id=plan.pk, topic="服务礼仪", kind="periodic", planned_on=today - dt.timedelta(days=0),
        trainer=hr, participants=people, location="天河店会议室",
    )  # fmt: skip
    training.plan_approve(actor=hr, plan_id=plan.pk)

    phone = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    mobile = phone.new_page()
    mobile.set_default_timeout(15_000)
    login(mobile, base, "hr_trainer")
    mobile.wait_for_selector("#workbench-title")
    mobile.goto(f"{base}/people/sessions/{session.pk}/")
    mobile.wait_for_selector("#attendance-form")
    present, absent = people
    mobile.click(f"label[for=att_{present.pk}_present]")
    mobile.click(f"label[for=att_{absent.pk}_absent]")
    assert mobile.evaluate("document.documentElement.scrollWidth") <= 390
    shot(mobile, "people-attendance-390")
    mobile.click("#attendance-save")
    mobile.wait_for_selector("#attendance-recorded")
    assert mobile.evaluate("document.documentElement.scrollWidth") <= 390
    shot(mobile, "people-attendance-recorded-390")
    rows = dict(SessionParticipant.objects.filter(session=session).values_list("user_id", "attendance"))
    assert rows == {present.pk: "present", absent.pk: "absent"}
    phone.close()
