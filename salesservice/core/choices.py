"""Choices shared by the core models."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrgUnitKind(models.TextChoices):
    COMPANY = "company", _("公司")
    REGION = "region", _("区部")
    STORE = "store", _("门店")
    DEPARTMENT = "department", _("部门")


class ResetPeriod(models.TextChoices):
    DAILY = "daily", _("每日")
    YEARLY = "yearly", _("每年")
    NEVER = "never", _("不重置")


class ValueType(models.TextChoices):
    INTEGER = "integer", _("整数")
    DECIMAL = "decimal", _("小数")
    PERCENT = "percent", _("百分比")
    HOURS = "hours", _("小时")
    DAYS = "days", _("天数")
    BOOLEAN = "boolean", _("是/否")
    TEXT = "text", _("文本")
    JSON = "json", _("结构化")


class CalendarKind(models.TextChoices):
    ALWAYS = "24x7", _("全天候 (24×7)")
    BUSINESS_HOURS = "business_hours", _("工作时间")


class StatutoryDayKind(models.TextChoices):
    HOLIDAY = "holiday", _("法定节假日")
    WORKDAY = "workday", _("调休工作日")


class NotificationLevel(models.TextChoices):
    INFO = "info", _("一般")
    WARNING = "warning", _("提醒")
    URGENT = "urgent", _("紧急")


class EventType(models.TextChoices):
    """Typed timeline events, grouped by domain prefix. Later apps add their own members here."""

    STATUS_CHANGED = "core.status_changed", _("状态变更")
    ORG_UNIT_CREATED = "core.org_unit_created", _("新建组织单元")
    ORG_UNIT_UPDATED = "core.org_unit_updated", _("修改组织单元")
    USER_CREATED = "core.user_created", _("新建用户")
    USER_UPDATED = "core.user_updated", _("修改用户")
    MEMBERSHIP_GRANTED = "core.membership_granted", _("授予岗位")
    MEMBERSHIP_REVOKED = "core.membership_revoked", _("撤销岗位")
    POLICY_CHANGED = "core.policy_changed", _("政策参数变更")
    PERSONAL_DATA_REVEALED = "core.personal_data_revealed", _("查看个人信息")
    PERSONAL_DATA_ERASED = "core.personal_data_erased", _("清除个人信息（数据主体请求）")
    PERSONAL_DATA_RESTRICTED = "core.personal_data_restricted", _("个人信息限制处理（依法保存）")
    PERSONAL_DATA_PURGED = "core.personal_data_purged", _("保存期满，清除封存的个人信息")
