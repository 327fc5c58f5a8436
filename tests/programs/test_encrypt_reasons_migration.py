"""programs 0008 (finding 6 of #12): reasons written in plaintext before it are encrypted by
it and read back; new reasons are stored as tokens."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from ethics import crypto
from programs import services
from programs.models import Program, ProgramEvent
from tests.programs import builders

BEFORE = [("programs", "0007_cadence_choices_and_short_sessions")]
AFTER = [("programs", "0008_encrypt_reasons")]


def _migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)
    return executor.loader.project_state(target).apps


def _raw(table, column, pk):
    with connection.cursor() as cursor:
        quote = connection.ops.quote_name
        cursor.execute(
            f"SELECT {quote(column)} FROM {quote(table)} WHERE id = %s",  # noqa: S608
            [pk],
        )
        return cursor.fetchone()[0]


def _migrate_to_latest():
    """Every app back at its newest migration, as the rest of the run expects."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.fixture
def at_0005(transactional_db):
    """The programs app just before the reasons are encrypted (0007); newest afterwards."""
    yield _migrate(BEFORE)
    _migrate_to_latest()


def test_existing_plaintext_reasons_are_encrypted_and_read_back(at_0005, world):
    old = at_0005
    program = old.get_model("programs", "Program").objects.create(
        practice_id=world.practice.pk,
        client_id=world.client.pk,
        coach_id=world.coach.pk,
        status_reason="OLDPAUSE sick leave",
        early_completion_reason="",
    )
    event = old.get_model("programs", "ProgramEvent").objects.create(
        practice_id=world.practice.pk,
        program=program,
        subject="program",
        from_state="active",
        to_state="paused",
        reason="OLDEVENT burnout",
    )
    _migrate(AFTER)
    raw_status = _raw("programs_program", "status_reason", program.pk)
    raw_event = _raw("programs_programevent", "reason", event.pk)
    assert "OLDPAUSE" not in raw_status and "OLDEVENT" not in raw_event
    assert crypto.decrypt(raw_status) == "OLDPAUSE sick leave"
    assert _raw("programs_program", "early_completion_reason", program.pk) == ""
    assert Program.objects.get(pk=program.pk).status_reason == "OLDPAUSE sick leave"
    assert ProgramEvent.objects.get(pk=event.pk).reason == "OLDEVENT burnout"


def test_a_new_pause_reason_is_stored_encrypted(world):
    program = builders.program(world)
    services.program_transition(
        program=program, actor=world.coach, name="pause", reason="NEWPAUSE burnout"
    )
    assert "NEWPAUSE" not in _raw("programs_program", "status_reason", program.pk)
    event = ProgramEvent.objects.filter(program=program).last()
    assert "NEWPAUSE" not in _raw("programs_programevent", "reason", event.pk)
    assert Program.objects.get(pk=program.pk).status_reason == "NEWPAUSE burnout"
