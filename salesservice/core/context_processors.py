"""What every page's shell needs: the navigation the user's permissions allow."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# (label, url name, required permission or None). Later apps append their sections here.
NAVIGATION = [
    (_("工作台"), "core:workbench", None),
    (_("客户"), "customers:customers", "customers.view_customer"),
    (_("商品"), "catalog:products", "catalog.view_product"),
    (_("组织单元"), "core:org-units", "core.view_orgunit"),
    (_("用户"), "core:users", "core.view_user"),
    (_("政策参数"), "core:policies", "core.view_policyparameter"),
    (_("审计日志"), "core:audit-log", "auditlog.view_logentry"),
    (_("个人信息访问记录"), "core:access-log", "core.view_personaldataaccess"),
]


def shell(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    path = request.path
    items = []
    for label, url_name, perm in NAVIGATION:
        if perm and not user.has_perm(perm):
            continue
        url = reverse(url_name)
        active = path == url if url == "/" else path.startswith(url)
        items.append({"label": label, "url": url, "active": active})
    return {"nav_items": items}
