"""Fails when a template shows text not marked for translation, or when the Indonesian
catalogue has an untranslated, fuzzy or missing entry. `make lint` runs it.

Templates: every text node (outside tags and translate blocks) and every user-facing
attribute (title, placeholder, alt, aria-label) must hold no words of its own.
Catalogue: makemessages is run into a temporary copy, so a string marked in the code but not
yet in locale/id counts as missing.
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE_DIRS = [ROOT / "templates"]  # and every app's templates/, see template_dirs()
# Text a template may show without translation: symbols, numbers, and names that are the
# same in every language.
ALLOWED_TEXT = {"Bahasa Indonesia", "English", "ICF", "CSV", "JSON", "TOTP", "Rp", "IDR"}
# Attributes people read: tooltips, placeholders, screen-reader labels, htmx confirmations,
# and the value of a button-like <input>.
ATTRIBUTE = re.compile(
    r"""\s(title|placeholder|alt|aria-label|aria-description|hx-confirm|hx-prompt|data-bs-title"""
    r"""|data-confirm)=(?:"([^"{]*[A-Za-z][^"{]*)"|'([^'{]*[A-Za-z][^'{]*)')"""
)
BUTTON_VALUE = re.compile(
    r"""<input\b[^>]*\btype=["']?(?:submit|button|reset)\b[^>]*"""
    r"""\bvalue=(?:"([^"{]*[A-Za-z][^"{]*)"|'([^'{]*[A-Za-z][^'{]*)')"""
)
WORD = re.compile(r"[A-Za-z]{2,}")


def _visible_text(source):
    """What a template shows as words of its own: translate blocks, comments, template tags,
    scripts, styles and HTML tags removed (tags are removed after template tags, so that
    `<div class="{% block x %}">` stays one tag)."""
    source = re.sub(
        r"{%\s*(blocktranslate|blocktrans)\b.*?{%\s*end\1\s*%}", " ", source, flags=re.S
    )
    source = re.sub(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", " ", source, flags=re.S)
    source = re.sub(r"{%\s*block \w+_class\s*%}.*?{%\s*endblock\s*%}", " ", source, flags=re.S)
    source = re.sub(r"{#.*?#}", " ", source, flags=re.S)
    untagged = re.sub(r"{[{%].*?[%}]}", "", source, flags=re.S)
    attributes = [double or single for _name, double, single in ATTRIBUTE.findall(untagged)]
    attributes += [double or single for double, single in BUTTON_VALUE.findall(untagged)]
    source = re.sub(r"{[{%].*?[%}]}", "\x00", source, flags=re.S)
    source = re.sub(r"<script.*?</script>|<style.*?</style>|<!--.*?-->", " ", source, flags=re.S)
    source = re.sub(r"<[^>]*>", " ", source, flags=re.S)
    source = re.sub(r"&[a-z]+;|&#\d+;", " ", source)
    chunks = [part.strip(" \x00\t") for part in re.split(r"[\n\x00]", source)]
    return attributes, [chunk for chunk in chunks if chunk]


def template_dirs():
    """templates/ and every project app's templates/ (never the venv's)."""
    found = list(TEMPLATE_DIRS)
    for pattern in ("*/templates", "*/*/templates"):
        for directory in sorted(ROOT.glob(pattern)):
            parts = directory.relative_to(ROOT).parts
            if parts[0].startswith(".") or parts[0] in {"var", "node_modules", "venv", "tests"}:
                continue
            if directory not in found:
                found.append(directory)
    return found


def template_problems():
    problems = []
    for directory in template_dirs():
        for path in sorted(directory.rglob("*.html")) + sorted(directory.rglob("*.txt")):
            attributes, chunks = _visible_text(path.read_text())
            where = path.relative_to(ROOT)
            for value in attributes:
                if value.strip() not in ALLOWED_TEXT:
                    problems.append(f"{where}: unmarked attribute text {value!r}")
            for chunk in chunks:
                if WORD.search(chunk) and chunk not in ALLOWED_TEXT:
                    problems.append(f"{where}: unmarked text {chunk!r}")
    return problems


IGNORE = [".venv/*", "venv/*", "var/*", "node_modules/*", "docs/*", "static/*"]
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]")


def catalogue_problems(root=ROOT):
    """makemessages into a throwaway tree, so a string marked in the code but not yet in
    locale/id counts as missing, and the real catalogue is never touched.

    makemessages writes each string to the `locale` directory nearest its source file, and
    always to ./locale when it exists, whatever LOCALE_PATHS says; so it runs in a temporary
    directory that links to every top-level entry of the project except a copied `locale`.
    """
    po_path = root / "locale" / "id" / "LC_MESSAGES" / "django.po"
    if not po_path.exists():
        return [f"{po_path.relative_to(root)} is missing"]
    with tempfile.TemporaryDirectory() as tmp:
        tree = Path(tmp)
        for child in root.iterdir():
            if child.name != "locale":
                (tree / child.name).symlink_to(child, target_is_directory=child.is_dir())
        shutil.copytree(root / "locale", tree / "locale")
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "coaching.settings.test"}
        env["PYTHONPATH"] = os.pathsep.join([str(tree), env.get("PYTHONPATH", "")])
        code = (
            "import django;from django.conf import settings;django.setup();"
            f"settings.LOCALE_PATHS=[{str(tree / 'locale')!r}];"
            "from django.core.management import call_command;"
            f"call_command('makemessages',locale=['id'],ignore_patterns={IGNORE!r},"
            "no_obsolete=True,symlinks=True,verbosity=0)"
        )
        subprocess.run([sys.executable, "-c", code], cwd=tree, env=env, check=True)  # noqa: S603
        catalogue = polib.pofile(str(tree / "locale" / "id" / "LC_MESSAGES" / "django.po"))
    return entry_problems(catalogue)


def entry_problems(catalogue):
    """Untranslated (any plural form empty), fuzzy, or placeholders that differ from the
    msgid. Obsolete (#~) entries and the header are not strings anyone sees, so they pass."""
    problems = []
    for entry in catalogue:
        if entry.obsolete:
            continue
        where = entry.occurrences[0][0] if entry.occurrences else "?"
        if "fuzzy" in entry.flags:
            problems.append(f"fuzzy: {entry.msgid!r} ({where})")
            continue
        if entry.msgid_plural:
            forms = [entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural)]
            names = set(PLACEHOLDER.findall(entry.msgid_plural + entry.msgid))
        else:
            forms = [entry.msgstr]
            names = set(PLACEHOLDER.findall(entry.msgid))
        if not forms or not all(forms):
            problems.append(f"untranslated: {entry.msgid!r} ({where})")
        elif any(set(PLACEHOLDER.findall(form)) - names for form in forms):
            problems.append(f"placeholders differ: {entry.msgid!r} ({where})")
    return problems


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coaching.settings.test")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    problems = template_problems()
    if "--templates-only" not in sys.argv:
        problems += catalogue_problems()
    for problem in problems:
        print(problem)
    print(f"translation check: {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
