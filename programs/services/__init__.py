"""Writes to the lifecycle, one module per entity: proposal, contract, chemistry, program.
The transitions themselves (states, who, side effects) are data: programs.transitions.

Each service checks the actor and the current state, runs in one transaction and writes a
ProgramEvent. A refused one raises ValidationError with a translated message and changes
nothing.
"""

# Re-exports for callers not yet moved to the new homes: session scheduling now belongs to
# sessions.scheduling, who answers for a proposal or contract to programs.access. New code
# imports them from there.
from sessions.scheduling import (
    coaching_hours,
    series_starts,
    session_cancel,
    session_reschedule,
    sessions_schedule,
    sessions_used,
)

from ..access import contract_parties_for, proposal_party_of
from .chemistry import (
    chemistry_ask_another,
    chemistry_choose,
    chemistry_propose,
    chemistry_record_outcome,
    coach_profile_save,
    coach_profiles_for,
)
from .contract import (
    DEFAULT_CONFIDENTIALITY,
    add_months,
    contract_accept,
    contract_amend,
    contract_change_terms,
    contract_create,
    contract_respond,
    contract_send,
)
from .program import (
    TRANSITIONS,
    final_checkout_done,
    objective_add,
    objective_retire,
    objective_review,
    objective_update,
    program_graduate,
    program_transition,
    program_update_theme,
    remaining_sessions,
)
from .proposal import (
    proposal_create,
    proposal_respond,
    proposal_send,
    proposal_update,
    proposal_withdraw,
    proposals_expire_due,
)

__all__ = [
    "DEFAULT_CONFIDENTIALITY",
    "TRANSITIONS",
    "add_months",
    "chemistry_ask_another",
    "chemistry_choose",
    "chemistry_propose",
    "chemistry_record_outcome",
    "coach_profile_save",
    "coach_profiles_for",
    "contract_accept",
    "contract_amend",
    "contract_change_terms",
    "contract_respond",
    "contract_create",
    "contract_parties_for",
    "contract_send",
    "final_checkout_done",
    "objective_add",
    "objective_retire",
    "objective_update",
    "objective_review",
    "program_graduate",
    "program_transition",
    "program_update_theme",
    "remaining_sessions",
    "proposal_create",
    "proposal_party_of",
    "proposal_respond",
    "proposal_send",
    "proposal_update",
    "proposal_withdraw",
    "proposals_expire_due",
    "series_starts",
    "session_cancel",
    "session_reschedule",
    "sessions_schedule",
    "sessions_used",
    "coaching_hours",
]
