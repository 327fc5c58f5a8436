"""The program event log is append-only: written by the transition engine only, and on
PostgreSQL a trigger refuses UPDATE and DELETE (as for ethics.AccessEvent)."""

import pgtrigger
import pytest
from django.db import connection, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.utils import InternalError, ProgrammingError

from conftest import build_world
from programs import services
from programs.models import ProgramEvent
from tests.programs import builders

TRIGGER = "program_event_append_only"


def test_the_model_declares_the_trigger_on_update_and_delete():
    (trigger,) = ProgramEvent._meta.triggers
    assert isinstance(trigger, pgtrigger.Protect)
    assert (trigger.name, str(trigger.operation)) == (TRIGGER, "UPDATE OR DELETE")


def test_the_migrations_install_it():
    state = MigrationLoader(None, ignore_no_migrations=True).project_state()
    triggers = state.models["programs", "programevent"].options["triggers"]
    assert [t.name for t in triggers] == [TRIGGER]


def test_a_transition_appends_one_event_and_keeps_the_earlier_ones(world):
    proposal = builders.proposal(world)
    first = list(proposal.events.values())
    services.proposal_send(proposal=proposal, actor=world.admin)
    assert list(proposal.events.values())[:1] == first
    assert proposal.events.count() == 2


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_postgresql_refuses_update_and_delete_of_an_event():
    if connection.vendor != "postgresql":
        pytest.skip("needs DATABASE_URL pointing at PostgreSQL")
    world = build_world()
    proposal = builders.proposal(world)
    event = ProgramEvent.objects.get(proposal=proposal)
    table = ProgramEvent._meta.db_table
    for statement in [
        f"UPDATE {table} SET reason = 'changed' WHERE id = %s",  # noqa: S608
        f"DELETE FROM {table} WHERE id = %s",  # noqa: S608
    ]:
        with (
            pytest.raises((InternalError, ProgrammingError)),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement, [event.pk])
    # Through the ORM too, and by cascade: the log outlives what it is about.
    for change in [
        lambda: ProgramEvent.objects.filter(pk=event.pk).update(to_state="sent"),
        lambda: ProgramEvent.objects.filter(pk=event.pk).delete(),
        lambda: proposal.delete(),
    ]:
        with pytest.raises((InternalError, ProgrammingError)), transaction.atomic():
            change()
    event.refresh_from_db()
    assert (event.to_state, event.reason) == ("draft", "")
