"""Issue 14 §7 (DEL-3, DEL-6): the store engineer hands a shipped delivery over on a 390 px phone — the joint
check item by item, the customer's signature drawn with a finger on the signature pad, then the release; and a
release without acceptance and without concession is refused in Chinese first."""

from tests.browser.conftest import shot
from tests.browser.test_shell import login


def _draw(page, selector):
    box = page.locator(selector).bounding_box()
    page.mouse.move(box["x"] + 20, box["y"] + 90)
    page.mouse.down()
    for step in range(1, 14):
        page.mouse.move(box["x"] + 20 + step * 22, box["y"] + 90 + (30 if step % 2 else -30))
    page.mouse.up()


def test_acceptance_signed_on_a_390px_phone(demo_site, browser, settings, tmp_path):
    from salesservice.core.policy_defaults import seed_policy_defaults
    from salesservice.delivery.models import Delivery
    from salesservice.delivery.tests.factories import shipped_delivery
    from salesservice.sales.choices import OrderStatus

    settings.MEDIA_ROOT = tmp_path / "media"
    seed_policy_defaults()
    delivery = shipped_delivery()
    url = f"{demo_site.url}/delivery/{delivery.pk}/"

    phone = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = phone.new_page()
    page.set_default_timeout(15_000)
    login(page, demo_site.url, "xuhui_engineer")
    page.wait_for_selector("#workbench-title")
    assert delivery.number in page.inner_text("#panel-deliveries-today")  # 今日交付

    page.goto(url)
    page.wait_for_selector("#accept-form")
    assert "客户验收" in page.inner_text("#release-gate")
    # DEL-6: release before acceptance, without a concession, is refused in Chinese and changes nothing
    page.click("#release-button")
    page.wait_for_selector(".alert-danger")
    assert "不得放行" in page.inner_text(".alert-danger")
    assert Delivery.objects.get(pk=delivery.pk).status == "shipped"

    page.wait_for_selector("#accept-form")
    for item, result in (
        ("packing_list", "pass"),
        ("appearance", "pass"),
        ("installation", "na"),
        ("function", "pass"),
    ):
        page.click(f"label[for=id_check_{item}_{['pass', 'fail', 'na'].index(result)}]")
    page.fill("#id_note_function", "开机自检正常，报警功能正常")
    page.locator("#accept-signature-pad").scroll_into_view_if_needed()
    _draw(page, "#accept-signature-pad")
    shot(page, "delivery-accept-390")
    wide = page.evaluate(
        "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 390)"
        ".map(e => e.tagName + '#' + e.id + '.' + e.className + ':' + Math.round(e.getBoundingClientRect().right)).slice(0, 12)"
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, wide  # nothing scrolls sideways
    page.click("#accept-button")
    page.wait_for_selector("#signature-image")
    # the image loads after the page: poll it (up to 15 s) rather than read it at once; a broken image never loads.
    # (Not `wait_for_function`: its string predicate is eval'd in the page, which the CSP forbids.)
    loaded = "() => { const i = document.querySelector('#signature-image'); return i.complete && i.naturalWidth > 0; }"
    for _ in range(60):
        if page.evaluate(loaded):
            break
        page.wait_for_timeout(250)
    else:
        raise AssertionError("the signature image did not load")
    shot(page, "delivery-accepted-390")
    delivery.refresh_from_db()
    assert delivery.status == "accepted" and delivery.signature
    assert {c.item: c.result for c in delivery.checks.all()}["installation"] == "na"

    page.click("#release-button")
    page.wait_for_selector(".alert-success")
    delivery.refresh_from_db()
    assert delivery.status == "released" and delivery.order.status == OrderStatus.DELIVERED
    shot(page, "delivery-released-390")
    phone.close()
