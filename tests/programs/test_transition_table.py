"""The transition tables hold: whatever sequence of (who, transition) is tried on a proposal, a
contract, its chemistry stage or a program, a refused step changes nothing and an accepted step
is the table's (from one of its states to its state) and writes exactly one event.

Hypothesis draws the sequences; each example starts from the same object, inside a savepoint
rolled back afterwards, so examples are independent and cheap (SQLite, the fast layer).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from hypothesis import example, given, settings
from hypothesis import strategies as st

from programs.models import ProgramEvent
from programs.transitions import CHEMISTRY, CONTRACT, PROGRAM, PROPOSAL
from sessions import scheduling
from sessions.models import Session
from tests.programs import builders

PERSONAS = ["admin", "coach", "other_coach", "client", "sponsor", "outsider", "system"]
REASONS = ["", "because"]
SETTINGS = settings(max_examples=50, deadline=None, database=None)


def _kinds(entity, persona, obj):
    """Who each persona is for the entity, from the fixtures (not from the engine's rules)."""
    has_sponsor = getattr(obj, "sponsor_id", None) is not None
    return {
        "proposal": {
            "admin": {"admin"},
            "client": {"client"},
            "sponsor": {"sponsor"} if has_sponsor else set(),
            "system": {"system"},
        },
        "contract": {
            "admin": {"admin", "practice"},
            "client": {"client"},
            "sponsor": {"sponsor"} if has_sponsor else set(),
        },
        "chemistry": {"admin": {"admin"}, "client": {"client"}},
        "program": {"admin": {"admin"}, "coach": {"coach"}},
    }[entity].get(persona, set())


def _row_values(obj):
    return type(obj).objects.filter(pk=obj.pk).values().get()


def _events_since(last_id):
    return list(ProgramEvent.objects.filter(pk__gt=last_id))


def _walk(world, entity, table, obj, steps):
    """Takes each step on obj and checks it against the table; returns the states it went
    through (for the tests that want a walk to have got somewhere)."""
    model = type(obj)
    visited = [obj.status]
    for persona, name, reason in steps:
        row = table[name]
        user = None if persona == "system" else world.persona(persona)
        current = model.objects.get(pk=obj.pk)
        before = _row_values(current)
        last_id = ProgramEvent.objects.aggregate(last=Max("id"))["last"] or 0
        kinds = _kinds(entity, persona, current)
        offered = {t.name for t in table.available(current, user)}
        try:
            table.apply(current, name, actor=user, reason=reason)
        except ValidationError as refusal:
            assert _row_values(current) == before, (persona, name)
            assert _events_since(last_id) == [], (persona, name)
            if before["status"] in row.sources and kinds & row.who:
                # Refused although state and actor fit: only a guard or a missing reason.
                allowed = {str(g.message) for g in row.guards} | {str(row.reason_required)}
                assert refusal.messages[0] in allowed, (persona, name, refusal.messages)
                assert (name in offered) == (refusal.messages[0] == str(row.reason_required))
            else:
                assert name not in offered
            continue
        after = model.objects.get(pk=obj.pk)
        assert before["status"] in row.sources, (persona, name, before["status"])
        assert kinds & row.who, (persona, name)
        assert after.status == (row.target or before["status"])
        assert name in offered or row.automatic
        new = _events_since(last_id)
        assert len(new) == 1, (persona, name, new)
        event = new[0]
        links = table.links(after)
        assert {f: getattr(event, f"{f}_id") for f in links} == {f: o.pk for f, o in links.items()}
        party = next(kind for kind in table.kinds if kind in kinds & row.who)
        facts = {k: fn(after) for k, fn in table.facts.items()}
        assert (event.subject, event.from_state, event.to_state, event.actor) == (
            row.subject or table.subject,
            row.event_from if row.event_from is not None else before["status"],
            row.logged_to.format(party=party, **facts),
            user,
        )
        visited.append(after.status)
    return visited


def _steps(table):
    names = [t.name for t in table if not t.creates]
    return st.lists(
        st.tuples(st.sampled_from(PERSONAS), st.sampled_from(names), st.sampled_from(REASONS)),
        min_size=1,
        max_size=8,
    )


def _check_table(world, entity, table, obj, *, must_try=()):
    """Random walks over the table, plus the walks in must_try (hypothesis runs them first),
    so that the states a test asserts are reached whatever the generated examples."""
    reached = set()

    def walk(steps):
        with transaction.atomic():
            savepoint = transaction.savepoint()
            reached.update(_walk(world, entity, table, obj, steps))
            transaction.savepoint_rollback(savepoint)

    test = given(steps=_steps(table))(SETTINGS(walk))
    for steps in must_try:
        test = example(steps=steps)(test)
    test()
    return reached


def test_proposal_table(world):
    reached = _check_table(world, "proposal", PROPOSAL, builders.proposal(world))
    assert {"draft", "sent"} <= reached


def test_proposal_table_without_a_sponsor(world):
    _check_table(
        world, "proposal", PROPOSAL, builders.proposal(world, status="sent", sponsor=False)
    )


def test_contract_table(world):
    reached = _check_table(world, "contract", CONTRACT, builders.contract(world))
    assert {"draft", "sent"} <= reached


def test_chemistry_table(world):
    _check_table(world, "chemistry", CHEMISTRY, builders.contract(world, status="active"))


def test_program_table(world):
    reached = _check_table(
        world,
        "program",
        PROGRAM,
        builders.program(world, sessions=1),
        must_try=[[("coach", "pause", "because"), ("coach", "resume", "because")]],
    )
    assert {"active", "paused"} <= reached


# The tables themselves -----------------------------------------------------------------------

TABLES = [PROPOSAL, CONTRACT, CHEMISTRY, PROGRAM, scheduling.SESSION]


def test_every_row_names_real_states_and_kinds():
    for table in TABLES:
        states = set(table.model.Status.values)
        for row in table:
            assert row.sources <= states | ({""} if row.creates else set()), row.name
            assert row.target is None or row.target in states, row.name
            assert row.who and row.who <= set(table.kinds) | {"system"}, row.name
            assert row.creates or row.refused, row.name


def test_rows_per_entity():
    assert {t.entity: len(t) for t in TABLES} == {
        "proposal": 7,
        "contract": 12,
        "chemistry": 3,
        "program": 6,
        "session": 4,
    }


def test_terminating_cancels_the_future_sessions_as_the_table_says(world):
    program = builders.program(world, sessions=2)
    PROGRAM.apply(program, "terminate", actor=world.admin, reason="moved abroad")
    assert set(program.sessions.values_list("status", "status_reason")) == {
        (Session.Status.CANCELLED_COACH, "moved abroad")
    }
