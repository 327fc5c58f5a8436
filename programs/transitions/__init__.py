"""The lifecycle as data: for each entity, which transitions it has, from which states to which,
who may take them, what must hold first and what follows. One helper (Table.apply) takes any
of them: it checks the actor against the row, locks the row (select_for_update), checks the
state and the row's guards, sets the state, runs the side effects and writes the ProgramEvent.
A refused transition raises ValidationError with the row's translated message and changes
nothing. programs/README.md is generated from these tables (tests/programs/test_lifecycle_readme).

engine: Transition, Table, the event writer; proposal, contract (with chemistry), program: the
tables. The session's table lives with scheduling (sessions.scheduling.SESSION).
"""

from .contract import CHEMISTRY, CONTRACT
from .engine import (
    NOT_ALLOWED,
    Guard,
    Table,
    Transition,
    available_transitions,
    is_admin,
    is_scheduler,
    is_system,
    locked,
    markdown,
    require_role,
    write_event,
)
from .program import PROGRAM, PROGRAM_STATE_CHANGES
from .proposal import PROPOSAL

__all__ = [
    "CHEMISTRY",
    "CONTRACT",
    "NOT_ALLOWED",
    "PROGRAM",
    "PROGRAM_STATE_CHANGES",
    "PROPOSAL",
    "Guard",
    "Table",
    "Transition",
    "available_transitions",
    "is_admin",
    "is_scheduler",
    "is_system",
    "locked",
    "markdown",
    "require_role",
    "write_event",
]
