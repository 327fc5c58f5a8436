"""Two admins move two sessions of one program at the same moment (issue 13).

Each move used to take max(number) + 1 without a lock: both read the same maximum and the
second insert broke the unique number, a 500. The program's row is now locked first."""

import threading
from datetime import datetime
from zoneinfo import ZoneInfo

from django.db import connection

from sessions import scheduling
from sessions.models import Session
from tests.programs import builders

JKT = ZoneInfo("Asia/Jakarta")


def test_simultaneous_moves_both_succeed_and_numbers_stay_gapless(services, world):
    program = builders.program(world, sessions=4)
    targets = {1: datetime(2027, 3, 20, 9, tzinfo=JKT), 2: datetime(2027, 3, 27, 9, tzinfo=JKT)}
    sessions = {n: program.sessions.get(number=n) for n in targets}
    barrier = threading.Barrier(len(targets))
    errors = []

    def move(number):
        try:
            barrier.wait(timeout=10)
            scheduling.session_reschedule(
                session=sessions[number],
                actor=world.admin,
                starts_at=targets[number],
                confirm_close_spacing=True,
            )
        except Exception as exc:  # noqa: BLE001 - reported below, whatever it is
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=move, args=(n,)) for n in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    scheduled = program.sessions.filter(status=Session.Status.SCHEDULED).order_by("starts_at")
    assert [s.number for s in scheduled] == [1, 2, 3, 4]
    assert [s.starts_at for s in scheduled][-2:] == list(targets.values())
