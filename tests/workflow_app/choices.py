from django.db import models


class EventType(models.TextChoices):
    TICKET_STARTED = "workflow_app.ticket_started", "开始处理工单"
    TICKET_FINISHED = "workflow_app.ticket_finished", "完成工单"
    TICKET_CANCELLED = "workflow_app.ticket_cancelled", "取消工单"
