"""The rows a page is about, read by their code with SQL compiled once per process, shape and
roles (programs.access.get_compiled, #11): every persona finds what the ORM's own query finds
and nothing else, through the SQL the first of them kept. These tests run with the tests'
check (settings.CHECK_COMPILED_QUERIES) off: what production runs."""

import pytest
from django.http import Http404

from coaching.access import PracticeAccess, Role
from ethics import access as gate
from programs import access as reach
from programs.models import Program
from sessions.models import Session
from tests.programs import builders
from tests.sessions.factories import SessionFactory, program_for

# In this order: the first of each set of roles compiles, the next ones reuse its SQL.
PERSONAS = ["admin", "coach", "other_coach", "client", "sponsor", "scheduler"]


@pytest.fixture(autouse=True)
def kept_sql_only(settings):
    settings.CHECK_COMPILED_QUERIES = False


def _access(world, persona):
    role = persona.replace("other_", "")
    return PracticeAccess(
        user=world.persona(persona), practice=world.practice, roles=frozenset({role})
    )


def _outsider(world):
    """An admin of the other practice."""
    return PracticeAccess(
        user=world.outsider, practice=world.practice_b, roles=frozenset({Role.ADMIN})
    )


def _found(read):
    try:
        return read()
    except Http404:
        return None


def _orm(queryset, code):
    """What the ORM's own query finds (no compiled SQL)."""
    return queryset.filter(code=code).first()


def test_a_program_is_found_by_those_in_reach_only(world):
    program = program_for(world)
    someone_elses = program_for(world, client=world.other_coach, sponsor=None)
    seen = {}
    for persona in PERSONAS:
        access = _access(world, persona)
        for row in (program, someone_elses):
            found = _found(lambda a=access, r=row: reach.get_program_for(a, r.code))
            expected = _orm(reach.programs_for(access), row.code)
            assert found == expected, (persona, row)
            seen[(persona, row.pk)] = found is not None
    assert seen[("client", program.pk)] and not seen[("client", someone_elses.pk)]
    assert seen[("sponsor", program.pk)] and not seen[("sponsor", someone_elses.pk)]
    assert seen[("coach", someone_elses.pk)] and not seen[("other_coach", program.pk)]
    assert seen[("admin", someone_elses.pk)] and seen[("scheduler", program.pk)]
    assert _found(lambda: reach.get_program_for(_outsider(world), program.code)) is None


def test_a_program_by_role_is_found_where_the_user_holds_it(world):
    program = program_for(world)
    for persona in PERSONAS:
        access = _access(world, persona)
        found = _found(lambda a=access: reach.get_program_for(a, program.code, role=Role.COACH))
        assert (found is not None) == (persona == "coach"), persona


def test_a_coached_program_is_its_coachs_only(world):
    program = program_for(world)
    for persona in PERSONAS:
        access = _access(world, persona)
        for with_content in (True, False):
            found = _found(
                lambda a=access, w=with_content: gate.coached_program_for(
                    a, program.code, with_content=w
                )
            )
            assert (found == program) == (persona == "coach"), (persona, with_content)
    # Its content deferred or not, as asked.
    coach = _access(world, "coach")
    assert "theme" not in gate.coached_program_for(coach, program.code).get_deferred_fields()
    light = gate.coached_program_for(coach, program.code, with_content=False)
    assert "theme" in light.get_deferred_fields()


def test_a_session_is_found_by_those_in_reach_only(world):
    session = SessionFactory(program=program_for(world), number=1)
    other = SessionFactory(program=program_for(world, coach=world.other_coach), number=1)
    for persona in PERSONAS:
        access = _access(world, persona)
        for row in (session, other):
            found = _found(lambda a=access, r=row: reach.get_session_for(a, r.code))
            assert found == _orm(reach.sessions_for(access), row.code), (persona, row)
            # Of one program: only that program's.
            found = _found(
                lambda a=access, r=row: reach.get_session_for(a, r.code, program=session.program)
            )
            expected = _orm(reach.sessions_for(access).filter(program=session.program), row.code)
            assert found == expected, (persona, row)
    coach = _access(world, "coach")
    assert reach.get_session_for(coach, session.code) == session
    assert _found(lambda: reach.get_session_for(coach, other.code)) is None
    assert _found(lambda: reach.get_session_for(_outsider(world), session.code)) is None
    assert Session.objects.count() == 2


def test_a_contract_is_found_by_those_in_reach_only(world):
    contract = builders.contract(world, status="sent")
    for persona in PERSONAS:
        access = _access(world, persona)
        found = _found(lambda a=access: reach.get_contract_for(a, contract.code))
        assert found == _orm(reach.contracts_for(access), contract.code), persona
    assert reach.get_contract_for(_access(world, "client"), contract.code) == contract
    assert _found(lambda: reach.get_contract_for(_access(world, "coach"), contract.code)) is None
    assert _found(lambda: reach.get_contract_for(_outsider(world), contract.code)) is None


def test_a_code_that_is_not_one_is_not_found(world):
    coach = _access(world, "coach")
    for read in (reach.get_program_for, reach.get_session_for, gate.coached_program_for):
        with pytest.raises(Http404):
            read(coach, "not-a-code")
    assert Program.objects.count() == 0
