"""Choices of the customers app: customer types, qualification kinds, property and consent vocabularies."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CustomerType(models.TextChoices):
    INDIVIDUAL = "individual", _("个人")
    ENTERPRISE = "enterprise", _("企业")
    HOSPITAL = "hospital", _("医院")
    DEALER = "dealer", _("经销商")


class QualificationKind(models.TextChoices):
    """Documents reviewed before selling (购货者资格审查, BUY-1)."""

    BUSINESS_LICENCE = "business_licence", _("营业执照")
    DEVICE_OPERATING_LICENCE = "device_operating_licence", _("医疗器械经营许可证")
    DEVICE_FILING = "device_filing", _("第二类医疗器械经营备案凭证")
    MEDICAL_INSTITUTION_LICENCE = "medical_institution_licence", _("医疗机构执业许可证")
    OTHER = "other", _("其他")


class DeviceClassScope(models.TextChoices):
    """Device classes a qualification covers (the values of catalog's DeviceClass, minus "none")."""

    CLASS_I = "I", _("第一类")
    CLASS_II = "II", _("第二类")
    CLASS_III = "III", _("第三类")


class QualificationState(models.TextChoices):
    """Computed, never stored: a qualification's standing on a given day."""

    VALID = "valid", _("有效")
    EXPIRING = "expiring", _("即将到期")
    EXPIRED = "expired", _("已过期")
    NOT_YET_VALID = "not_yet_valid", _("未生效")


class PropertyKind(models.TextChoices):
    """What customers entrust to the company (顾客财产, CPR-1) — incl. IP and personal information."""

    DEVICE = "device", _("送修设备")
    DOCUMENT = "document", _("文件资料")
    INTELLECTUAL_PROPERTY = "intellectual_property", _("知识产权")
    PERSONAL_INFORMATION = "personal_information", _("个人信息")
    OTHER = "other", _("其他")


class PropertyStatus(models.TextChoices):
    """An item's status; the moves between them are declared in `workflows.py` (`PROPERTY_WORKFLOW`)."""

    HELD = "held", _("保管中")
    RETURNED = "returned", _("已归还")
    LOST = "lost", _("丢失")
    DAMAGED = "damaged", _("损坏")


class IncidentKind(models.TextChoices):
    LOST = "lost", _("丢失")
    DAMAGED = "damaged", _("损坏")
    UNFIT = "unfit", _("发现不适用")


class InformChannel(models.TextChoices):
    PHONE = "phone", _("电话")
    SMS = "sms", _("短信")
    EMAIL = "email", _("邮件")
    IN_PERSON = "in_person", _("当面")
    LETTER = "letter", _("书面函件")
    OTHER = "other", _("其他")


class ConsentPurpose(models.TextChoices):
    """What the customer agreed to (INF-1: no disclosure without consent)."""

    DATA_PROCESSING = "data_processing", _("个人信息收集与处理")
    SERVICE_FOLLOW_UP = "service_follow_up", _("服务回访与满意度调查")
    MARKETING = "marketing", _("营销推广信息")
    THIRD_PARTY = "third_party", _("向外协网点等第三方提供")
    OTHER = "other", _("其他")


class ConsentChannel(models.TextChoices):
    PAPER = "paper", _("纸质签字")
    ONLINE = "online", _("线上勾选")
    PHONE = "phone", _("电话录音")
    SMS = "sms", _("短信确认")
    IN_STORE = "in_store", _("门店当面")


class EventType(models.TextChoices):
    """Timeline events of the customers app (registered with core in apps.py)."""

    CUSTOMER_CREATED = "customers.customer_created", _("新建客户")
    CUSTOMER_UPDATED = "customers.customer_updated", _("修改客户")
    CONTACT_ADDED = "customers.contact_added", _("新增联系人")
    CONTACT_UPDATED = "customers.contact_updated", _("修改联系人")
    QUALIFICATION_ADDED = "customers.qualification_added", _("登记购货资格")
    QUALIFICATION_UPDATED = "customers.qualification_updated", _("修改购货资格")
    QUALIFICATION_REMINDED = "customers.qualification_reminded", _("购货资格到期提醒")
    PROPERTY_REGISTERED = "customers.property_registered", _("登记顾客财产")
    PROPERTY_UPDATED = "customers.property_updated", _("修改顾客财产")
    PROPERTY_RETURNED = "customers.property_returned", _("归还顾客财产")
    PROPERTY_INCIDENT = "customers.property_incident", _("顾客财产丢失/损坏报告")
    CONSENT_GIVEN = "customers.consent_given", _("记录同意")
    CONSENT_WITHDRAWN = "customers.consent_withdrawn", _("撤回同意")
    DATA_EXPORTED = "customers.data_exported", _("导出客户个人数据")
    ANONYMISED = "customers.anonymised", _("客户匿名化")
