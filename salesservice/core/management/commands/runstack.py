"""`manage.py runstack` — the whole stack on one machine: gunicorn (web) + one Celery worker with embedded beat.

Both run as child processes of this command, each in its own session so that a terminal's Ctrl+C reaches
only this command, which forwards it. If either child dies, the other is stopped and the command exits
non-zero, so a supervisor (systemd, a container runtime) sees the failure and restarts the stack.
"""

import os
import signal
import subprocess
import sys
import threading
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from salesservice.core.demo import DEMO_PASSWORD, DEMO_USERS

STOP_TIMEOUT_SECONDS = 20


class Command(BaseCommand):
    help = (
        "启动 Web 服务（gunicorn）和后台任务（Celery worker + beat）。Start web server and job worker with scheduler."
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1", help="监听地址 / bind address (default 127.0.0.1)")
        parser.add_argument("--port", type=int, default=8000, help="端口 / port (default 8000)")
        parser.add_argument("--workers", type=int, default=2, help="gunicorn 进程数 / web worker processes (default 2)")

    def handle(self, *args, host, port, workers, **options):
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "salesservice.settings"),
            "PYTHONUNBUFFERED": "1",
        }
        commands = {
            "web": [
                sys.executable,
                "-m",
                "gunicorn",
                "salesservice.wsgi",
                "--bind",
                f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
                "--workers",
                str(workers),
                "--access-logfile",
                "-",
                "--error-logfile",
                "-",
                "--no-control-socket",  # we supervise it; a shared ~/.gunicorn socket would clash between stacks
            ],
            "jobs": [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "salesservice",
                "worker",
                "-B",
                "--pool=solo",
                "--loglevel=INFO",
                "--schedule",
                str(settings.CELERY_BEAT_SCHEDULE_FILENAME),
            ],
        }
        self.print_banner(host, port)

        self.stopping = False
        self.children: dict[str, subprocess.Popen] = {}
        previous = {sig: signal.signal(sig, self.on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            for name, command in commands.items():
                child = subprocess.Popen(
                    command,
                    cwd=settings.BASE_DIR,
                    env=env,
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
                self.children[name] = child
                threading.Thread(target=self.relay, args=(name, child), daemon=True).start()
            failed = self.supervise()
        finally:
            self.stop_all()
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        if failed:
            name, code = failed
            raise CommandError(f"{name} 进程意外退出（退出码 {code}），已停止全部服务。{name} exited with {code}.")
        self.stdout.write("已停止。Stopped.")

    # --- supervision ------------------------------------------------------------------
    def supervise(self) -> tuple[str, int] | None:
        """Wait until a signal asks us to stop (→ None) or a child dies on its own (→ its name and code)."""
        while not self.stopping:
            for name, child in self.children.items():
                code = child.poll()
                if code is not None:
                    return name, code
            time.sleep(0.3)
        return None

    def on_signal(self, signum, frame):
        if self.stopping:  # a second Ctrl+C: stop waiting for a graceful shutdown
            for child in self.children.values():
                if child.poll() is None:
                    self.send(child, signal.SIGKILL)
            return
        self.stopping = True
        self.stderr.write(f"收到信号 {signal.Signals(signum).name}，正在停止…  Stopping…")
        for child in self.children.values():
            self.send(child, signum)

    def stop_all(self):
        """Ask every child still running to stop (SIGTERM), then kill those that have not within the timeout."""
        for child in self.children.values():
            if child.poll() is None:
                self.send(child, signal.SIGTERM)
        deadline = time.monotonic() + STOP_TIMEOUT_SECONDS
        for child in self.children.values():
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                self.send(child, signal.SIGKILL)
                child.wait()
        # Leftovers of a child that died abruptly (e.g. gunicorn's workers after its master was killed):
        # each child leads its own process group, so stop whatever is still in those groups.
        for signum in (signal.SIGTERM, signal.SIGKILL):
            groups = [child.pid for child in self.children.values() if self.group_alive(child.pid)]
            if not groups:
                return
            for pgid in groups:
                try:
                    os.killpg(pgid, signum)
                except ProcessLookupError:
                    pass
            deadline = time.monotonic() + 5
            while time.monotonic() < deadline and any(self.group_alive(pgid) for pgid in groups):
                time.sleep(0.2)

    @staticmethod
    def group_alive(pgid: int) -> bool:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True

    @staticmethod
    def send(child: subprocess.Popen, signum: int):
        try:
            child.send_signal(signum)
        except ProcessLookupError:
            pass

    def relay(self, name: str, child: subprocess.Popen):
        """Copy a child's output line by line, prefixed with its name."""
        assert child.stdout is not None
        for raw in child.stdout:
            line = raw.decode("utf-8", errors="replace").rstrip("\n")
            try:
                self.stdout.write(f"[{name}] {line}")
                self.stdout.flush()
            except (BrokenPipeError, ValueError):
                return

    # --- banner -----------------------------------------------------------------------
    def print_banner(self, host: str, port: int):
        shown_host = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
        if ":" in shown_host:
            shown_host = f"[{shown_host}]"
        base = f"http://{shown_host}:{port}"
        broker = settings.CELERY_BROKER_URL.split("://", 1)[0]
        lines = [
            "",
            "=" * 72,
            "销售服务管理系统 · Sales Service Management System",
            "=" * 72,
            f"  网址 Web UI        {base}/",
            f"  接口文档 API docs  {base}/api/v1/docs/",
            f"  健康检查 Health    {base}/healthz",
            f"  后台任务 Jobs      Celery worker + beat, broker: {broker}",
            f"  DEBUG={settings.DEBUG}  数据库 database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}",
        ]
        usernames = [row[0] if isinstance(row, (tuple, list)) else str(row) for row in DEMO_USERS]
        if self.demo_users_exist(usernames):
            lines += ["", f"  演示账号 Demo logins（密码 password: {DEMO_PASSWORD}）:"]
            for row in DEMO_USERS:
                if isinstance(row, (tuple, list)) and len(row) > 1:
                    lines.append(f"    {row[0]:<22} {row[1]}")
                else:
                    lines.append(f"    {row}")
        else:
            lines += ["", "  未载入演示数据 No demo data: `manage.py load_demo` (or `make run`)."]
        lines += ["", "  按 Ctrl+C 停止。Press Ctrl+C to stop.", "=" * 72, ""]
        self.stdout.write("\n".join(lines))
        self.stdout.flush()

    @staticmethod
    def demo_users_exist(usernames: list[str]) -> bool:
        from django.contrib.auth import get_user_model
        from django.db import DatabaseError, connections

        try:
            return get_user_model().objects.filter(username__in=usernames).exists()
        except DatabaseError:
            return False
        finally:
            connections.close_all()
