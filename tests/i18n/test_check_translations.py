"""scripts/check_translations.py: the check `make lint` runs."""

import importlib.util
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def check():
    spec = importlib.util.spec_from_file_location(
        "check_translations", ROOT / "scripts" / "check_translations.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _templates(tmp_path, monkeypatch, check, source):
    (tmp_path / "page.html").write_text(source)
    monkeypatch.setattr(check, "ROOT", tmp_path)
    monkeypatch.setattr(check, "TEMPLATE_DIRS", [tmp_path])
    return check.template_problems()


def test_an_unmarked_template_string_is_a_problem(tmp_path, monkeypatch, check):
    problems = _templates(tmp_path, monkeypatch, check, "{% load i18n %}<h1>Upcoming sessions</h1>")
    assert problems == ["page.html: unmarked text 'Upcoming sessions'"]


def test_an_unmarked_attribute_is_a_problem(tmp_path, monkeypatch, check):
    problems = _templates(tmp_path, monkeypatch, check, '<input placeholder="Search clients">')
    assert problems == ["page.html: unmarked attribute text 'Search clients'"]


def test_marked_strings_variables_and_blocks_pass(tmp_path, monkeypatch, check):
    source = (
        "{% load i18n %}<h1>{% translate 'Upcoming sessions' %}</h1>"
        "<p>{% blocktranslate count counter=n %}{{ counter }} session{% plural %}"
        "{{ counter }} sessions{% endblocktranslate %}</p>"
        "<p title=\"{% translate 'Help' %}\">{{ session.place }}</p>"
        "{% comment %}Not shown to anyone{% endcomment %}{# nor this #}"
    )
    assert _templates(tmp_path, monkeypatch, check, source) == []


def _catalogue(tmp_path, entries):
    catalogue = polib.POFile()
    catalogue.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    for entry in entries:
        catalogue.append(entry)
    path = tmp_path / "django.po"
    catalogue.save(str(path))
    return polib.pofile(str(path))


def test_a_fuzzy_entry_is_a_problem(tmp_path, check):
    catalogue = _catalogue(
        tmp_path, [polib.POEntry(msgid="Held", msgstr="Diadakan", flags=["fuzzy"])]
    )
    assert check.entry_problems(catalogue) == ["fuzzy: 'Held' (?)"]


def test_an_untranslated_entry_and_an_empty_plural_form_are_problems(tmp_path, check):
    catalogue = _catalogue(
        tmp_path,
        [
            polib.POEntry(msgid="Held", msgstr="", occurrences=[("a.html", "3")]),
            polib.POEntry(
                msgid="%(counter)s session",
                msgid_plural="%(counter)s sessions",
                msgstr_plural={0: ""},
                flags=["python-format"],
            ),
        ],
    )
    assert check.entry_problems(catalogue) == [
        "untranslated: 'Held' (a.html)",
        "untranslated: '%(counter)s session' (?)",
    ]


def test_translated_plurals_and_obsolete_entries_pass(tmp_path, check):
    catalogue = _catalogue(
        tmp_path,
        [
            polib.POEntry(
                msgid="%(counter)s session",
                msgid_plural="%(counter)s sessions",
                msgstr_plural={0: "%(counter)s sesi"},
            ),
            polib.POEntry(msgid="Gone", msgstr="", obsolete=True),
            polib.POEntry(msgid="Also gone", msgstr="Hilang", flags=["fuzzy"], obsolete=True),
        ],
    )
    assert check.entry_problems(catalogue) == []


def test_a_placeholder_the_msgid_lacks_is_a_problem(tmp_path, check):
    catalogue = _catalogue(
        tmp_path, [polib.POEntry(msgid="Welcome to %(practice)s.", msgstr="Halo %(name)s.")]
    )
    assert check.entry_problems(catalogue) == [
        "placeholders differ: 'Welcome to %(practice)s.' (?)"
    ]


def test_the_real_indonesian_catalogue_is_complete(check):
    catalogue = polib.pofile(str(ROOT / "locale" / "id" / "LC_MESSAGES" / "django.po"))
    assert check.entry_problems(catalogue) == []
    assert not catalogue.metadata_is_fuzzy
    assert catalogue.metadata["Plural-Forms"] == "nplurals=1; plural=0;"


def test_a_newly_marked_string_missing_from_the_catalogue_is_a_problem(tmp_path, check):
    """makemessages runs on a throwaway copy: the project's catalogue is not touched."""
    project = tmp_path / "project"
    (project / "templates").mkdir(parents=True)
    for child in ROOT.iterdir():  # the code, so that Django starts; not templates or locale
        if (child / "__init__.py").exists() or (child / "apps.py").exists():
            (project / child.name).symlink_to(child, target_is_directory=True)
    (project / "templates" / "page.html").write_text(
        '{% load i18n %}<p>{% translate "A string nobody translated yet" %}</p>'
    )
    import shutil

    shutil.copytree(ROOT / "locale", project / "locale")
    before = (project / "locale" / "id" / "LC_MESSAGES" / "django.po").read_bytes()
    problems = check.catalogue_problems(project)
    assert "untranslated: 'A string nobody translated yet' (templates/page.html)" in problems
    assert (project / "locale" / "id" / "LC_MESSAGES" / "django.po").read_bytes() == before


@pytest.mark.parametrize(
    "source, text",
    [
        ('<button hx-confirm="Cancel this session?">x</button>', "Cancel this session?"),
        ("<span title='Client&#39;s notes'>x</span>", "Client&#39;s notes"),
        ('<span title="The client\'s notes">x</span>', "The client's notes"),
        ('<input type="submit" class="btn" value="Save notes">', "Save notes"),
    ],
)
def test_unmarked_confirmations_tooltips_and_button_values_are_problems(
    tmp_path, monkeypatch, check, source, text
):
    problems = _templates(tmp_path, monkeypatch, check, source)
    assert problems == [f"page.html: unmarked attribute text {text!r}"]


def test_app_template_directories_are_scanned(tmp_path, monkeypatch, check):
    (tmp_path / "programs" / "templates" / "programs").mkdir(parents=True)
    (tmp_path / "programs" / "templates" / "programs" / "list.html").write_text("<p>Programs</p>")
    (tmp_path / "templates").mkdir()
    monkeypatch.setattr(check, "ROOT", tmp_path)
    monkeypatch.setattr(check, "TEMPLATE_DIRS", [tmp_path / "templates"])
    assert check.template_problems() == [
        "programs/templates/programs/list.html: unmarked text 'Programs'"
    ]
