"""A session carries its program's practice (#11): the practice's schedule reads its sessions of
a period by that column (index schedule_practice_period), so it must be right however the
session came to be (the scheduling service, a move, a second and a third move, the factories)
and the migration that added it fills it for the sessions that existed before."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from programs import selectors
from sessions import scheduling
from sessions.models import Session
from tests.programs import builders
from tests.sessions.factories import ProgramFactory, SessionFactory

JKT = datetime.timezone(datetime.timedelta(hours=7))


def test_scheduled_and_moved_sessions_carry_the_programs_practice(world):
    program = builders.program(world, sessions=3)
    first = program.sessions.order_by("number").first()
    moved = first
    for day in (20, 21, 22):  # the first, second and third move of the same session
        moved = scheduling.session_reschedule(
            session=moved,
            actor=world.admin,
            starts_at=datetime.datetime(2027, 1, day, 9, tzinfo=JKT),
            confirm_close_spacing=True,
        )
    practices = set(Session.objects.filter(program=program).values_list("practice", flat=True))
    assert practices == {world.practice.pk}
    assert Session.objects.filter(program=program).count() == 6  # 3 + 3 moved-to rows


def test_the_schedule_counts_and_lists_only_the_practices_sessions(world, client_for, monkeypatch):
    monkeypatch.setattr(selectors, "SCHEDULE_PAGE_SIZE", 2)
    ours = ProgramFactory(practice=world.practice, client=world.client, coach=world.coach)
    theirs = ProgramFactory(practice=world.practice_b)
    for number in (1, 2, 3):
        SessionFactory(
            program=ours,
            number=number,
            starts_at=datetime.datetime(2030, 1, 7 + number, 9, tzinfo=JKT),
        )
    for number in (1, 2):  # the same days, in the other practice
        SessionFactory(
            program=theirs,
            number=number,
            starts_at=datetime.datetime(2030, 1, 7 + number, 9, tzinfo=JKT),
        )
    url = reverse("schedule_overview", args=[world.practice.slug]) + "?day=2030-01-08"
    body = client_for(world.admin).get(url).content.decode()
    assert "3 sessions in this period." in body
    assert theirs.code.hex not in body and str(theirs.code) not in body


@pytest.fixture
def at_0013(transactional_db):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([("coaching_sessions", "0013_reschedule_requests_by_status")])
    yield executor.loader.project_state(
        [("coaching_sessions", "0013_reschedule_requests_by_status")]
    ).apps
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_the_migration_fills_the_practice_of_existing_sessions(at_0013, world):
    old = at_0013
    OldProgram = old.get_model("programs", "Program")
    OldSession = old.get_model("coaching_sessions", "Session")
    ids = []
    for practice in (world.practice, world.practice_b):
        program = OldProgram.objects.create(
            practice_id=practice.pk, client_id=world.client.pk, coach_id=world.coach.pk
        )
        for number in (1, 2):
            ids.append(
                OldSession.objects.create(
                    program=program,
                    number=number,
                    starts_at=datetime.datetime(2030, 1, number, 9, tzinfo=JKT),
                    coach_id=world.coach.pk,
                    client_id=world.client.pk,
                ).pk
            )
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    filled = dict(Session.objects.filter(pk__in=ids).values_list("pk", "practice"))
    assert filled == {
        ids[0]: world.practice.pk,
        ids[1]: world.practice.pk,
        ids[2]: world.practice_b.pk,
        ids[3]: world.practice_b.pk,
    }
