"""The integration layer: real PostgreSQL, Redis and Celery worker processes.

Every test here is marked `integration`. Run them with DATABASE_URL and REDIS_URL set (see
scripts/test.sh). Without those services the tests skip, saying why; under
REQUIRE_ALL_LAYERS=1 the root conftest turns that skip into a failure.
"""

import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest

ROOT = Path(__file__).resolve().parents[2]
WORKER_READY_TIMEOUT = 60


def pytest_collection_modifyitems(config, items):
    here = str(Path(__file__).parent)
    for item in items:
        if str(item.fspath).startswith(here):
            item.add_marker(pytest.mark.integration)


def require_services():
    """Skips (with the reason) unless this process talks to PostgreSQL and Redis."""
    from django.db import connection

    missing = []
    if connection.vendor != "postgresql":
        missing.append(f"DATABASE_URL does not name PostgreSQL (engine: {connection.vendor})")
    if not os.environ.get("REDIS_URL"):
        missing.append("REDIS_URL is not set")
    if missing:
        pytest.skip("integration layer needs real services: " + "; ".join(missing))


@pytest.fixture
def services(transactional_db):
    require_services()


def database_url(settings_dict):
    """A DATABASE_URL for the database this test process uses (pytest-django's test_ one)."""
    user = quote(settings_dict["USER"] or "", safe="")
    password = quote(settings_dict["PASSWORD"] or "", safe="")
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = settings_dict["HOST"] or "127.0.0.1"
    port = f":{settings_dict['PORT']}" if settings_dict["PORT"] else ""
    return f"postgres://{auth}{host}{port}/{settings_dict['NAME']}"


class Worker:
    def __init__(self, process, mail_dir, log_path):
        self.process = process
        self.mail_dir = mail_dir
        self.log_path = log_path

    def log(self):
        return self.log_path.read_text(errors="replace")


@pytest.fixture
def celery_worker(services, tmp_path):
    """A real `celery -A coaching worker` process on the test database and the Redis broker.

    It sends email with the file backend into worker.mail_dir. The test process and the
    worker share CELERY_TASK_DEFAULT_QUEUE, so only this worker takes this run's tasks.
    """
    from django.conf import settings
    from django.db import connection

    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    log_path = tmp_path / "worker.log"
    queue = settings.CELERY_TASK_DEFAULT_QUEUE
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "coaching.settings.test",
        "DATABASE_URL": database_url(connection.settings_dict),
        "REDIS_URL": os.environ["REDIS_URL"],
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
        "PYTHONPATH": str(ROOT),
    }
    env.pop("TEST_DATABASE_NAME", None)
    node = f"test-{os.getpid()}@%h"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "coaching", "worker", "-n", node,
             "-Q", queue, "-c", "1", "--pool", "solo", "--without-gossip", "--without-mingle",
             "--without-heartbeat", "--loglevel", "INFO"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    worker = Worker(process, mail_dir, log_path)
    try:
        deadline = time.monotonic() + WORKER_READY_TIMEOUT
        while " ready." not in worker.log():
            if process.poll() is not None:
                pytest.fail(f"the Celery worker exited early:\n{worker.log()}")
            if time.monotonic() > deadline:
                pytest.fail(f"the Celery worker was not ready in time:\n{worker.log()}")
            time.sleep(0.3)
        yield worker
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def wait_for(predicate, *, timeout=30, interval=0.3, message="a condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {message}")
