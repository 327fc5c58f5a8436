"""How the gate builds its querysets (#11: fewer Python calls, same rule).

The roles' reach is OR-ed with coaching.access.any_of instead of onto a Q(pk__in=[]) seed,
and access events are built by id: these tests hold what must not change with it. A reader
without a role that reaches the rows reads none of them (any_of of nothing fails closed), and
a logged read records the same reader, practice, subject, content type and label."""

from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils import timezone

from coaching.access import PracticeAccess, Role, any_of
from ethics import access as gate
from ethics.models import AccessEvent
from programs import access as reach
from programs.models import Program
from sessions.models import CheckIn, Scope
from tests.sessions.factories import CheckInFactory, SessionFactory, program_for


def _access(user, practice, *roles):
    return PracticeAccess(user=user, practice=practice, roles=frozenset(roles))


def test_any_of_nothing_matches_no_row_and_of_several_matches_each(world):
    first = program_for(world)
    second = program_for(world)
    assert Program.objects.count() == 2
    assert list(Program.objects.filter(any_of())) == []
    assert list(Program.objects.filter(any_of(Q(pk=first.pk)))) == [first]
    both = Program.objects.filter(any_of(Q(pk=first.pk), Q(pk=second.pk))).order_by("pk")
    assert list(both) == [first, second]


def test_a_member_without_a_reaching_role_reads_nothing(world):
    program = program_for(world)
    session = SessionFactory(program=program, number=1, status="held")
    CheckInFactory(session=session, author=world.client, goal="shared", scope=Scope.CLIENT)
    # A coach of the practice who does not coach this program, and a member with no role.
    other = _access(world.other_coach, world.practice, Role.COACH)
    nobody = _access(world.outsider, world.practice)
    for access in (other, nobody):
        assert list(reach.programs_for(access)) == []
        assert list(reach.sessions_for(access)) == []
        assert list(gate.check_ins_visible_to(access)) == []
    # The admin runs the logistics (every session) but reads no content.
    admin = _access(world.admin, world.practice, Role.ADMIN)
    assert list(reach.sessions_for(admin)) == [session]
    assert list(gate.check_ins_visible_to(admin)) == []
    # Its coach and its client do.
    coach = _access(world.coach, world.practice, Role.COACH)
    client = _access(world.client, world.practice, Role.CLIENT)
    assert [c.goal for c in gate.check_ins_visible_to(coach)] == ["shared"]
    assert [c.goal for c in gate.check_ins_visible_to(client)] == ["shared"]


def test_a_logged_read_records_reader_practice_subject_and_part(world):
    program = program_for(world)
    session = SessionFactory(
        program=program, number=3, status="held", starts_at=timezone.now() - timedelta(days=1)
    )
    check_in = CheckInFactory(session=session, author=world.client, scope=Scope.CLIENT)
    coach = _access(world.coach, world.practice, Role.COACH)
    before = AccessEvent.objects.count()

    assert [c.pk for c in gate.check_ins_visible_to(coach)] == [check_in.pk]

    assert AccessEvent.objects.count() == before + 1
    event = AccessEvent.objects.latest("pk")
    assert event.reader_id == world.coach.pk
    assert event.practice_id == world.practice.pk
    assert event.subject_id == world.client.pk
    assert event.content_type_id == ContentType.objects.get_for_model(CheckIn).pk
    assert event.object_id == str(check_in.pk)
    assert event.label == "Session 3 check-in"
    assert event.kind == AccessEvent.Kind.READ
