"""Health, jobs, demo data, the status door and production settings."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from salesservice.core.exceptions import InvalidTransition
from salesservice.core.models import Event, Heartbeat, User
from salesservice.core.tasks import heartbeat
from salesservice.core.workflow import transition

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.django_db
def test_healthz_reports_database_and_scheduler(client):
    body = client.get("/healthz").json()
    assert body["database"]["ok"] is True
    assert body["scheduler"]["ok"] is False and body["status"] == "degraded"
    heartbeat()
    body = client.get("/healthz").json()
    assert body["status"] == "ok" and body["scheduler"]["ok"] is True
    assert body["scheduler"]["last_heartbeat"] and body["scheduler"]["age_seconds"] < 60
    heartbeat()
    assert Heartbeat.objects.get(name="scheduler").count == 2


def test_heartbeat_is_scheduled_periodically():
    from salesservice.celery import app

    app.loader.import_default_modules()
    app.finalize()
    schedule = app.conf.beat_schedule
    assert any(entry["task"] == "core.heartbeat" for entry in schedule.values()), schedule


@pytest.mark.django_db
def test_load_demo_is_idempotent(settings):
    settings.DEBUG = True
    from salesservice.core.demo import DEMO_USERS
    from salesservice.core.models import Event

    call_command("load_demo")
    counts = (User.objects.count(), Event.objects.count())
    call_command("load_demo")
    assert (User.objects.count(), Event.objects.count()) == counts  # a second run changes nothing
    assert User.objects.filter(username__in=[row[0] for row in DEMO_USERS]).count() == len(DEMO_USERS)


@pytest.mark.django_db
def test_load_demo_refuses_production_settings_unless_forced(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("load_demo")
    call_command("load_demo", "--force")
    assert User.objects.filter(username="admin").exists()


@pytest.mark.django_db
def test_status_door_allows_table_moves_and_records_them(demo, users):
    from tests.workflow_app.models import Ticket

    ticket = Ticket.objects.create(title="报修", org_unit=demo["sh-xuhui"])
    transition(ticket, "working", transitions=Ticket.TRANSITIONS, actor=users["xuhui_cs"], reason="开始处理")
    ticket.refresh_from_db()
    assert ticket.status == "working" and ticket.version == 2
    event = Event.objects.get(event_type="core.status_changed", target_id=str(ticket.pk))
    assert event.old == {"status": "open"} and event.new == {"status": "working"} and event.actor == users["xuhui_cs"]


@pytest.mark.django_db
def test_status_door_refuses_moves_outside_the_table(demo):
    from tests.workflow_app.models import Ticket

    ticket = Ticket.objects.create(title="报修", org_unit=demo["sh-xuhui"])
    with pytest.raises(InvalidTransition) as error:
        transition(ticket, "done", transitions=Ticket.TRANSITIONS)
    assert error.value.status_code == 409 and "不能从“打开”变为“完成”" in str(error.value.message)
    ticket.refresh_from_db()
    assert ticket.status == "open" and not Event.objects.exists()


def test_production_settings_pass_check_deploy(tmp_path):
    env = {
        **{
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("SECURE_", "SESSION_", "CSRF_", "DEBUG", "DJANGO_ALLOW_ASYNC"))
        },
        "DJANGO_SETTINGS_MODULE": "salesservice.settings",
        "DEBUG": "false",
        "SECRET_KEY": "x" * 20 + "-production-secret-key-with-enough-entropy-0123456789abcdef",
        "ALLOWED_HOSTS": "service.example.com",
        "VAR_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
