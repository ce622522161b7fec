"""What every page's shell needs: the navigation the user's permissions allow (declared by each app on its
AppConfig, collected by `core.registry.navigation`)."""

from django.urls import reverse

from .registry import navigation


def shell(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    path = request.path
    items: list[dict] = []
    groups: dict[str, dict] = {}
    for entry in navigation():
        label, url_name, perm, group = entry.label, entry.url_name, entry.perm, entry.group
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
