"""Objects of the lifecycle at a given stage, built through the services like a user would."""

from datetime import date, timedelta

from django.utils import timezone

from programs import services
from programs.models import ContractAcceptance
from sessions import scheduling

Party = ContractAcceptance.Party


def proposal(world, *, status="draft", sponsor=True, **overrides):
    terms = {
        "origin": "demand_led",
        "need": "I want to lead my team with less stress.",
        "duration": 6,
        "sessions_count": 6,
        "session_minutes": 60,
        "cadence": "monthly",
        "price_minor": 15_000_000,
        "currency": "IDR",
        "expires_on": timezone.localdate() + timedelta(days=14),
    }
    terms.update(overrides)
    p = services.proposal_create(
        practice=world.practice,
        actor=world.admin,
        client=world.client,
        sponsor=world.sponsor if sponsor else None,
        **terms,
    )
    if status == "draft":
        return p
    services.proposal_send(proposal=p, actor=world.admin)
    if status == "sent":
        return p
    services.proposal_respond(proposal=p, actor=world.client, accept=True)
    if sponsor:
        services.proposal_respond(proposal=p, actor=world.sponsor, accept=True)
    p.refresh_from_db()
    assert p.status == "accepted"
    return p


def contract(world, *, status="draft", sponsor=True, starts_on=None):
    p = proposal(world, status="accepted", sponsor=sponsor)
    c = services.contract_create(
        proposal=p, actor=world.admin, starts_on=starts_on or date(2027, 1, 4)
    )
    if status == "draft":
        return c
    services.contract_send(contract=c, actor=world.admin)
    if status == "sent":
        return c
    version = c.current_version.number
    for party, user in [
        (Party.CLIENT, world.client),
        (Party.PRACTICE, world.admin),
        *([(Party.SPONSOR, world.sponsor)] if sponsor else []),
    ]:
        services.contract_accept(contract=c, version_number=version, party=party, actor=user)
    c.refresh_from_db()
    assert c.status == "active"
    return c


def program(world, *, sponsor=True, sessions=0):
    """An active program: contract active, chemistry held, coach chosen (starts 2027-01-04)."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    import time_machine

    c = contract(world, status="active", sponsor=sponsor)
    from datetime import timedelta

    from django.utils import timezone

    jakarta = ZoneInfo("Asia/Jakarta")
    # A chemistry meeting is never proposed in the past: on 1 Dec 2026, or an hour from now
    # when a test's clock has travelled beyond it.
    meeting_at = max(
        datetime(2026, 12, 1, 10, 0, tzinfo=jakarta), timezone.now() + timedelta(hours=1)
    )
    meeting = services.chemistry_propose(
        contract=c, coach=world.coach, actor=world.admin, starts_at=meeting_at
    )
    with time_machine.travel(meeting_at + timedelta(hours=1)):
        services.chemistry_record_outcome(
            meeting=meeting, actor=world.client, rapport=5, compatible=True, note="good"
        )
    p = services.chemistry_choose(meeting=meeting, actor=world.client)
    if sessions:
        scheduling.sessions_schedule(
            program=p,
            actor=world.admin,
            starts=scheduling.series_starts(
                first=datetime(2027, 1, 5, 9, 0, tzinfo=jakarta), count=sessions, spacing_days=14
            ),
        )
    return p


def hold_all(program, *, checkout=True):
    """Marks every session held and, as the coach closing each one would, completes its
    check-out (through the sessions service, so the gate's rules apply)."""
    from sessions.models import CheckOut, Session
    from sessions.services import session_part_save

    program.sessions.update(status=Session.Status.HELD)
    if checkout:
        for session in program.sessions.all():
            session_part_save(
                instance=CheckOut(session=session, take_aways="Noted."), actor=program.coach
            )
