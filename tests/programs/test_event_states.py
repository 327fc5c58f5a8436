"""Every state a service writes on the timeline fits its column (PostgreSQL refuses what
SQLite silently keeps) and has a label in the reader's language."""

import ast
from pathlib import Path

from programs import transitions
from programs.models import ProgramEvent
from sessions import scheduling

ROOT = Path(__file__).resolve().parents[2]
# Where events are written: the services, the transition tables, session scheduling.
SOURCES = [
    *sorted((ROOT / "programs" / "services").glob("*.py")),
    *sorted((ROOT / "programs" / "transitions").glob("*.py")),
    ROOT / "sessions" / "scheduling.py",
]
TABLES = [
    transitions.PROPOSAL,
    transitions.CONTRACT,
    transitions.CHEMISTRY,
    transitions.PROGRAM,
    scheduling.SESSION,
]
PARTIES = ("client", "sponsor", "practice")


def _expand(text, who):
    """A logged text with its placeholders filled: {party} by each kind of actor who may take
    the row, {number} by 1 ("version_<n>" is labelled by pattern)."""
    return {text.replace("{party}", kind).replace("{number}", "1") for kind in who}


def _table_states():
    states = set()
    for table in TABLES:
        for row in table:
            states |= _expand(row.logged_to, row.who) | {s for s in row.sources if s}
            if row.event_from:
                states.add(row.event_from)
            if row.target:
                states.add(row.target)
    return states


def _literal_states():
    states = set()
    for source in SOURCES:
        for node in ast.walk(ast.parse(source.read_text())):
            if isinstance(node, ast.keyword) and node.arg in ("to_state", "from_state"):
                if isinstance(node.value, ast.Constant):
                    states.add(node.value.value)
                elif isinstance(node.value, ast.JoinedStr):  # f"accepted_by_{party}"
                    for party in PARTIES:
                        states.add(
                            "".join(
                                part.value if isinstance(part, ast.Constant) else party
                                for part in node.value.values
                            )
                        )
    return states | _table_states()


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
