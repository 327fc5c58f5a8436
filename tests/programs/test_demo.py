from django.core.management import call_command

from coaching.accounts.management.commands.demo import PEOPLE
from coaching.accounts.models import Practice, User
from programs import demo
from programs.models import Contract, Program, Proposal
from sessions.models import Session


def _snapshot():
    return (
        sorted(Proposal.objects.values_list("status", flat=True)),
        sorted(Contract.objects.values_list("status", flat=True)),
        sorted(Program.objects.values_list("status", flat=True)),
        Session.objects.count(),
    )


def _build():
    practice = Practice.objects.get(slug="cahaya")
    people = {u.email: u for u in User.objects.filter(email__in=[p[0] for p in PEOPLE])}
    demo.build(practice=practice, people=people)


def test_the_demo_has_programs_at_every_stage_and_a_second_run_changes_nothing(db, settings):
    settings.DEMO_EXTENSIONS = []  # only this app's step, which _build() runs
    call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    _build()
    first = _snapshot()
    proposals, contracts, programs, sessions = first
    assert {"draft", "sent", "accepted"} <= set(proposals)
    assert {"sent", "active", "ended"} <= set(contracts)
    assert set(programs) == {"active", "paused", "graduated"}
    assert sessions == 37  # 6 + 6 + 3 + 6 + 6 + 6 + 4 (SHAPES)
    _build()
    assert _snapshot() == first
