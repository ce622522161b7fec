"""Pages: Chinese content, filters/search/pagination, the dossier's actions, the list's workflow buttons,
refusals shown in Chinese, scope (404) and permissions (403)."""

from django.contrib.auth.models import Group

from salesservice.catalog.tests.factories import ProductFactory
from salesservice.core.models import Membership, OrgUnit, User
from salesservice.suppliers.choices import QualifiedListStatus, Standing
from salesservice.suppliers.models import QualifiedList, Supplier
from salesservice.suppliers.tests.factories import delist, qualified_supplier, supplier, unlisted_supplier


def test_list_page_with_search_and_standing_filter(web_for):
    unlisted_supplier(name="宁波甬康医疗")
    other = unlisted_supplier(name="广州百灵电器")
    Supplier.objects.filter(pk=other.pk).update(standing=Standing.CONDITIONAL)
    client = web_for("purchaser")
    page = client.get("/suppliers/").content.decode()
    assert "供应商" in page and "宁波甬康医疗" in page and "新建供应商" in page
    found = client.get("/suppliers/", {"q": "甬康"}).content.decode()
    assert "宁波甬康医疗" in found and "广州百灵电器" not in found
    conditional = client.get("/suppliers/", {"standing": "conditional"}).content.decode()
    assert "广州百灵电器" in conditional and "宁波甬康医疗" not in conditional


def test_list_page_paginates(web_for):
    for index in range(27):
        unlisted_supplier(name=f"分页公司{index:02d}")
    client = web_for("purchaser")
    first = client.get("/suppliers/").content.decode()
    second = client.get("/suppliers/", {"page": 2}).content.decode()
    assert "分页公司00" in first and "分页公司26" not in first and "分页公司26" in second


def test_dossier_shows_documents_listing_warnings_and_order_check(web_for):
    product, other = ProductFactory(name="电子血压计"), ProductFactory(name="制氧机")
    supplier = qualified_supplier(product, name="杭州好医生")
    client = web_for("purchasing_manager")
    page = client.get(f"/suppliers/{supplier.pk}/").content.decode()
    assert "营业执照" in page and "质量保证协议" in page and "电子血压计" in page
    assert "暂停采购" in page and "保存评价" in page and "登记资质文件" in page
    refused = client.get(f"/suppliers/{supplier.pk}/", {"product": other.pk}).content.decode()
    assert "不能下单" in refused and "未获准供应“制氧机”" in refused
    allowed = client.get(f"/suppliers/{supplier.pk}/", {"product": product.pk}).content.decode()
    assert "可以下单" in allowed


def test_phone_is_masked(web_for):
    supplier(name="电话公司", phone="13912345678")
    page = web_for("purchaser").get("/suppliers/").content.decode()
    assert "139****5678" in page and "13912345678" not in page


def test_create_supplier_through_the_page_and_refusal_in_chinese(web_for):
    client = web_for("purchaser")
    response = client.post("/suppliers/new/", {"name": "页面公司", "credit_code": "91310000MA1K2B3C4D"})
    supplier = Supplier.objects.get(name="页面公司")
    assert response.status_code == 302 and response["Location"] == f"/suppliers/{supplier.pk}/"
    bad = client.post("/suppliers/new/", {"name": "页面公司二", "credit_code": "abc"})
    assert "统一社会信用代码须为 18 位数字或大写字母" in bad.content.decode()


def test_evaluate_and_suspend_from_the_dossier(web_for):
    supplier = unlisted_supplier()
    client = web_for("purchasing_manager")
    response = client.post(
        f"/suppliers/{supplier.pk}/evaluate/",
        {"period_start": "2026-01-01", "period_end": "2026-03-31", "score_qualification": "50", "score_brand": "50"},
    )
    assert response.status_code == 302
    supplier.refresh_from_db()
    assert supplier.standing == Standing.DISQUALIFIED
    refused = client.post(f"/suppliers/{supplier.pk}/suspend/", {"reason": ""})
    assert refused.status_code == 400
    client.post(f"/suppliers/{supplier.pk}/suspend/", {"reason": "评价不合格", "version": supplier.version})
    supplier.refresh_from_db()
    assert supplier.is_suspended
    page = client.get(f"/suppliers/{supplier.pk}/").content.decode()
    assert "恢复采购" in page and "评价不合格" in page


def test_purchaser_sees_no_suspend_form_and_is_refused(web_for):
    supplier = unlisted_supplier()
    client = web_for("purchaser")
    assert 'id="suspend-form"' not in client.get(f"/suppliers/{supplier.pk}/").content.decode()
    assert client.post(f"/suppliers/{supplier.pk}/suspend/", {"reason": "x"}).status_code == 403


def test_out_of_scope_and_no_permission(web_for, users):
    supplier = unlisted_supplier()
    user = User.objects.create(username="east_purchaser2", display_name="华东采购")
    Membership.objects.create(
        user=user, org_unit=OrgUnit.objects.get(code="east"), role=Group.objects.get(name="purchaser")
    )
    users[user.username] = user
    assert web_for("east_purchaser2").get(f"/suppliers/{supplier.pk}/").status_code == 404
    assert web_for("xuhui_cs").get("/suppliers/").status_code == 403


def test_qualified_list_pages_drive_the_workflow(web_for):
    product = ProductFactory()
    supplier = unlisted_supplier(name="名单公司")
    purchaser = web_for("purchaser")
    response = purchaser.post("/suppliers/lists/new/", {"title": "2026 年合格供方名单", "copy_current": "on"})
    ql = QualifiedList.objects.get(title="2026 年合格供方名单")
    assert response.status_code == 302
    page = purchaser.get(f"/suppliers/lists/{ql.pk}/").content.decode()
    assert "草稿" in page and "提交审批" in page and "添加/修改条目" in page
    refused = purchaser.post(f"/suppliers/lists/{ql.pk}/entries/", {"supplier": supplier.pk})
    assert "请至少选择一个商品或商品类别" in refused.content.decode()
    purchaser.post(f"/suppliers/lists/{ql.pk}/entries/", {"supplier": supplier.pk, "products": [product.pk]})
    ql.refresh_from_db()
    purchaser.post(f"/suppliers/lists/{ql.pk}/submit/", {"version": ql.version})
    ql.refresh_from_db()
    assert ql.status == QualifiedListStatus.SUBMITTED
    manager = web_for("purchasing_manager")
    page = manager.get(f"/suppliers/lists/{ql.pk}/").content.decode()
    assert "批准" in page and "退回修改" in page
    manager.post(f"/suppliers/lists/{ql.pk}/approve/", {"version": ql.version})
    ql.refresh_from_db()
    assert ql.status == QualifiedListStatus.APPROVED
    listing = manager.get("/suppliers/lists/").content.decode()
    assert "已批准（现行）" in listing


def test_suspended_supplier_dossier_says_it(web_for):
    product = ProductFactory()
    supplier = qualified_supplier(product)
    delist(supplier)
    page = web_for("purchaser").get(f"/suppliers/{supplier.pk}/", {"product": product.pk}).content.decode()
    assert "已暂停采购" in page and "不能下单" in page


def test_workbench_shows_expiring_documents_and_lists_to_approve(web_for):
    import datetime as dt

    from django.utils import timezone

    from salesservice.suppliers import services
    from salesservice.suppliers.models import SupplierDocument

    soon = unlisted_supplier(name="资质将到期公司")
    SupplierDocument.objects.filter(supplier=soon).update(expires_on=timezone.localdate() + dt.timedelta(days=7))
    draft = services.qualified_list_create(actor=None, title="待批名单")
    services.qualified_list_set_entry(actor=None, list_id=draft.pk, supplier=soon, products=[ProductFactory()])
    services.qualified_list_submit(actor=None, list_id=draft.pk)
    page = web_for("purchasing_manager").get("/").content.decode()
    assert "供应商资质到期提醒" in page and "资质将到期公司" in page
    assert "待审批的合格供方名单" in page and "待批名单" in page
