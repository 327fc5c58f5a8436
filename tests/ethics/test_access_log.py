import pytest
from django.db import connection, transaction
from django.db.utils import InternalError, ProgrammingError

from ethics import services
from ethics.models import AccessEvent, AppendOnlyError
from tests.ethics.helpers import journal_entry_for, program_for


def _event(world, **extra):
    program = program_for(world)
    return services.access_record(
        reader=world.sponsor, item=program, label="Program aims", path="/p/cahaya/x/", **extra
    )


def test_it_records_reader_item_subject_and_page(world):
    event = _event(world)
    assert event.reader == world.sponsor
    assert event.subject == world.client
    assert event.practice == world.practice
    assert event.label == "Program aims"
    assert event.path == "/p/cahaya/x/"
    assert event.kind == AccessEvent.Kind.READ


def test_it_does_not_record_the_author_reading_their_own_item(world):
    entry = journal_entry_for(world)
    assert (
        services.access_record(reader=world.coach, item=entry, label="Journal", author=world.coach)
        is None
    )
    assert AccessEvent.objects.count() == 0


def test_the_application_cannot_change_an_event(world):
    event = _event(world)
    event.label = "something else"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        AccessEvent.objects.filter(pk=event.pk).update(label="x")


def test_the_application_cannot_delete_an_event(world):
    event = _event(world)
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AccessEvent.objects.all().delete()
    assert AccessEvent.objects.count() == 1


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_postgresql_refuses_update_and_delete_of_an_event():
    if connection.vendor != "postgresql":
        pytest.skip("needs DATABASE_URL pointing at PostgreSQL")
    from conftest import build_world

    world = build_world()
    event = _event(world)
    table = AccessEvent._meta.db_table
    for statement in [
        f"UPDATE {table} SET label = 'changed' WHERE id = %s",  # noqa: S608
        f"DELETE FROM {table} WHERE id = %s",  # noqa: S608
    ]:
        with (
            pytest.raises((InternalError, ProgrammingError)),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement, [event.pk])
    event.refresh_from_db()
    assert event.label == "Program aims"
