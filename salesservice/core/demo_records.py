"""Demo records beyond the org chart: a few notifications so the bell has something to show.

Each app's own demo records come from the loader it declares on its AppConfig (`demo_loader`).
"""

from django.utils.module_loading import import_string

from .models import Notification, User
from .notifications import notify
from .registry import demo_loaders


def load_demo_records() -> None:
    load_demo_notifications()
    # Each app's idempotent demo loader, in INSTALLED_APPS order (products before customers before orders…).
    for dotted in demo_loaders():
        import_string(dotted)()


def load_demo_notifications() -> None:
    if Notification.objects.filter(kind="demo.welcome").exists():
        return
    users = list(User.objects.filter(is_active=True))
    notify(
        recipients=users,
        title="欢迎使用销售服务管理系统",
        body="这是演示环境：所有账号的密码均为 demo-pass-2026。",
        url="/",
        kind="demo.welcome",
    )
    admins = [u for u in users if u.is_superuser]
    notify(
        recipients=admins,
        title="请核对政策参数",
        body="首次联系时限、升级时限、赔付权限等参数来自公司制度默认值，请按本公司实际调整。",
        url="/policies/",
        kind="demo.policies",
        level="warning",
    )
