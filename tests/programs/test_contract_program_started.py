"""Contract.program_started: the fact "a program has started from this contract", which "in
chemistry" (active, no program yet) reads from a partial index (#11). Each path that starts a
program keeps it: the chemistry service, the migration that filled it, bench_data; nothing
else starts a program from a contract (a scan)."""

import ast
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from coaching.access import PracticeAccess, Role
from programs import access as reach
from programs import services
from programs.models import Contract

from . import builders

ROOT = Path(__file__).resolve().parents[2]
JAKARTA = ZoneInfo("Asia/Jakarta")


def _admin_access(world):
    return PracticeAccess(user=world.admin, practice=world.practice, roles={Role.ADMIN})


def _pipeline_chemistry(page):
    """The pipeline panel's "Chemistry" figure as the admin reads it."""
    return int(page.split("</strong> Chemistry</li>")[0].rsplit("<strong>", 1)[1])


def _met(world, contract):
    meeting_at = datetime(2026, 12, 1, 10, 0, tzinfo=JAKARTA)
    meeting = services.chemistry_propose(
        contract=contract, coach=world.coach, actor=world.admin, starts_at=meeting_at
    )
    return meeting, meeting_at


@time_machine.travel(datetime(2026, 11, 20, 9, 0, tzinfo=JAKARTA), tick=False)
def test_a_contract_leaves_chemistry_when_its_program_starts(world, client_for):
    contract = builders.contract(world, status="active")
    url = reverse("dashboard_admin", args=[world.practice.slug])
    admin = client_for(world.admin)
    assert not contract.program_started
    assert list(reach.contracts_in_chemistry(_admin_access(world))) == [contract]
    assert _pipeline_chemistry(admin.get(url).content.decode()) == 1
    meeting, meeting_at = _met(world, contract)
    with time_machine.travel(meeting_at + timedelta(hours=1), tick=False):
        services.chemistry_record_outcome(
            meeting=meeting, actor=world.client, rapport=5, compatible=True, note="good"
        )
        program = services.chemistry_choose(meeting=meeting, actor=world.client)
    page = admin.get(url).content.decode()
    contract.refresh_from_db()
    assert program.contract_id == contract.pk and contract.program_started
    assert list(reach.contracts_in_chemistry(_admin_access(world))) == []
    assert _pipeline_chemistry(page) == 0
    assert "Chemistry: the client" not in page


@time_machine.travel(datetime(2026, 11, 20, 9, 0, tzinfo=JAKARTA), tick=False)
def test_a_refused_choice_keeps_the_contract_in_chemistry(world):
    contract = builders.contract(world, status="active")
    meeting, meeting_at = _met(world, contract)
    with (
        time_machine.travel(meeting_at + timedelta(hours=1), tick=False),
        pytest.raises(ValidationError, match="Record how the meeting went"),
    ):
        services.chemistry_choose(meeting=meeting, actor=world.client)
    contract.refresh_from_db()
    assert not contract.program_started
    assert list(reach.contracts_in_chemistry(_admin_access(world))) == [contract]


def _migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)
    return executor.loader.project_state(target).apps


def test_the_migration_fills_the_fact_from_the_programs(transactional_db, world):
    """Run backwards to 0015 (the column dropped) and forwards again: the fact comes back
    from the programs alone."""
    with_program = builders.program(world).contract
    in_chemistry = builders.contract(world, status="active")
    _migrate([("programs", "0015_proposal_sent_oldest")])
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    got = dict(Contract.objects.values_list("pk", "program_started"))
    assert got == {with_program.pk: True, in_chemistry.pk: False}


# Where a program is made from a contract, and how the fact is kept there.
STARTS_PROGRAMS = {
    "programs/services/chemistry.py": "CHEMISTRY.apply(..., changes={'program_started': True})",
    "coaching/accounts/management/commands/bench_data.py": "Contract(..., program_started=True)",
}


def _callee(f):
    """ "Program" for Program(...) and Program.objects.create(...)."""
    if isinstance(f, ast.Name):
        return f.id
    if isinstance(f, ast.Attribute) and f.attr == "create":
        manager = f.value
        if isinstance(manager, ast.Attribute) and isinstance(manager.value, ast.Name):
            return manager.value.id
    return ""


def _makes_a_program_with_a_contract(node):
    return (
        isinstance(node, ast.Call)
        and _callee(node.func) == "Program"
        and any(k.arg in ("contract", "contract_id") for k in node.keywords)
    )


def test_only_the_known_paths_start_a_program_from_a_contract():
    found = set()
    for path in ROOT.glob("**/*.py"):
        rel = path.relative_to(ROOT).as_posix()
        if rel.startswith((".venv/", "tests/")) or "/migrations/" in rel:
            continue
        tree = ast.parse(path.read_text(), filename=rel)
        if any(_makes_a_program_with_a_contract(node) for node in ast.walk(tree)):
            found.add(rel)
    assert found == set(STARTS_PROGRAMS)  # a new path: keep Contract.program_started there too
    bench = (ROOT / "coaching/accounts/management/commands/bench_data.py").read_text()
    assert "program_started=True" in bench
