"""programs 0003: rows written in plaintext before it are encrypted by it, and read back.

The rows are written with the models as they were at 0002 (plain TextField, a JSON column),
then the migration runs; the columns then hold tokens and the models read the same words."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from ethics import crypto

BEFORE = [("programs", "0002_program_completion_summary_and_more")]
AFTER = [("programs", "0003_encrypt_content")]


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


@pytest.fixture
def at_0002(transactional_db):
    """The programs app at 0002 for the test's first part; back at the latest afterwards."""
    yield _migrate(BEFORE)
    _migrate_to_latest()


def _migrate_to_latest():
    """Every app at its newest migration, as the rest of the test run expects (later
    migrations, such as programs 0005's append-only trigger, would otherwise stay unapplied)."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_existing_plaintext_is_encrypted_and_reads_back(at_0002, world):
    old = at_0002
    Program = old.get_model("programs", "Program")
    program = Program.objects.create(
        practice_id=world.practice.pk,
        client_id=world.client.pk,
        coach_id=world.coach.pk,
        theme="OLDTHEME lead calmly",
        aims="OLDAIMS",
        current_state="OLDCSOB",
        future_state="OLDFSOB",
        completion_summary="",  # empty stays empty
    )
    objective = old.get_model("programs", "Objective").objects.create(
        program=program, text="OLDOBJECTIVE", measure="OLDMEASURE"
    )
    revision = old.get_model("programs", "ProgramRevision").objects.create(
        program=program,
        theme="OLDREVTHEME",
        aims="",
        reason="OLDREASON",
        objectives=[{"text": "OLDREVOBJ", "measure": ""}],
    )
    review = old.get_model("programs", "ObjectiveReview").objects.create(
        objective=objective, result="achieved", note="OLDREVIEW"
    )
    proposal = old.get_model("programs", "Proposal").objects.create(
        practice_id=world.practice.pk, origin="demand_led", need="OLDNEED", expires_on="2030-01-01"
    )

    _migrate(AFTER)

    raw = {
        "theme": _raw("programs_program", "theme", program.pk),
        "summary": _raw("programs_program", "completion_summary", program.pk),
        "objective": _raw("programs_objective", "text", objective.pk),
        "revision": _raw("programs_programrevision", "objectives", revision.pk),
        "reason": _raw("programs_programrevision", "reason", revision.pk),
        "review": _raw("programs_objectivereview", "note", review.pk),
        "need": _raw("programs_proposal", "need", proposal.pk),
    }
    assert raw["summary"] == ""
    assert not [k for k, v in raw.items() if "OLD" in str(v)], raw
    assert crypto.decrypt(raw["theme"]) == "OLDTHEME lead calmly"

    from programs.models import Objective, ObjectiveReview, Program, ProgramRevision, Proposal

    program = Program.objects.get(pk=program.pk)
    assert (program.theme, program.aims, program.current_state, program.future_state) == (
        "OLDTHEME lead calmly",
        "OLDAIMS",
        "OLDCSOB",
        "OLDFSOB",
    )
    assert program.completion_summary == ""
    assert Objective.objects.get(pk=objective.pk).measure == "OLDMEASURE"
    revision = ProgramRevision.objects.get(pk=revision.pk)
    assert revision.objectives == [{"text": "OLDREVOBJ", "measure": ""}]
    assert revision.reason == "OLDREASON"
    assert ObjectiveReview.objects.get(pk=review.pk).note == "OLDREVIEW"
    # only(): at 0003 the table lacks the columns later migrations add (first_time_coaching).
    assert Proposal.objects.only("need").get(pk=proposal.pk).need == "OLDNEED"


@pytest.mark.django_db(transaction=True)
def test_backwards_the_tokens_become_text_again(world):
    from programs.models import Program

    program = Program.objects.create(
        practice=world.practice,
        client=world.client,
        coach=world.coach,
        theme="NEWTHEME",
        created_at=timezone.now(),
    )
    assert _raw("programs_program", "theme", program.pk) != "NEWTHEME"
    old = _migrate(BEFORE)
    try:
        assert _raw("programs_program", "theme", program.pk) == "NEWTHEME"
        assert old.get_model("programs", "Program").objects.get(pk=program.pk).theme == "NEWTHEME"
    finally:
        _migrate_to_latest()
