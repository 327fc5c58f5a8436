"""A string translated at import time is frozen in English for everyone. Module- and
class-level text must use gettext_lazy; plain gettext belongs inside functions."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = ["coaching", "programs", "sessions", "ethics"]
EAGER = {"gettext", "ngettext", "pgettext", "npgettext"}


def _eager_calls_at_import(source):
    tree = ast.parse(source)
    names = {
        alias.asname or alias.name
        for node in tree.body
        if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation"
        for alias in node.names
        if alias.name in EAGER
    }
    stack = [
        statement
        for node in tree.body
        for statement in (node.body if isinstance(node, ast.ClassDef) else [node])
    ]
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            continue
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in names:
            yield node.lineno
        stack.extend(ast.iter_child_nodes(node))


def test_no_text_is_translated_at_import_time():
    found = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            for line in _eager_calls_at_import(path.read_text()):
                found.append(f"{path.relative_to(ROOT)}:{line}")
    assert found == []


def test_the_scan_sees_a_module_level_gettext():
    source = (
        "from django.utils.translation import gettext as _\n"
        "LABEL = _('Hello')\n"
        "def view():\n    return _('fine here')\n"
    )
    assert list(_eager_calls_at_import(source)) == [2]
