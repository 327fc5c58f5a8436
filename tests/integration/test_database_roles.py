"""Finding 14 of #12: the app's database role cannot switch the access log's append-only
trigger off. On a private PostgreSQL cluster (tests/integration/test_postgres_restart.py's) the
test database is restored as the owner, and the app role is made exactly as the README's
deployment section prescribes (CONNECT, USAGE, rows of every table, sequences): it reads and
appends to the log, and it can neither disable nor drop the trigger, nor change an event."""

import subprocess

import psycopg
import pytest
from django.db import connection

from ethics import services
from ethics.models import AccessEvent
from tests.ethics.helpers import program_for
from tests.integration.conftest import database_url
from tests.integration.test_postgres_restart import PG_BIN, cluster  # noqa: F401 (fixture)

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

# README, "The database roles": what the owner grants the app role after each migrate.
GRANTS = """
CREATE ROLE coaching_app LOGIN;
GRANT CONNECT ON DATABASE coaching TO coaching_app;
GRANT USAGE ON SCHEMA public TO coaching_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO coaching_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO coaching_app;
"""


def test_the_app_role_cannot_switch_the_access_log_off(world, cluster, tmp_path):  # noqa: F811
    event = services.access_record(
        reader=world.sponsor, item=program_for(world), label="Program aims", path="/p/cahaya/x/"
    )
    table = AccessEvent._meta.db_table
    assert table == "ethics_accessevent"  # named in the SQL below
    dump = tmp_path / "coaching.dump"
    subprocess.run(
        ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={dump}",
         database_url(connection.settings_dict)],
        check=True,
    )  # fmt: skip
    owner_url = cluster.url.replace("postgres://", "postgresql://")
    subprocess.run(
        [str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(cluster.port), "-U", "postgres",
         "coaching"],
        check=True,
    )  # fmt: skip
    subprocess.run(
        ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error",
         f"--dbname={owner_url}", str(dump)],
        check=True,
    )  # fmt: skip
    with psycopg.connect(owner_url, autocommit=True) as owner:
        for statement in GRANTS.strip().splitlines():
            owner.execute(statement)

    app_url = owner_url.replace("postgres@", "coaching_app@")
    refused = {}
    with psycopg.connect(app_url, autocommit=True) as app:
        # The app's own work goes on: it reads the log and appends to it.
        assert app.execute("SELECT count(*) FROM ethics_accessevent").fetchone()[0] == 1
        columns = [
            row[0]
            for row in app.execute(
                "SELECT column_name FROM information_schema.columns "
                "WHERE table_name = 'ethics_accessevent' AND column_name NOT IN ('id', 'code')"
            )
        ]
        copied = ", ".join(columns)
        app.execute(
            f"INSERT INTO ethics_accessevent (code, {copied}) "  # noqa: S608 - its own columns
            f"SELECT gen_random_uuid(), {copied} FROM ethics_accessevent WHERE id = %s",
            [event.pk],
        )
        for name, statement in [
            ("disable", "ALTER TABLE ethics_accessevent DISABLE TRIGGER ALL"),
            ("disable user triggers", "ALTER TABLE ethics_accessevent DISABLE TRIGGER USER"),
            ("update", "UPDATE ethics_accessevent SET label = 'changed'"),
            ("delete", "DELETE FROM ethics_accessevent"),
            ("truncate", "TRUNCATE ethics_accessevent"),
        ]:
            try:
                app.execute(statement)
            except psycopg.Error as error:
                refused[name] = type(error).__name__
        trigger_names = [
            row[0]
            for row in app.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = 'ethics_accessevent'::regclass "
                "AND NOT tgisinternal"
            )
        ]
        for trigger in trigger_names:
            try:
                app.execute(f'DROP TRIGGER "{trigger}" ON ethics_accessevent')
                refused.setdefault("drop", "")
            except psycopg.Error as error:
                refused[f"drop {trigger}"] = type(error).__name__
        labels = [r[0] for r in app.execute("SELECT label FROM ethics_accessevent")]

    assert trigger_names, "the append-only trigger came back with the table"
    assert refused["disable"] == refused["disable user triggers"] == "InsufficientPrivilege"
    assert {refused["update"], refused["delete"]} <= {"RaiseException", "InsufficientPrivilege"}
    assert refused["truncate"] in ("RaiseException", "InsufficientPrivilege")
    assert all(refused[f"drop {t}"] == "InsufficientPrivilege" for t in trigger_names)
    assert "drop" not in refused
    assert labels == ["Program aims", "Program aims"]
