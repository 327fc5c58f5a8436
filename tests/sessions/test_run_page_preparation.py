"""The session page's "Your reflection before the session", read with the session (#11): the
coach's own reflection shows; after a change of coach, the former coach's private one neither
shows nor is loaded, and a shared one shows and is logged as a read by someone else."""

from django.urls import reverse

from ethics.models import AccessEvent
from sessions.models import Scope
from tests.sessions.factories import (
    ObjectiveFactory,
    PreparationFactory,
    RatingFactory,
    SessionFactory,
    program_for,
)


def _run_page(world, client_for, coach, session):
    url = reverse("session_run", args=[world.practice.slug, session.code])
    return client_for(coach).get(url).content.decode()


def test_it_shows_the_coachs_own_reflection(world, client_for):
    session = SessionFactory(program=program_for(world), number=2)
    PreparationFactory(session=session, reflection="Listen before asking", scope=Scope.PRIVATE)
    page = _run_page(world, client_for, world.coach, session)
    assert "Your reflection before the session" in page
    assert "Listen before asking" in page
    assert not AccessEvent.objects.exists()  # the author reading what they wrote


def test_a_former_coachs_private_reflection_stays_theirs(world, client_for):
    program = program_for(world)
    session = SessionFactory(program=program, number=2)
    PreparationFactory(session=session, reflection="former-private-xyz", scope=Scope.PRIVATE)
    program.coach = world.other_coach
    program.save()
    page = _run_page(world, client_for, world.other_coach, session)
    assert "former-private-xyz" not in page
    assert "Your reflection before the session" not in page
    assert not AccessEvent.objects.exists()


def test_a_former_coachs_shared_reflection_shows_and_is_logged(world, client_for):
    program = program_for(world)
    session = SessionFactory(program=program, number=2)
    part = PreparationFactory(session=session, reflection="former-shared-xyz", scope=Scope.CLIENT)
    program.coach = world.other_coach
    program.save()
    page = _run_page(world, client_for, world.other_coach, session)
    assert "former-shared-xyz" in page
    event = AccessEvent.objects.get(object_id=str(part.pk), label="Session 2 preparation")
    assert event.reader == world.other_coach
    assert event.subject == world.client


def _rating_input(page, objective):
    start = page.index(f'name="objective_{objective.pk}"')
    return page[page.rindex("<input", 0, start) : page.index(">", start) + 1]


def test_the_ratings_form_holds_this_sessions_ratings_only(world, client_for):
    """Objectives and their ratings at this session come in one query (#11): each objective's
    field holds its rating at this session, not one given at another session."""
    program = program_for(world)
    earlier = SessionFactory(program=program, number=1)
    session = SessionFactory(program=program, number=2)
    rated, unrated = ObjectiveFactory(program=program), ObjectiveFactory(program=program)
    RatingFactory(session=session, objective=rated, score=7, scope=Scope.CLIENT)
    RatingFactory(session=earlier, objective=unrated, score=3, scope=Scope.CLIENT)
    page = _run_page(world, client_for, world.coach, session)
    assert 'value="7"' in _rating_input(page, rated)
    assert "value=" not in _rating_input(page, unrated)
    assert not AccessEvent.objects.exists()  # the coach wrote them


def test_a_former_coachs_private_rating_is_not_read(world, client_for):
    program = program_for(world)
    session = SessionFactory(program=program, number=2)
    private, shared = ObjectiveFactory(program=program), ObjectiveFactory(program=program)
    RatingFactory(session=session, objective=private, score=9, scope=Scope.PRIVATE)
    seen = RatingFactory(session=session, objective=shared, score=4, scope=Scope.CLIENT)
    program.coach = world.other_coach
    program.save()
    page = _run_page(world, client_for, world.other_coach, session)
    assert "value=" not in _rating_input(page, private)
    assert 'value="4"' in _rating_input(page, shared)
    event = AccessEvent.objects.get()
    assert (event.object_id, event.label, event.reader) == (
        str(seen.pk),
        "Session 2 rating",
        world.other_coach,
    )
