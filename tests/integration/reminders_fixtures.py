"""Processes for the reminder integration tests: Celery workers, beats, a private Redis.

Each process runs in its own process group, so a test can SIGKILL a worker with its pool
children, as a crashed machine would.
"""

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
CELERY = str(Path(sys.executable).with_name("celery"))
MESSAGE_ID = re.compile(r"^Message-ID: (<reminder-[0-9a-f]{40}@coaching>)$", re.MULTILINE)


def needs_real_services():
    if connection.vendor != "postgresql" or not os.environ.get("REDIS_URL"):
        pytest.skip("needs DATABASE_URL (PostgreSQL) and REDIS_URL")
    if not shutil.which(CELERY):
        pytest.skip("celery is not installed")


class Processes:
    def __init__(self, tmp_path, broker_url):
        self.tmp_path = tmp_path
        self.broker_url = broker_url
        self.mail_dir = tmp_path / "mail"
        self.mail_dir.mkdir(exist_ok=True)
        self.running = []

    def env(self, **extra):
        env = dict(os.environ)
        env.update(
            DJANGO_SETTINGS_MODULE="tests.integration.reminders_settings",
            REMINDERS_TEST_DB=settings.DATABASES["default"]["NAME"],
            REMINDERS_BROKER_URL=self.broker_url,
            REMINDERS_MAIL_DIR=str(self.mail_dir),
            PYTHONPATH=str(ROOT),
        )
        env.update(extra)
        return env

    def _start(self, name, args, **env):
        log = open(self.tmp_path / f"{name}.log", "ab")  # noqa: SIM115
        process = subprocess.Popen(
            args, cwd=ROOT, env=self.env(**env), stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        process.log_path = self.tmp_path / f"{name}.log"
        self.running.append(process)
        return process

    def worker(self, name="worker", concurrency=2):
        return self._start(
            name,
            [CELERY, "-A", "coaching", "worker", "--include", "tests.integration.reminders_kind",
             "-c", str(concurrency), "-n", f"{name}@%h", "--without-gossip", "--without-mingle",
             "--without-heartbeat", "-l", "info"],
        )  # fmt: skip

    def beat(self, name="beat"):
        return self._start(
            name,
            [CELERY, "-A", "coaching", "beat", "-s", str(self.tmp_path / f"{name}-schedule"),
             "-l", "info"],
        )  # fmt: skip

    def redis(self, port):
        return self._start(
            f"redis-{port}",
            ["redis-server", "--port", str(port), "--save", "", "--appendonly", "no"],
        )

    @staticmethod
    def kill(process, sig=signal.SIGKILL):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)

    def stop_all(self):
        for process in reversed(self.running):
            if process.poll() is None:
                self.kill(process, signal.SIGTERM)

    def message_ids(self):
        """Every Message-ID the workers sent, duplicates included."""
        ids = []
        for path in self.mail_dir.iterdir():
            ids += MESSAGE_ID.findall(path.read_text(errors="replace"))
        return ids


@pytest.fixture(name="processes")
def processes_fixture(tmp_path):
    procs = Processes(tmp_path, os.environ.get("REDIS_URL", ""))
    yield procs
    procs.stop_all()


def wait_for(predicate, *, timeout, interval=0.5, message="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {message}")
