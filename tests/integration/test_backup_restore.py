"""Backup and restore (docs/backup.md) on PostgreSQL: a database holding encrypted content,
its key rotated (`reencrypt_content`), dumped with pg_dump (custom format) to a file, restored
with pg_restore into a new database, and read back through the app in a separate process that
knows only the new key: the client's export shows their content, every planted canary
decrypts, and the access log's append-only trigger came back with the tables."""

import io
import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection

from tests.ethics.test_canary import Canaries, _plant
from tests.integration.conftest import database_url

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
GONE = ("msgfirstZ", "msggoneZ", "attgonenameZ", "attgonefileZ", "attgonebodyZ")
KEY_OLD = Fernet.generate_key().decode()
KEY_NEW = Fernet.generate_key().decode()


def _psql(url, sql):
    subprocess.run(["psql", url, "-v", "ON_ERROR_STOP=1", "-qAtc", sql], check=True)


def test_a_dump_after_key_rotation_restores_into_a_new_database_and_reads_back(
    world, settings, tmp_path
):
    if connection.vendor != "postgresql":
        pytest.skip("needs DATABASE_URL pointing at PostgreSQL")
    settings.CONTENT_ENCRYPTION_KEYS = [KEY_OLD]
    canaries = Canaries()
    _plant(world, canaries)
    settings.CONTENT_ENCRYPTION_KEYS = [KEY_NEW, KEY_OLD]
    call_command("reencrypt_content", stdout=io.StringIO())

    source = database_url(connection.settings_dict)
    dump = tmp_path / "coaching.dump"
    subprocess.run(
        ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={dump}", source],
        check=True,
    )
    assert dump.stat().st_size > 10_000
    restored_name = f"{connection.settings_dict['NAME']}_restored_{uuid.uuid4().hex[:8]}"
    restored = source.rsplit("/", 1)[0] + "/" + restored_name
    maintenance = source.rsplit("/", 1)[0] + "/postgres"
    _psql(maintenance, f'CREATE DATABASE "{restored_name}"')
    try:
        subprocess.run(
            ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error",
             f"--dbname={restored}", str(dump)],
            check=True,
        )  # fmt: skip
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.integration.restore_settings",
            "DATABASE_URL": restored,
            "CONTENT_ENCRYPTION_KEYS": KEY_NEW,  # the old key is gone after the rotation
            "PYTHONPATH": str(ROOT),
        }
        for name in ("REDIS_URL", "TEST_DATABASE_NAME"):
            env.pop(name, None)
        probe = subprocess.run(
            [sys.executable, "-m", "tests.integration.restore_probe",
             world.client.email, world.practice.slug],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        assert probe.returncode == 0, probe.stderr[-3000:]
        found = json.loads(probe.stdout.strip().splitlines()[-1])
    finally:
        _psql(maintenance, f'DROP DATABASE IF EXISTS "{restored_name}" WITH (FORCE)')

    assert found["status"] == 200
    # Every canary the client may read reaches them through the app's export...
    client_may_read = {c for c, roles in canaries.allowed.items() if "client" in roles}
    assert len(found["export"]) >= 20
    assert set(found["export"]) <= client_may_read
    # ...and every planted canary decrypts with the new key alone, except what messaging
    # overwrote before the dump (an edited message's first text, a deleted message and the
    # file, name and text of a deleted message with an attachment).
    overwritten = {c for c in canaries.allowed if c.endswith(GONE)}
    assert set(canaries.allowed) - overwritten <= set(found["stored"])
    assert found["log_append_only"] is True
    assert found["access_events"] >= 1
    print(f"\nbackup/restore: {dump.stat().st_size} bytes, {len(found['stored'])} canaries read")
