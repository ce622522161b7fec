"""Issue 5 journeys of the feedback loop: a customer answers a survey on a phone-sized page without an
account (FBK-3), and the feedback dashboard shows the answer (FBK-4)."""

from tests.browser.conftest import shot
from tests.browser.test_shell import login


def test_customer_answers_a_survey_on_a_phone_and_the_dashboard_shows_it(demo_site, browser, page):
    from salesservice.core.models import User
    from salesservice.customers.models import Customer
    from salesservice.feedback.models import SurveyResponse
    from salesservice.feedback.survey_services import survey_link_create

    customer = Customer.objects.get(name="上海市徐汇区中心医院")
    invitation = survey_link_create(
        actor=User.objects.get(username="xuhui_cs"),
        customer=customer,
        store=customer.store,
        source_number="SR-TEST-0001",
        staff=User.objects.get(username="xuhui_engineer"),
    )
    phone = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    survey = phone.new_page()
    survey.goto(demo_site.url + invitation.path)
    survey.wait_for_selector("#survey-form")
    for question in survey.locator(".survey-question").all():
        kind = question.get_attribute("data-kind")
        if kind == "rating_1_5":
            question.locator("label", has_text="5").first.click()
        elif kind == "nps_0_10":
            question.locator("label", has_text="10").first.click()
        elif kind in ("single_choice", "multiple_choice"):
            question.locator("label").first.click()
        elif kind == "text":
            question.locator("textarea").fill("工程师准时到场，讲解很耐心")
    shot(survey, "survey-phone")
    survey.click("#submit-survey")
    survey.wait_for_selector("#survey-done")
    survey.goto(demo_site.url + invitation.path)  # one answer per link
    survey.wait_for_selector("#survey-error")
    phone.close()
    assert SurveyResponse.objects.filter(customer=customer, source_number="SR-TEST-0001").count() == 1

    login(page, demo_site.url, "xuhui_manager")
    page.wait_for_selector("#workbench-title")
    page.goto(f"{demo_site.url}/feedback/dashboard/")
    page.wait_for_selector("#csat-chart canvas, #csat-chart svg")
    assert "工程师准时到场，讲解很耐心" in page.inner_text("#latest-responses")
    shot(page, "feedback-dashboard")
