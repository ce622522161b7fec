"""TRC-2 recall pages: new recall from a traced lot, the recall page with its reconciliation and tasks, the task
page with contact and recovery — the actions the workflows declare, refusals in Chinese."""

import pytest

from ..models import RecallCampaign, RecallTask
from . import factories as f

pytestmark = pytest.mark.django_db


def test_recall_from_the_page_to_reconciliation(demo, web_for):
    """TRC-2 on the pages: create, launch, contact, recover (over-recovery refused), see the reconciliation."""
    lot, buyers = f.lot_to_three_customers((10, 20, 5))
    client = web_for("qa_inspector")
    form = client.get(f"/trace/recalls/new/?lot={lot.pk}")
    assert lot.lot_number in form.content.decode()
    response = client.post(
        "/trace/recalls/new/", {"title": "召回", "level": "2", "reason": "灭菌不合格", "lots": lot.lot_number}
    )
    campaign = RecallCampaign.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/trace/recalls/{campaign.pk}/"
    client.post(f"/trace/recalls/{campaign.pk}/launch/", {"version": campaign.version})
    page = client.get(f"/trace/recalls/{campaign.pk}/").content.decode()
    assert page.count('class="recall-task"') == 3 and 'id="total-shipped">35<' in page

    task = RecallTask.objects.get(customer=buyers[2])
    store = web_for("xuhui_manager")
    store.post(f"/trace/tasks/{task.pk}/contact/", {"note": "已电话告知", "version": task.version})
    task.refresh_from_db()
    refused = store.post(
        f"/trace/tasks/{task.pk}/recover/", {"lot": lot.pk, "quantity": 9, "version": task.version}, follow=True
    )
    assert "超过" in refused.content.decode()
    store.post(f"/trace/tasks/{task.pk}/recover/", {"lot": lot.pk, "quantity": 5, "version": task.version})
    task.refresh_from_db()
    assert task.status == "done" and task.recovered_quantity == 5
    page = web_for("qa_inspector").get(f"/trace/recalls/{campaign.pk}/").content.decode()
    assert 'id="total-recovered">5<' in page and 'id="total-outstanding">30<' in page


def test_recall_close_button_refuses_while_tasks_are_open(demo, web_for):
    lot, _buyers = f.lot_to_three_customers()
    client = web_for("qa_inspector")
    client.post("/trace/recalls/new/", {"title": "召回", "level": "3", "reason": "r", "lots": lot.lot_number})
    campaign = RecallCampaign.objects.get()
    client.post(f"/trace/recalls/{campaign.pk}/launch/", {"version": campaign.version})
    campaign.refresh_from_db()
    response = client.post(f"/trace/recalls/{campaign.pk}/close/", {"version": campaign.version}, follow=True)
    assert "还有召回任务未完成" in response.content.decode()
    campaign.refresh_from_db()
    assert campaign.status == "open"


def test_lists_and_out_of_scope_task(demo, web_for):
    lot = f.stocked_lot(f.device(), lot_number="TRC-PG")
    f.sell(lot, f.customer("gz-tianhe"), 3)
    client = web_for("qa_inspector")
    client.post("/trace/recalls/new/", {"title": "召回", "level": "2", "reason": "r", "lots": "TRC-PG"})
    campaign = RecallCampaign.objects.get()
    client.post(f"/trace/recalls/{campaign.pk}/launch/", {"version": campaign.version})
    assert client.get("/trace/recalls/").status_code == 200
    assert client.get("/trace/tasks/").status_code == 200
    task = RecallTask.objects.get()
    assert web_for("xuhui_cs").get(f"/trace/tasks/{task.pk}/").status_code == 404


def test_task_phone_is_masked_and_revealed_with_an_access_log(demo, web_for):
    """DESIGN §7: the customer's phone is masked on the task page; a store manager reveals it, and it is logged."""
    from salesservice.core.models import PersonalDataAccess

    lot, buyers = f.lot_to_three_customers()
    client = web_for("qa_inspector")
    client.post("/trace/recalls/new/", {"title": "召回", "level": "2", "reason": "r", "lots": lot.lot_number})
    campaign = RecallCampaign.objects.get()
    client.post(f"/trace/recalls/{campaign.pk}/launch/", {"version": campaign.version})
    task = RecallTask.objects.get(customer=buyers[0])
    store = web_for("xuhui_manager")
    page = store.get(f"/trace/tasks/{task.pk}/").content.decode()
    assert "138****5678" in page and "13812345678" not in page and 'id="reveal-phone"' in page
    revealed = store.post(f"/trace/tasks/{task.pk}/reveal/phone/")
    assert "13812345678" in revealed.content.decode()
    assert PersonalDataAccess.objects.filter(field="phone", target_id=str(task.pk)).exists()
