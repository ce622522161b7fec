"""Data-subject requests across every app (PIPL; INF-1, SRV-10, TRC-4; issue 11 item 5).

A customer with records in every app that copies their identity — service requests (with visit, acceptance
and signature), a complaint, returns, a nonconformance, a follow-up, a survey response, a suggestion, customer
property — is exported, then anonymised; afterwards every text and JSON column of every table is scanned for
their name, phone, address and ID number: they are found only in the records the law requires to keep (a
medical device's service request, return and nonconformance) and in those records' seals.
"""

import datetime as dt
import json
import re
from io import BytesIO

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.db import models
from django.utils import timezone
from openpyxl import load_workbook

from salesservice.catalog.retention import add_years, record_retention
from salesservice.catalog.tests.factories import MedicalDeviceFactory, ProductFactory
from salesservice.core import privacy, registry
from salesservice.core.attachments import attachment_add
from salesservice.core.exceptions import PermissionDeniedError
from salesservice.core.models import IdempotencyRecord, OrgUnit
from salesservice.core.models.audit import PersonalDataRestriction
from salesservice.core.personal_data import export_subject, purge_expired_restrictions
from salesservice.service import services as desk
from salesservice.service.models import Acceptance, ServiceRequest, WorkRecord
from salesservice.service.tests.factories import SIGNATURE

from .. import services
from ..choices import IncidentKind, PropertyKind

pytestmark = pytest.mark.django_db

NAME = "欧阳娜娜"
PHONE = "13987654321"
ADDRESS = "杭州市西湖区文三路九九九号"
ID_NUMBER = "330106198807071234"
EMAIL = "ouyang.nana@example.com"
CONTACT_NAME = "欧阳大伟"
CONTACT_PHONE = "13711112222"
NEEDLES = (NAME, PHONE, ADDRESS, ID_NUMBER, EMAIL, CONTACT_NAME, CONTACT_PHONE)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _closed_consultation(customer, product, *, purchase_date=None, at=None):
    """A consultation answered by phone, accepted with the customer's signature and closed — through the desk."""
    received = at or timezone.now() - dt.timedelta(hours=5)
    request = desk.service_request_create(
        actor=None,
        customer=customer,
        channel="hotline",
        category="consultation",
        description=f"{NAME}来电咨询，回电 {PHONE}",
        product=product,
        purchase_date=purchase_date,
        received_at=received,
    )
    desk.request_contact(actor=None, request_id=request.pk, at=received + dt.timedelta(hours=1))
    _handled_by_store_staff(request)
    desk.request_resolve(
        actor=None,
        request_id=request.pk,
        root_cause="使用方法不当",
        solution="电话指导",
        at=received + dt.timedelta(hours=2),
    )
    desk.request_confirm(
        actor=None,
        request_id=request.pk,
        method="onsite",
        rating=5,
        comment=f"满意，{NAME}",
        signer_name=NAME,
        signature_data_url=SIGNATURE,
        at=received + dt.timedelta(hours=3),
    )
    return desk.request_close(actor=None, request_id=request.pk, at=received + dt.timedelta(hours=4))


@pytest.fixture
def everywhere(users):
    """A customer (and their contact) with a record in every app, created through the services."""
    from salesservice.complaints.services import complaint_create
    from salesservice.feedback import survey_services
    from salesservice.feedback.services import follow_up_create, follow_up_record_attempt, suggestion_submit
    from salesservice.inspection.services import nonconformance_open_for_return
    from salesservice.returns.services import return_request_create

    cs = users["xuhui_cs"]
    store = OrgUnit.objects.get(code="sh-xuhui")
    customer = services.customer_create(
        actor=cs,
        name=NAME,
        customer_type="individual",
        store=store,
        phone=PHONE,
        email=EMAIL,
        address=ADDRESS,
        id_number=ID_NUMBER,
        notes=f"{NAME}喜欢周末联系",
    )
    services.contact_add(actor=cs, customer=customer, name=CONTACT_NAME, phone=CONTACT_PHONE, address=ADDRESS)
    appliance = ProductFactory(name="空气净化器")
    device = MedicalDeviceFactory(name="电子血压计", shelf_life_tracked=True, shelf_life_days=3 * 365)
    today = timezone.localdate()

    plain = _closed_consultation(customer, appliance)
    attachment_add(
        actor=users["admin"],
        target=plain,
        file=ContentFile(b"photo", name=f"{NAME}家.png"),
        description=f"{NAME}家中的净化器",
    )
    # the process record the resolution wrote (SRV-8), here holding the customer's address
    WorkRecord.objects.filter(request=plain).update(place=ADDRESS, measures=f"{NAME}在场")
    regulated = _closed_consultation(customer, device, purchase_date=today - dt.timedelta(days=100))
    WorkRecord.objects.filter(request=regulated).update(place=ADDRESS, measures="检查袖带")
    complaint = complaint_create(
        actor=cs,
        customer=customer,
        channel="hotline",
        subject=f"{NAME}投诉安装延误",
        description=f"客户{NAME}（{PHONE}）反映安装师傅迟到，地址{ADDRESS}",
        customer_demand="道歉",
        promised_by=timezone.now() + dt.timedelta(days=2),
    )
    plain_return = return_request_create(
        actor=cs,
        customer=customer,
        product=appliance,
        purchase_date=today - dt.timedelta(days=3),
        sale_channel="in_store",
        reason="no_reason",
        requested_kind="refund",
        description=f"{NAME}不想要了",
    )
    device_return = return_request_create(
        actor=cs,
        customer=customer,
        product=device,
        purchase_date=today - dt.timedelta(days=100),
        sale_channel="in_store",
        reason="quality",
        requested_kind="exchange",
        description=f"{NAME}：读数不准",
    )
    nonconformance = nonconformance_open_for_return(
        actor=users["admin"], return_request=device_return, description="读数偏差超出允许误差"
    )
    follow_up = follow_up_create(
        actor=cs, customer=customer, kind="after_service", service_request=plain, due_at=timezone.now()
    )
    follow_up_record_attempt(
        actor=cs, follow_up_id=follow_up.pk, channel="phone", reached=False, note=f"{PHONE} 无人接听"
    )
    invitation = survey_services.survey_link_create(actor=None, customer=customer, service_request=plain)
    answers = {"rating_1_5": 5, "nps_0_10": 9, "single_choice": "门店", "text": f"{NAME}：服务很好，电话{PHONE}"}
    survey_services.survey_submit(
        invitation.token, {f"q{q.pk}": answers[q.kind] for q in invitation.link.template.questions.all()}
    )
    suggestion_submit(name=NAME, phone=PHONE, store=store, kind="suggestion", text=f"我是{NAME}，住{ADDRESS}")
    item = services.property_register(
        actor=cs,
        customer=customer,
        kind=PropertyKind.DEVICE,
        description=f"{NAME}的空气净化器",
        notes=f"联系 {PHONE}",
    )
    services.property_report_incident(
        actor=users["xuhui_engineer"], property_id=item.pk, kind=IncidentKind.DAMAGED, description=f"{NAME}的机器划伤"
    )
    IdempotencyRecord.objects.create(  # an API create replayed on retry keeps its response
        user=cs,
        key="retry-1",
        path="/api/v1/service-requests/",
        request_hash="0" * 64,
        status_code=201,
        response_body={"number": plain.number, "contact_name": NAME, "contact_phone": PHONE},
    )
    customer.refresh_from_db()
    return {
        "customer": customer,
        "plain": plain,
        "regulated": regulated,
        "complaint": complaint,
        "plain_return": plain_return,
        "device_return": device_return,
        "nonconformance": nonconformance,
        "device": device,
    }


def test_export_collects_every_app(api_for, everywhere):
    response = api_for("hq_service_manager").get(f"/api/v1/customers/{everywhere['customer'].pk}/export/")
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["customer"]["id_number"] == ID_NUMBER  # the customer file keeps its keys
    records = data["records"]
    assert [r["服务单号"] for r in records["售后服务单"]] == [
        everywhere["plain"].number,
        everywhere["regulated"].number,
    ]
    assert records["售后服务单"][0]["联系人"] == NAME and records["售后服务单"][0]["联系电话"] == PHONE
    assert records["售后服务单"][0]["服务地址"] == ADDRESS
    assert records["客户验收"][0]["签字人"] == NAME and records["服务记录"][0]["地点"] == ADDRESS
    assert records["投诉"][0]["投诉单号"] == everywhere["complaint"].number
    assert {r["退换货单号"] for r in records["退换货单"]} == {
        everywhere["plain_return"].number,
        everywhere["device_return"].number,
    }
    assert records["不合格品"][0]["不合格品单号"] == everywhere["nonconformance"].number
    assert records["回访"] and records["回访尝试"][0]["说明"] == f"{PHONE} 无人接听"
    assert PHONE in json.dumps(records["问卷答复"][0]["答案"], ensure_ascii=False)
    assert records["客户意见"][0]["姓名"] == NAME and records["客户意见"][0]["电话"] == PHONE
    assert data["property"][0]["description"] == f"{NAME}的空气净化器"

    workbook = load_workbook(
        BytesIO(
            api_for("hq_service_manager").get(f"/api/v1/customers/{everywhere['customer'].pk}/export-xlsx/").content
        )
    )
    for sheet in ("售后服务单", "服务记录", "客户验收", "投诉", "退换货单", "不合格品", "回访", "问卷答复", "客户意见"):
        cells = [str(c.value) for row in workbook[sheet].iter_rows() for c in row]
        assert len(cells) > 1, sheet
    assert PHONE in [str(c.value) for row in workbook["售后服务单"].iter_rows() for c in row]


def test_anonymise_erases_everywhere_but_the_records_the_law_keeps(api_for, users, everywhere):
    customer = everywhere["customer"]
    before = {label for label, *_rest in _scan(NEEDLES)}
    assert {
        "auditlog.LogEntry",
        "core.Event",
        "core.Notification",
        "core.Attachment",
        "core.IdempotencyRecord",
    } <= before
    assert {"service.ServiceRequest", "complaints.Complaint", "feedback.Suggestion", "feedback.SurveyAnswer"} <= before
    response = api_for("hq_service_manager").post(
        f"/api/v1/customers/{customer.pk}/anonymise/", {"reason": "客户书面申请删除"}, format="json"
    )
    assert response.status_code == 200, response.content
    result = response.json()
    assert result["is_anonymised"] and result["name"].startswith("已匿名客户")
    erased = {item["label"]: item["count"] for item in result["erased"]}
    assert erased["售后服务单"] == 1 and erased["投诉"] == 1 and erased["退换货单"] == 1
    assert erased["客户"] == 1 and erased["联系人"] == 1 and erased["顾客财产"] == 1
    assert erased["回访"] == 1 and erased["问卷答复"] == 1 and erased["客户意见"] == 1 and erased["通知消息"] >= 1
    assert erased["接口重放记录"] == 1
    restricted = {item["label"]: item for item in result["restricted"]}
    purchase = timezone.localdate() - dt.timedelta(days=100)
    until = add_years(purchase + dt.timedelta(days=3 * 365), 2).isoformat()
    for label in ("售后服务单（医疗器械）", "服务记录（医疗器械）", "客户验收（医疗器械）", "退换货单（医疗器械）"):
        assert restricted[label]["count"] == 1 and restricted[label]["retained_until"] == until, label
    assert restricted["不合格品（医疗器械）"]["count"] == 1

    hits = _scan(NEEDLES)
    unexpected = [hit for hit in hits if hit[0] != "core.PersonalDataRestriction"]
    assert not unexpected, "personal data left after anonymisation:\n" + "\n".join(map(str, unexpected))
    # … but in the seals of the records the law keeps: every one of them targets a medical device's record
    kept = {(r.target_type.model_class()._meta.label, r.target_id) for r in PersonalDataRestriction.objects.all()}
    assert {(label, pk) for label, pk in kept if label != "service.WorkRecord"} == {
        ("service.ServiceRequest", str(everywhere["regulated"].pk)),
        ("service.Acceptance", str(Acceptance.objects.get(request=everywhere["regulated"]).pk)),
        ("returns.ReturnRequest", str(everywhere["device_return"].pk)),
        ("inspection.Nonconformance", str(everywhere["nonconformance"].pk)),
    }
    assert {needle for *_where, needle in hits} == {NAME, PHONE, ADDRESS, CONTACT_NAME}
    assert not [hit for hit in hits if hit[3] == ID_NUMBER], "the ID number is not part of any retained record"
    # the regulated request keeps its data — sealed, shown masked
    regulated = ServiceRequest.objects.get(pk=everywhere["regulated"].pk)
    seal = PersonalDataRestriction.objects.get(target_id=str(regulated.pk), label="售后服务单（医疗器械）")
    assert {field: entry["value"] for field, entry in seal.sealed.items()} == {
        "contact_name": NAME,
        "contact_phone": PHONE,
        "address": ADDRESS,
        "description": f"{NAME}来电咨询，回电 {PHONE}",
    }
    assert seal.sealed["description"]["erased"] == "[已匿名]来电咨询，回电 [已匿名]"
    assert seal.subject == {"购货者": NAME, "联系人": CONTACT_NAME, "电话": PHONE, "地址": ADDRESS}
    assert seal.retained_until.isoformat() == until
    assert regulated.description == "欧***来电咨询，回电 139****4321"
    assert regulated.contact_phone == "139****4321" and regulated.contact_name == "欧***"
    acceptance = Acceptance.objects.get(request=regulated)
    assert not acceptance.signature and acceptance.signer_name == "欧***"
    plain = ServiceRequest.objects.get(pk=everywhere["plain"].pk)
    assert (plain.contact_name, plain.contact_phone, plain.address) == ("[已匿名]", "", "")
    assert not Acceptance.objects.get(request=plain).signature


def test_restricted_record_is_masked_and_never_revealed(api_for, web_for, users, everywhere):
    services.customer_anonymise(actor=users["admin"], customer_id=everywhere["customer"].pk, reason="申请")
    regulated = ServiceRequest.objects.get(pk=everywhere["regulated"].pk)
    assert privacy.can_reveal(users["admin"], regulated) is False
    with pytest.raises(PermissionDeniedError) as refused:
        privacy.reveal(actor=users["admin"], obj=regulated, field="contact_phone")
    assert refused.value.code == "privacy.restricted" and "依法保存" in refused.value.message
    detail = api_for("hq_service_manager").get(f"/api/v1/service-requests/{regulated.pk}/").json()
    assert detail["contact_name"] == "欧***" and PHONE not in json.dumps(detail)
    page = web_for("hq_service_manager").get(f"/service/requests/{regulated.pk}/")
    assert page.status_code == 200 and PHONE not in page.content.decode() and NAME not in page.content.decode()
    reveal = web_for("hq_service_manager").post(f"/service/requests/{regulated.pk}/reveal/contact_phone/")
    assert reveal.status_code == 403 and "依法保存" in reveal.content.decode()


def test_anonymise_page_says_what_was_erased_and_kept(web_for, everywhere):
    client = web_for("hq_service_manager")
    response = client.post(
        f"/customers/{everywhere['customer'].pk}/anonymise/", {"reason": "客户书面申请删除"}, follow=True
    )
    text = " ".join(str(m) for m in response.context["messages"])
    assert "客户已匿名化" in text and "售后服务单 1 条" in text
    assert "依法保留并限制处理" in text and "售后服务单（医疗器械） 1 条（保存至" in text


def test_purge_after_the_retention_date_erases_the_seal(users, everywhere):
    services.customer_anonymise(actor=users["admin"], customer_id=everywhere["customer"].pk, reason="申请")
    assert purge_expired_restrictions() == 0  # nothing is due yet
    count = PersonalDataRestriction.objects.count()
    assert purge_expired_restrictions(today=timezone.localdate() + dt.timedelta(days=365 * 30)) == count
    assert not PersonalDataRestriction.objects.exists()
    regulated = ServiceRequest.objects.get(pk=everywhere["regulated"].pk)
    assert (regulated.contact_name, regulated.contact_phone, regulated.address) == ("[已匿名]", "", "")
    assert regulated.description == "[已匿名]来电咨询，回电 [已匿名]"
    assert not [hit for hit in _scan(NEEDLES) if hit[0] == "core.PersonalDataRestriction"]


def test_retention_rule_trc_4():
    today = dt.date(2026, 3, 1)
    appliance = ProductFactory()
    assert record_retention(appliance, recorded=today) is None
    device = MedicalDeviceFactory()  # no shelf life: at least 5 years
    assert record_retention(device, recorded=today).until == dt.date(2031, 3, 1)
    dated = MedicalDeviceFactory(shelf_life_tracked=True, shelf_life_days=730)
    kept = record_retention(dated, recorded=today, purchased=dt.date(2025, 1, 1))
    assert kept.until == dt.date(2029, 1, 1)  # expiry (purchase + shelf life) + 2 years
    implant = MedicalDeviceFactory(is_implantable=True)
    assert record_retention(implant, recorded=today).until is None  # for ever
    assert record_retention(implant, recorded=today).running(dt.date(2999, 1, 1))


def test_a_medical_device_record_past_its_period_is_erased(users, everywhere):
    """TRC-4 keeps a record only while its period runs: an old device's request is erased like any other."""
    old = ServiceRequest.objects.get(pk=everywhere["regulated"].pk)
    ServiceRequest.objects.filter(pk=old.pk).update(
        purchase_date=dt.date(2010, 1, 1), received_at=timezone.now() - dt.timedelta(days=365 * 12)
    )
    ServiceRequest.objects.filter(pk=old.pk).update(closed_at=timezone.now() - dt.timedelta(days=365 * 12))
    customer = services.customer_anonymise(actor=users["admin"], customer_id=everywhere["customer"].pk, reason="申请")
    labels = [label for label, _count, _until in customer.erasure.restricted]
    assert "售后服务单（医疗器械）" not in labels
    assert ServiceRequest.objects.get(pk=old.pk).contact_phone == ""


# --- the architecture rule: every model with personal fields is covered by a handler ------------------------

PERSONAL_FIELD = re.compile(r"(^|_)(phone|mobile|address|email|id_number|contact_name|signer_name|signature)$")


def _uncovered(models_to_check, handlers) -> list[str]:
    covered = {model for handler in handlers for model in handler.models}
    missing = []
    for model in models_to_check:
        fields = [f.name for f in model._meta.concrete_fields if PERSONAL_FIELD.search(f.name)]
        if fields and model not in covered:
            missing.append(f"{model._meta.label} ({', '.join(fields)})")
    return missing


def test_every_model_with_personal_fields_is_covered_by_a_handler():
    """Adding a model with a phone / address / e-mail / ID number / contact or signer name to a domain app fails
    here until one of its app's personal-data handlers covers it (export, restrict, erase — or NotCustomerData)."""
    ours = [model for config in registry.domain_apps() for model in config.get_models()]
    missing = _uncovered(ours, registry.personal_data_handlers())
    assert not missing, "models with personal fields not covered by a personal_data handler: " + "; ".join(missing)


def test_the_coverage_rule_would_catch_a_new_model():
    from salesservice.customers.models import Contact
    from salesservice.service.models import ServiceRequest as Request

    assert _uncovered([Contact, Request], []) == [
        "customers.Contact (phone, email, address)",
        "service.ServiceRequest (contact_name, contact_phone, address)",
    ]


def test_every_handler_follows_the_protocol(everywhere):
    for handler in registry.personal_data_handlers():
        assert handler.label and handler.models, handler
        for name in ("export", "restrict", "erase"):
            assert callable(getattr(handler, name)), (handler, name)
    sections = export_subject(everywhere["customer"])
    assert all(isinstance(rows, list) for rows in sections.values())


# --- the scan ----------------------------------------------------------------------------------------------


def _scan(needles) -> list[tuple[str, str, str, str]]:
    """(model label, pk, field, needle) for every text / JSON value of every table holding a needle — also in
    JSON kept as text with \\uXXXX escapes."""
    forms = {needle: {needle, json.dumps(needle)[1:-1]} for needle in needles}
    hits = []
    for model in apps.get_models(include_auto_created=True):
        fields = [
            f
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField | models.FileField)
        ]
        if not fields:
            continue
        names = [f.attname for f in fields]
        for values in model._default_manager.values_list("pk", *names):
            pk, rest = values[0], values[1:]
            for name, value in zip(names, rest, strict=True):
                if value in (None, "", {}, []):
                    continue
                text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
                for needle, variants in forms.items():
                    if any(v in text for v in variants):
                        hits.append((model._meta.label, str(pk), name, needle))
    return hits


def _handled_by_store_staff(request):
    """SRV-8: the request's responsible person — a member of its store (HQ's admin where none)."""
    from salesservice.core.models import User

    request.assignee = User.objects.filter(memberships__org_unit=request.store, is_active=True).order_by(
        "pk"
    ).first() or User.objects.get(username="admin")
    request.save(update_fields=["assignee"])
