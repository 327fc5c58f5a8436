"""The layer contract (pyproject.toml [tool.importlinter]) refuses an upward import.

The check runs import-linter on a copy of the tree with one extra module that imports
upward, so the real tree is never touched; `make lint` runs the same contract on the tree.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
PACKAGES = ["coaching", "programs", "sessions", "ethics", "messaging", "intake"]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _copy_tree(target):
    for package in PACKAGES:
        shutil.copytree(
            ROOT / package, target / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    shutil.copy(ROOT / "pyproject.toml", target / "pyproject.toml")


def _lint(tree):
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=tree,
        env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(scope="module")
def tree(tmp_path_factory):
    target = tmp_path_factory.mktemp("tree")
    _copy_tree(target)
    return target


def test_the_tree_as_it_is_keeps_the_contract(tree):
    result = _lint(tree)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Layers point down KEPT" in result.stdout


@pytest.mark.parametrize(
    ("module", "imports"),
    [
        # The outbox may not know a domain app ...
        ("coaching/notifications/upward_probe.py", "from programs import services"),
        # ... a model may not read through the gate ...
        ("programs/upward_probe.py", "from ethics import access"),
        # ... and the gate may not call a service.
        ("ethics/upward_probe.py", "from sessions import services"),
    ],
)
def test_an_upward_import_breaks_the_contract(tree, module, imports):
    probe = tree / module
    low = ".".join(Path(module).with_suffix("").parts)
    # Put the probe in a low layer by naming it inside one: the contract lists modules, so
    # the probe joins the layer of the package module it is added to.
    target = {
        "coaching/notifications/upward_probe.py": tree / "coaching/notifications/registry.py",
        "programs/upward_probe.py": tree / "programs/models.py",
        "ethics/upward_probe.py": tree / "ethics/access.py",
    }[module]
    original = target.read_text()
    probe.write_text(f"{imports}  # noqa\n")
    target.write_text(original + f"\nfrom {low.rsplit('.', 1)[0]} import upward_probe  # noqa\n")
    try:
        result = _lint(tree)
    finally:
        target.write_text(original)
        probe.unlink()
    assert result.returncode == 1, result.stdout
    assert "Layers point down BROKEN" in result.stdout
    assert "upward_probe" in result.stdout
