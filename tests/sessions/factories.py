from datetime import timedelta

import factory
from django.utils import timezone

from programs.models import Objective, Program
from sessions.models import (
    ActionItem,
    CheckIn,
    CheckOut,
    ConversationNote,
    ObjectiveRating,
    Preparation,
    Session,
)
from tests.factories import PracticeFactory, UserFactory


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Program

    practice = factory.SubFactory(PracticeFactory)
    client = factory.SubFactory(UserFactory)
    coach = factory.SubFactory(UserFactory)
    theme = "Leading the new team"


class ObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Objective

    program = factory.SubFactory(ProgramFactory)
    position = factory.Sequence(int)
    text = factory.Sequence(lambda n: f"Objective text {n}")


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    program = factory.SubFactory(ProgramFactory)
    number = factory.Sequence(lambda n: n + 1)
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
    coach = factory.SelfAttribute("program.coach")
    client = factory.SelfAttribute("program.client")
    place = "Ruang Melati"


class _Part(factory.django.DjangoModelFactory):
    session = factory.SubFactory(SessionFactory)
    author = factory.SelfAttribute("session.coach")


class PreparationFactory(_Part):
    class Meta:
        model = Preparation

    reflection = "A reflection"


class CheckInFactory(_Part):
    class Meta:
        model = CheckIn

    client_readiness = 7
    coach_readiness = 8
    goal = "A goal"


class NoteFactory(_Part):
    class Meta:
        model = ConversationNote

    text = "A note"


class CheckOutFactory(_Part):
    class Meta:
        model = CheckOut

    take_aways = "A take-away"


class ActionItemFactory(_Part):
    class Meta:
        model = ActionItem

    text = factory.Sequence(lambda n: f"Task {n}")


class RatingFactory(_Part):
    class Meta:
        model = ObjectiveRating

    objective = factory.SubFactory(
        ObjectiveFactory, program=factory.SelfAttribute("..session.program")
    )
    score = 5


def program_for(world, **kwargs):
    """The world's client coached by the world's coach, sponsored by the world's sponsor."""
    kwargs.setdefault("practice", world.practice)
    kwargs.setdefault("client", world.client)
    kwargs.setdefault("coach", world.coach)
    kwargs.setdefault("sponsor", world.sponsor)
    return ProgramFactory(**kwargs)


def held_session(program, number, *, days_ago, objectives=(), content=True):
    session = SessionFactory(
        program=program,
        number=number,
        starts_at=timezone.now() - timedelta(days=days_ago),
        status=Session.Status.HELD,
    )
    if content:
        CheckInFactory(session=session, goal=f"Goal of session {number}")
        NoteFactory(session=session, text=f"Note of session {number}")
        CheckOutFactory(session=session, take_aways=f"Take-away of session {number}")
        ActionItemFactory(session=session, text=f"Client task of session {number}")
        ActionItemFactory(
            session=session,
            text=f"Coach task of session {number}",
            assignee=ActionItem.Assignee.COACH,
        )
        for objective in objectives:
            RatingFactory(session=session, objective=objective, score=min(10, number % 11))
    return session
