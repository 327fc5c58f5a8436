"""programs/README.md shows the transition tables the code runs, generated from them.

UPDATE_LIFECYCLE_README=1 rewrites the block instead of comparing it."""

import os
import re
from pathlib import Path

from programs.transitions import CHEMISTRY, CONTRACT, PROGRAM, PROPOSAL, markdown
from sessions.scheduling import SESSION

README = Path(__file__).resolve().parents[2] / "programs" / "README.md"
BLOCK = re.compile(
    r"(<!-- lifecycle:begin[^>]*-->\n)(.*?)(<!-- lifecycle:end -->)", flags=re.DOTALL
)


def test_the_readme_shows_the_tables_the_code_runs():
    expected = markdown(PROPOSAL, CONTRACT, CHEMISTRY, PROGRAM, SESSION)
    text = README.read_text()
    match = BLOCK.search(text)
    assert match, "programs/README.md lost its lifecycle markers"
    if os.environ.get("UPDATE_LIFECYCLE_README") == "1":
        README.write_text(text[: match.start(2)] + expected + text[match.end(2) :])
        return
    assert match.group(2) == expected, (
        "programs/README.md is out of date: UPDATE_LIFECYCLE_README=1 python -m pytest "
        "tests/programs/test_lifecycle_readme.py"
    )
