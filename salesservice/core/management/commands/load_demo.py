"""`manage.py load_demo` — demo organisation, users and records. Idempotent."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from salesservice.core import context
from salesservice.core.demo import DEMO_PASSWORD, DEMO_USERS, load_demo_org


class Command(BaseCommand):
    help = "载入演示数据（组织、用户及各模块示例单据），可重复运行。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="即使 DEBUG=false 也载入（演示密码是公开的，勿用于生产）"
        )

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "拒绝在生产配置（DEBUG=false）下载入演示数据：演示账号的密码是公开的。确需载入请加 --force。"
            )
        token = context.activate(context.RequestContext(via="command"))
        try:
            load_demo_org()
            from salesservice.core.demo_records import load_demo_records

            load_demo_records()
        finally:
            context.reset(token)
        self.stdout.write(self.style.SUCCESS(f"演示数据已就绪。登录账号（密码均为 {DEMO_PASSWORD}）："))
        for username, display_name, role_code, unit_code, _phone in DEMO_USERS:
            self.stdout.write(f"  {username:<22} {display_name}（{role_code} @ {unit_code}）")
