import datetime as dt

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def display(value):
    """Render a table cell: local time for datetimes, '—' for empty."""
    if value is None or value == "":
        return "—"
    if hasattr(value, "tzinfo") and hasattr(value, "hour"):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):  # one date format everywhere (not the locale's 2026年11月4日)
        return value.strftime("%Y-%m-%d")
    return value


VIA_LABELS = {"web": "网页", "api": "接口", "job": "后台任务", "command": "管理命令", "system": "系统"}


@register.filter
def badge_count(value, cap=99):
    """A count in a badge: "99+" above `cap` (the bell, the workbench's unread notifications), as on the queues."""
    try:
        return f"{int(cap)}+" if int(value) > int(cap) else str(int(value))
    except (TypeError, ValueError):
        return ""


@register.filter
def via_label(value):
    """Where a change came from, in Chinese: web 网页, api:token#3 接口（令牌 #3）, job 后台任务…"""
    text = str(value or "")
    if not text:
        return ""
    head, _sep, rest = text.partition(":")
    label = VIA_LABELS.get(head, text)
    if head == "api" and rest:
        return f"{label}（{'会话' if rest == 'session' else '令牌 ' + rest.removeprefix('token')}）"
    return label


@register.filter
def policy_display(value, parameter):
    """A policy value as people read it: a structured value as 「label value unit」 pairs (labels from the owning
    app's `KEY_LABELS`), lists joined, booleans 是/否 — never a raw dict (issue 12 §20)."""
    from salesservice.core.registry import policy_key_labels

    unit = getattr(parameter, "unit", "") or ""
    if isinstance(value, dict):
        labels = policy_key_labels().get(getattr(parameter, "key", ""), {})
        return "；".join(f"{labels.get(key, key)} {item}{unit}" for key, item in value.items())
    if isinstance(value, list | tuple):
        return "、".join(str(item) for item in value) + (f" {unit}" if unit else "")
    if isinstance(value, bool):
        return "是" if value else "否"
    if value is None or value == "":
        return "—"
    return f"{value} {unit}".strip()


@register.simple_tag
def status_badge(obj, extra_class="", element_id=""):
    """The record's status badge, coloured by its workflow's state (one colour per state everywhere).

    `{% status_badge obj "fs-4" "status-badge" %}`: extra CSS classes, and an element id."""
    from salesservice.core.workflow import workflow_for

    workflow = workflow_for(obj)
    if workflow is None:
        return getattr(obj, "get_status_display", lambda: "")()
    return workflow.badge(getattr(obj, workflow.field), extra_class=extra_class, element_id=element_id)


@register.inclusion_tag("core/_workflow_actions.html", takes_context=True)
def workflow_actions(context, obj, only="", exclude=""):
    """The buttons/forms of the actions the user may take on `obj` now (derived from its workflow).

    `only` / `exclude`: comma-separated action names, to place some actions elsewhere on the page."""
    from django.urls import reverse

    from salesservice.core.views.workflow import build_form
    from salesservice.core.workflow import workflow_for

    workflow = workflow_for(obj)
    request = context.get("request")
    user = getattr(request, "user", None)
    wanted = {name for name in only.split(",") if name}
    unwanted = {name for name in exclude.split(",") if name}
    items = []
    for action in workflow.available(obj, user) if workflow else []:
        if (wanted and action.name not in wanted) or action.name in unwanted:
            continue
        url = reverse(workflow.action_url, args=[obj.pk, action.name])
        form = context.get(f"{action.name.replace('-', '_')}_form") or build_form(action, obj, user)
        items.append(
            {
                "action": action,
                "form": form,
                "template": action.template or "core/_action_form.html",
                "url": url,
            }
        )
    return {"actions": items, "obj": obj, "request": request, "csrf_token": context.get("csrf_token")}


@register.simple_tag(takes_context=True)
def record_panels(context, obj):
    """The panels other apps add to this record's page (core.registry `record_panels`)."""
    from django.utils.html import format_html_join

    from salesservice.core.registry import record_panels as panels_for

    request = context.get("request")
    html = [panel(request, obj) for panel in panels_for(obj._meta.label)]
    return format_html_join("", "{}", ((part,) for part in html if part))


EVIDENCE_BADGES = {"met": "bg-green-lt", "short": "bg-red-lt", "no_data": "bg-secondary-lt"}


@register.filter
def evidence_badge(status):
    """The badge class of a compliance status (`core.evidence`: met 达标, short 未达标, no_data 无数据)."""
    return EVIDENCE_BADGES.get(str(status), "bg-secondary-lt")


@register.filter
def evidence_label(status):
    from salesservice.core.evidence import STATUS_LABELS

    return STATUS_LABELS.get(str(status), str(status))
