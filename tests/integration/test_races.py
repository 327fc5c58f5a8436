"""Two requests at the same moment (issue #12, item 13: races), on PostgreSQL with real threads.

Each scenario starts two threads at a barrier, each on its own database connection, calling the
service the view calls, and asserts what is left: one admin, one meeting in the coach's slot,
one check-in, one practice. SQLite serialises writers, so only PostgreSQL can show these.
"""

import threading
from datetime import datetime, timedelta
from functools import partial
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import connection

from coaching.accounts import services as accounts
from coaching.accounts.models import Membership, Practice
from programs import services as programs
from programs.models import ChemistryMeeting
from sessions.models import CheckIn
from sessions.services import session_part_save
from tests.factories import MembershipFactory, UserFactory
from tests.programs import builders

JAKARTA = ZoneInfo("Asia/Jakarta")
ROUNDS = 5


def together(*calls):
    """Runs the calls in threads released at once; returns (results, errors) in call order."""
    barrier = threading.Barrier(len(calls))
    results, errors = [None] * len(calls), [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait()
            results[i] = call()
        except Exception as exc:  # noqa: BLE001 - the scenario judges every outcome
            errors[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return results, errors


def _only_refusals(errors):
    unexpected = [e for e in errors if e is not None and not isinstance(e, ValidationError)]
    assert unexpected == [], unexpected


def test_the_last_two_admins_cannot_remove_each_other_at_once(services, world):
    Role = Membership.Role
    for _ in range(ROUNDS):
        practice = Practice.objects.create(name="Race", slug=f"race-{Practice.objects.count()}")
        a, b = UserFactory(), UserFactory()
        MembershipFactory(practice=practice, user=a, role=Role.ADMIN)
        MembershipFactory(practice=practice, user=b, role=Role.ADMIN)
        _, errors = together(
            partial(accounts.member_deactivate, practice=practice, user=b, actor=a),
            partial(accounts.member_deactivate, practice=practice, user=a, actor=b),
        )
        _only_refusals(errors)
        admins = Membership.objects.filter(practice=practice, role=Role.ADMIN, deactivated_at=None)
        assert admins.count() == 1
        assert sum(e is not None for e in errors) == 1


def test_one_coach_is_not_double_booked_by_two_chemistry_proposals_at_once(services, world):
    for i in range(ROUNDS):
        first, second = (builders.contract(world, status="active") for _ in range(2))
        starts_at = datetime(2027, 3, 1, 9, 0, tzinfo=JAKARTA) + timedelta(days=i)
        _, errors = together(
            *(
                partial(
                    programs.chemistry_propose,
                    contract=c,
                    coach=world.coach,
                    actor=world.admin,
                    starts_at=starts_at,
                )
                for c in (first, second)
            )
        )
        _only_refusals(errors)
        booked = ChemistryMeeting.objects.filter(coach=world.coach, starts_at=starts_at)
        assert booked.count() == 1
        assert "already booked" in str(next(e for e in errors if e is not None))


def test_the_first_save_of_a_check_in_twice_at_once_keeps_one(services, world):
    program = builders.program(world, sessions=ROUNDS)
    for session in program.sessions.order_by("number"):
        results, errors = together(
            *(
                partial(
                    session_part_save,
                    instance=CheckIn(session=session, goal=goal),
                    actor=world.coach,
                )
                for goal in ("first goal", "second goal")
            )
        )
        assert errors == [None, None]
        assert CheckIn.objects.filter(session=session).count() == 1
        assert CheckIn.objects.get(session=session).goal in ("first goal", "second goal")


def test_two_practices_with_one_slug_at_once_make_one_and_a_form_error(services, world):
    for i in range(ROUNDS):
        slug = f"same-{i}"
        _, errors = together(
            *(
                partial(
                    accounts.practice_create,
                    name="Same",
                    slug=slug,
                    timezone_name="Asia/Jakarta",
                    currency="IDR",
                    default_language="id",
                    creator=user,
                )
                for user in (world.coach, world.client)
            )
        )
        _only_refusals(errors)
        assert Practice.objects.filter(slug=slug).count() == 1
        refusal = next(e for e in errors if e is not None)
        assert "already exists" in str(refusal.message_dict["slug"])


def test_one_coach_is_not_double_booked_by_two_schedules_at_once(services, world):
    from sessions import scheduling
    from sessions.models import Session

    first, second = builders.program(world), builders.program(world)
    for i in range(ROUNDS):
        starts_at = datetime(2027, 2, 1, 9, 0, tzinfo=JAKARTA) + timedelta(days=20 * i)
        _, errors = together(
            *(
                partial(
                    scheduling.sessions_schedule,
                    program=p,
                    actor=world.admin,
                    starts=[starts_at],
                    confirm_close_spacing=True,
                )
                for p in (first, second)
            )
        )
        _only_refusals(errors)
        assert Session.objects.filter(coach=world.coach, starts_at=starts_at).count() == 1
