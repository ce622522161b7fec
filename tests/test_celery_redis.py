"""A real Celery worker process runs the project's task code through a real broker.

- Redis (production broker): needs CELERY_TEST_REDIS_URL, e.g. redis://127.0.0.1:6379/15 (CI sets it).
- The embedded default (kombu's filesystem transport under VAR_DIR): always runs.

The worker is `celery -A salesservice worker` with the real settings; the test talks to it through a
separate, bare Celery client app, as another service would. Neither side touches the test database.
"""

import os
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from celery import Celery

REPO_ROOT = Path(__file__).resolve().parent.parent
REDIS_URL = os.environ.get("CELERY_TEST_REDIS_URL", "")
READY_TIMEOUT_SECONDS = 40
RESULT_TIMEOUT_SECONDS = 60


class Worker:
    """A `celery worker` subprocess whose combined output is collected for failure messages."""

    def __init__(self, queue: str, env: dict[str, str]):
        self.lines: list[str] = []
        self.ready = threading.Event()
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "salesservice",
                "worker",
                "--pool=solo",
                "-Q",
                queue,
                "-n",
                f"{queue}@%h",
                "--without-heartbeat",
                "--without-gossip",
                "--without-mingle",
                "--loglevel=INFO",
            ],
            cwd=REPO_ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            errors="replace",
        )
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))
            if " ready." in line:
                self.ready.set()

    def output(self) -> str:
        return "\n".join(self.lines[-60:])

    def wait_ready(self):
        deadline = time.monotonic() + READY_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            if self.ready.wait(0.2):
                return
            if self.process.poll() is not None:
                pytest.fail(f"worker exited with {self.process.returncode} before it was ready:\n{self.output()}")
        pytest.fail(f"worker not ready after {READY_TIMEOUT_SECONDS}s:\n{self.output()}")

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()  # warm shutdown
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@contextmanager
def running_worker(queue: str, env_overrides: dict[str, str]) -> Iterator[Worker]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "salesservice.settings",
        "DEBUG": "true",
        "PYTHONUNBUFFERED": "1",
        "CELERY_TASK_ALWAYS_EAGER": "false",
        **env_overrides,
    }
    worker = Worker(queue, env)
    try:
        worker.wait_ready()
        yield worker
    finally:
        worker.stop()


def round_trip(client: Celery, queue: str, worker: Worker) -> None:
    result = client.send_task("core.ping", args=["hello"], queue=queue)
    try:
        value = result.get(timeout=RESULT_TIMEOUT_SECONDS)
    except Exception as exc:  # noqa: BLE001 — show the worker's side of the story
        pytest.fail(f"no result from the worker ({exc!r}):\n{worker.output()}")
    assert value == "hello"


@pytest.mark.redis
@pytest.mark.skipif(not REDIS_URL, reason="set CELERY_TEST_REDIS_URL (e.g. redis://127.0.0.1:6379/15) to run")
def test_worker_runs_a_task_through_redis(tmp_path):
    queue = f"test-{uuid.uuid4().hex[:12]}"
    overrides = {"CELERY_BROKER_URL": REDIS_URL, "CELERY_RESULT_BACKEND": REDIS_URL, "VAR_DIR": str(tmp_path / "var")}
    client = Celery("redis-test-client", broker=REDIS_URL, backend=REDIS_URL)
    try:
        with running_worker(queue, overrides) as worker:
            round_trip(client, queue, worker)
    finally:
        try:
            with client.connection_for_write() as connection:
                connection.default_channel.queue_delete(queue)
        except Exception:  # noqa: BLE001, S110 — tidying only
            pass
        client.close()


def test_worker_runs_a_task_through_the_embedded_filesystem_broker(tmp_path):
    """The default needs no server: broker folders under VAR_DIR, as settings.py lays them out."""
    var_dir = tmp_path / "var"
    queue_dir = var_dir / "celery" / "queue"
    processed_dir = var_dir / "celery" / "processed"
    control_dir = var_dir / "celery" / "control"
    results_dir = tmp_path / "results"
    for folder in (queue_dir, processed_dir, control_dir, results_dir):
        folder.mkdir(parents=True, exist_ok=True)
    backend = f"file://{results_dir}"
    overrides = {"CELERY_BROKER_URL": "filesystem://", "CELERY_RESULT_BACKEND": backend, "VAR_DIR": str(var_dir)}
    client = Celery("filesystem-test-client", broker="filesystem://", backend=backend)
    client.conf.broker_transport_options = {
        "data_folder_in": str(queue_dir),
        "data_folder_out": str(queue_dir),
        "processed_folder": str(processed_dir),
        "control_folder": str(control_dir),
        "store_processed": False,
    }
    queue = f"test-{uuid.uuid4().hex[:12]}"
    try:
        with running_worker(queue, overrides) as worker:
            round_trip(client, queue, worker)
    finally:
        client.close()
