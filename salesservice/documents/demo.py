"""Demo records of document control (DOC-1) for `manage.py load_demo` — never fatal, idempotent.

- The five seed policies (000–004) as controlled documents, each with an issued V1 covering the clauses the
  inventory traces to it, drafted by the QA inspector 孙质检 and approved and issued by the general manager;
  every concerned user has confirmed reading them.
- A procedure 「SS-QP-010 售后服务受理与回访程序」 with V1 superseded by a V2 issued five days ago that some
  store staff have not confirmed yet: the reminder job has reminded them and their workbench lists it.
"""

import datetime as dt
import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from salesservice.core.models import OrgUnit, User

logger = logging.getLogger(__name__)

ALL_STAFF = [
    "cs_rep",
    "sales_rep",
    "engineer",
    "cs_supervisor",
    "store_manager",
    "region_manager",
    "service_manager",
    "warehouse_clerk",
    "qa_inspector",
    "purchaser",
    "purchasing_manager",
    "general_manager",
    "hr_trainer",
    "auditor",
]
STORE_STAFF = ["cs_rep", "sales_rep", "engineer", "cs_supervisor", "store_manager", "region_manager", "service_manager"]

# code, title, kind, seed, roles
SEED_POLICIES = [
    ("SS-ZD-000", "质量售货服务管理制度", "policy", "000", ALL_STAFF),
    ("SS-ZD-001", "商贸售后管理制度", "policy", "001", STORE_STAFF),
    ("SS-ZD-002", "销售服务规范", "policy", "002", ALL_STAFF),
    ("SS-ZD-003", "门店销售客服管理办法", "policy", "003", STORE_STAFF),
    ("SS-QP-004", "销售及服务控制程序", "procedure", "004", ALL_STAFF),
]
PROCEDURE = ("SS-QP-010", "售后服务受理与回访程序")


def _user(name):
    return User.objects.filter(username=name).first()


def _pdf(code: str, title: str, label: str, text: str) -> ContentFile:
    from salesservice.core.pdf import Document, render_document

    doc = Document(title=title, number=f"{code} {label}")
    doc.fields([("文件编号", code), ("版本", label), ("编制", "质量部"), ("批准", "总经理")])
    doc.text("内容摘要", text)
    return ContentFile(render_document(doc), name=f"{code}-{label}.pdf")


def load_demo() -> None:
    try:
        with transaction.atomic():
            _load()
    except Exception:  # a demo story that cannot be told is skipped, never fatal
        logger.warning("documents demo skipped", exc_info=True)


def _issue(qa, gm, version, *, acknowledge=True, skip=()):
    from . import services

    services.version_submit(actor=qa, version_id=version.pk)
    services.version_approve(actor=gm, version_id=version.pk, note="同意发布")
    services.version_issue(actor=gm, version_id=version.pk)
    if acknowledge:
        for user in services.concerned_users(version.document):
            if user.username not in skip:
                services.version_acknowledge(actor=user, version_id=version.pk)


def _load() -> None:
    from . import services
    from .clauses import clauses_of_seed
    from .models import ControlledDocument, DocumentVersion

    qa, gm = _user("qa_inspector"), _user("gm")
    quality = OrgUnit.objects.filter(code="dept-quality").first()
    service_dept = OrgUnit.objects.filter(code="dept-service").first()
    if qa is None or gm is None or quality is None or service_dept is None:
        return
    for code, title, kind, seed, roles in SEED_POLICIES:
        if ControlledDocument.objects.filter(code=code).exists():
            continue
        document = services.document_create(
            actor=qa,
            code=code,
            title=title,
            kind=kind,
            org_unit=quality,
            clauses=clauses_of_seed(seed),
            concerned_roles=roles,
            description=f"制度原文 {seed}：{title}（seeds/{seed}）。",
            change_summary="依据制度原文建立受控版本",
            file=_pdf(code, title, "V1", f"{title}全文（制度原文 {seed}）。"),
        )
        _issue(qa, gm, document.versions.get())
    code, title = PROCEDURE
    if not ControlledDocument.objects.filter(code=code).exists():
        manager = _user("hq_service_manager")
        document = services.document_create(
            actor=qa,
            code=code,
            title=title,
            kind="procedure",
            org_unit=service_dept,
            clauses=["SRV-1", "SRV-2", "FBK-1"],
            concerned_roles=["cs_rep", "cs_supervisor", "store_manager", "engineer"],
            description="门店与售后服务部受理报修、首次联系与完工回访的步骤。",
            change_summary="首次发布",
            file=_pdf(code, title, "V1", "受理登记、2 小时内首次联系、完工后回访。"),
        )
        first = document.versions.get()
        _issue(qa, manager, first)
        long_ago = timezone.now() - dt.timedelta(days=60)
        DocumentVersion.objects.filter(pk=first.pk).update(
            issued_at=long_ago,
            issue_date=timezone.localdate(long_ago),
            effective_date=timezone.localdate(long_ago),
            approved_at=long_ago,
        )
        second = services.version_draft(
            actor=qa,
            document_id=document.pk,
            change_summary="首次联系时限由 4 小时改为 2 小时；增加重点客户回访要求。",
            file=_pdf(code, title, "V2", "受理登记、2 小时内首次联系、重点客户每季度回访。"),
        )
        _issue(qa, manager, second, skip={"xuhui_cs", "xuhui_engineer", "tianhe_cs"})
        five_days_ago = timezone.now() - dt.timedelta(days=5)
        DocumentVersion.objects.filter(pk=second.pk).update(
            issued_at=five_days_ago,
            issue_date=timezone.localdate(five_days_ago),
            effective_date=timezone.localdate(five_days_ago),
        )
        services.acknowledgements_remind(actor=None)
