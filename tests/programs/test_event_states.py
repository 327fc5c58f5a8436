"""Every state a service writes on the timeline fits its column (PostgreSQL refuses what
SQLite silently keeps) and has a label in the reader's language."""

import ast
from pathlib import Path

from programs.models import ProgramEvent

SERVICES = Path(__file__).resolve().parents[2] / "programs" / "services.py"


def _literal_states():
    states = set()
    for node in ast.walk(ast.parse(SERVICES.read_text())):
        if isinstance(node, ast.keyword) and node.arg in ("to_state", "from_state"):
            if isinstance(node.value, ast.Constant):
                states.add(node.value.value)
            elif isinstance(node.value, ast.JoinedStr):  # f"accepted_by_{party}", f"version_{n}"
                for party in ("client", "sponsor", "practice"):
                    states.add(
                        "".join(
                            part.value if isinstance(part, ast.Constant) else party
                            for part in node.value.values
                        )
                    )
    return states


def test_every_written_state_fits_its_column_and_has_a_label():
    limit = ProgramEvent._meta.get_field("to_state").max_length
    states = _literal_states()
    assert "another_candidate_requested" in states
    assert [s for s in states if len(s) > limit] == []
    # "version_<n>" is labelled by pattern ("version 3").
    unlabelled = [
        s for s in states if not s.startswith("version_") and s not in ProgramEvent.STATE_LABELS
    ]
    assert unlabelled == []


def test_states_written_from_a_status_field_have_labels_too():
    from programs.models import Contract, Program, Proposal
    from sessions.models import Session

    values = {
        value for model in (Program, Proposal, Contract, Session) for value in model.Status.values
    }
    assert sorted(values - set(ProgramEvent.STATE_LABELS)) == []
