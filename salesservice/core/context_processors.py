"""What every page's shell needs: the navigation the user's permissions allow."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

SERVICE = _("售后服务")
LOOP = _("客户关怀")
SYSTEM = _("系统")

# (label, url name, required permission or None, menu group or None). Apps append their pages here;
# entries of a group become one dropdown, shown only when the user may open at least one of them.
NAVIGATION = [
    (_("工作台"), "core:workbench", None, None),
    (_("服务单"), "service:requests", "service.view_servicerequest", SERVICE),
    (_("知识库"), "service:knowledge", "service.view_knowledgearticle", SERVICE),
    (_("外协网点"), "network:providers", "network.view_serviceprovider", SERVICE),
    (_("上岗资格"), "people:certifications", "people.view_certification", SERVICE),
    (_("投诉"), "complaints:complaints", "complaints.view_complaint", LOOP),
    (_("售后基金"), "complaints:fund", "complaints.view_compensationentry", LOOP),
    (_("投诉分析"), "complaints:analytics", "complaints.view_complaint", LOOP),
    (_("改进措施"), "complaints:actions", "complaints.view_complaint", LOOP),
    (_("客户回访"), "feedback:follow-ups", "feedback.view_followup", LOOP),
    (_("回访覆盖率"), "feedback:coverage", "feedback.view_followup", LOOP),
    (_("满意度看板"), "feedback:dashboard", "feedback.view_surveyresponse", LOOP),
    (_("满意度问卷"), "feedback:templates", "feedback.view_surveytemplate", LOOP),
    (_("意见箱"), "feedback:suggestions", "feedback.view_suggestion", LOOP),
    (_("退换货"), "returns:returns", "returns.view_returnrequest", LOOP),
    (_("不合格品"), "inspection:nonconformances", "inspection.view_nonconformance", LOOP),
    (_("客户"), "customers:customers", "customers.view_customer", None),
    (_("商品"), "catalog:products", "catalog.view_product", None),
    (_("组织单元"), "core:org-units", "core.view_orgunit", SYSTEM),
    (_("用户"), "core:users", "core.view_user", SYSTEM),
    (_("政策参数"), "core:policies", "core.view_policyparameter", SYSTEM),
    (_("审计日志"), "core:audit-log", "auditlog.view_logentry", SYSTEM),
    (_("个人信息访问记录"), "core:access-log", "core.view_personaldataaccess", SYSTEM),
]


def shell(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    path = request.path
    items: list[dict] = []
    groups: dict[str, dict] = {}
    for label, url_name, perm, group in NAVIGATION:
        if perm and not user.has_perm(perm):
            continue
        url = reverse(url_name)
        active = path == url if url == "/" else path.startswith(url)
        entry = {"label": label, "url": url, "active": active}
        if group is None:
            items.append(entry)
            continue
        if group not in groups:
            groups[group] = {"label": group, "children": [], "active": False}
            items.append(groups[group])
        groups[group]["children"].append(entry)
        groups[group]["active"] |= active
    return {"nav_items": items}
