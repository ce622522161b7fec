"""Training that certifies (issue 15, PPL-4): the HR trainer builds a course with three questions in the browser,
an uncertified engineer takes the exam on a 390 px phone and passes, and the service desk may then dispatch him."""

import re

from tests.browser.conftest import shot
from tests.browser.test_service_desk import logout, option_value
from tests.browser.test_shell import login

QUESTIONS = [
    ("上门维修前首先应做什么？", ["断开电源并确认安全", "直接拆机", "先收费", "联系厂家"], "A"),
    ("空调外机不转，最先检查的是？", ["遥控器电池", "电源与启动电容", "室内滤网", "排水管"], "B"),
    ("服务完成后应请客户做什么？", ["付小费", "保留旧件", "在验收单上签字确认", "写好评"], "C"),
]


def test_hr_builds_a_course_and_a_trainee_passes_on_a_phone_and_is_dispatched(demo_site, page, browser):
    """PPL-4 (seed 001 第十九条; 004 §4.1.4): only those who pass the exam after training take up the post."""
    from salesservice.catalog.models import Product
    from salesservice.core.models import User
    from salesservice.people.models import Certification
    from salesservice.people.services import certification_check
    from salesservice.service.models import ServiceRequest

    base = demo_site.url
    page.on("dialog", lambda dialog: dialog.accept())
    trainee = User.objects.get(username="xuhui_trainee")
    product = Product.objects.get(code="HA-1001")
    assert [r.code for r in certification_check(trainee, product)] == ["dispatch.uncertified"]

    # The HR trainer creates the course and its question bank.
    login(page, base, "hr_trainer")
    page.wait_for_selector("#workbench-title")
    page.goto(f"{base}/people/courses/new/")
    page.fill("#id_title", "空调安装维修上岗考试")
    page.select_option("#id_category", option_value(page, "#id_category", "家用电器"))
    page.fill("#id_pass_mark", "80")
    page.fill("#id_validity_months", "24")
    page.fill("#id_content", "安全规范、安装调试、常见故障判断。")
    page.click("#course-form button[type=submit]")
    page.wait_for_selector("#question-form")
    for text, options, answer in QUESTIONS:
        page.fill("#id_text", text)
        for letter, option in zip("abcd", options, strict=True):
            page.fill(f"#id_option_{letter}", option)
        page.select_option("#id_answer", answer)
        page.click("#add-question")
        page.wait_for_selector(f".question-row:has-text('{text}')")
    assert page.inner_text("#question-count") == "3"
    shot(page, "people-course-questions")
    course_url = page.url
    logout(page)

    # The trainee takes the exam on his phone.
    phone = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    mobile = phone.new_page()
    mobile.set_default_timeout(15_000)
    mobile.on("dialog", lambda dialog: dialog.accept())
    login(mobile, base, "xuhui_trainee")
    mobile.wait_for_selector("#panel-exams-available")
    assert "空调安装维修上岗考试" in mobile.inner_text("#panel-exams-available")
    mobile.goto(course_url)
    mobile.wait_for_selector("#start-exam")
    assert "答案" not in mobile.inner_text("#course")
    mobile.click("#start-exam")
    mobile.wait_for_selector("#exam-form")
    assert mobile.evaluate("document.documentElement.scrollWidth") <= 390
    shot(mobile, "people-exam-390")
    for text, _options, answer in QUESTIONS:
        question = mobile.locator(".exam-question", has_text=text)
        question.locator(f"input[value={answer}]").check()
    mobile.click("#submit-exam")
    mobile.wait_for_selector("#attempt-result [data-result=passed]")
    assert mobile.inner_text("#attempt-score") == "100"
    assert "上岗资格证" in mobile.inner_text("#certificate-issued")
    assert mobile.evaluate("document.documentElement.scrollWidth") <= 390
    shot(mobile, "people-exam-result-390")
    mobile.click("#certificate-issued a")
    mobile.wait_for_selector("#certification-state [data-state=valid]")
    assert "公司培训考核" in mobile.inner_text("#certification")
    shot(mobile, "people-certificate-390")
    phone.close()

    certification = Certification.objects.get(user=trainee)
    assert certification.exam_attempt is not None and certification.issued_by == "公司培训考核"
    assert certification_check(trainee, product) == []

    # The service desk may now dispatch a request for that product to him.
    login(page, base, "xuhui_cs")
    page.wait_for_selector("#workbench-title")
    page.goto(f"{base}/service/requests/new/")
    page.fill("#id_customer", "张伟")
    page.click("#customer-candidates .customer-candidate:has-text('张伟')")
    page.select_option("#id_channel", "hotline")
    page.select_option("#id_category", "repair")
    page.select_option("#id_product", option_value(page, "#id_product", "HA-1001"))
    page.fill("#id_description", "空调不制冷，外机不转")
    page.click("#intake-submit")
    page.wait_for_selector("#status-badge[data-status=received]")
    number = re.search(r"SR-\d{8}-\d{4}", page.inner_text("h2.page-title")).group(0)
    page.click("#contact-button")
    page.wait_for_selector("#status-badge[data-status=contacted]")
    page.select_option(
        "#dispatch-form select[name=engineer]", option_value(page, "#dispatch-form select[name=engineer]", "李见习")
    )
    page.click("#dispatch-button")
    page.wait_for_selector("#status-badge[data-status=dispatched]")
    shot(page, "people-dispatch-after-exam")
    assert ServiceRequest.objects.get(number=number).assignee == trainee
