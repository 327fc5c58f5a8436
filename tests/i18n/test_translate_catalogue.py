"""scripts/translate_catalogue.py: listing and applying translations (on a copy)."""

import importlib.util
import json
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def tool():
    spec = importlib.util.spec_from_file_location(
        "translate_catalogue", ROOT / "scripts" / "translate_catalogue.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def catalogue(tmp_path):
    po = polib.POFile()
    po.metadata = {
        "Content-Type": "text/plain; charset=UTF-8",
        "Plural-Forms": "nplurals=1; plural=0;",
    }
    po.append(polib.POEntry(msgid="Held", msgstr=""))
    po.append(polib.POEntry(msgid="Welcome to %(practice)s.", msgstr="", flags=["python-format"]))
    po.append(polib.POEntry(msgid="Expired", msgstr="Habis", flags=["fuzzy"]))
    po.append(polib.POEntry(msgid="Done", msgstr="Selesai"))
    po.append(polib.POEntry(msgid="Record", msgctxt="verb", msgstr=""))
    po.append(
        polib.POEntry(
            msgid="%(counter)s session", msgid_plural="%(counter)s sessions", msgstr_plural={0: ""}
        )
    )
    path = tmp_path / "django.po"
    po.save(str(path))
    return polib.pofile(str(path))


def test_pending_lists_untranslated_and_fuzzy_entries_as_a_fillable_json(tool, catalogue):
    template = tool.template_for(tool.pending(catalogue))
    assert template == {
        "Held": "",
        "Welcome to %(practice)s.": "",
        "Expired": "",
        "verb\x04Record": "",
        "%(counter)s session": [""],
    }
    json.dumps(template)


def test_apply_writes_translations_plurals_and_contexts_and_clears_fuzzy(tool, catalogue):
    refused = tool.apply(
        catalogue,
        {
            "Held": "Terlaksana",
            "Welcome to %(practice)s.": "Selamat datang di %(practice)s.",
            "Expired": "Kedaluwarsa",
            "verb\x04Record": "Catat",
            "%(counter)s session": ["%(counter)s sesi"],
        },
    )
    assert refused == []
    reread = polib.pofile(catalogue.fpath)
    assert tool.pending(reread) == []
    assert reread.find("Expired").msgstr == "Kedaluwarsa"
    assert "fuzzy" not in reread.find("Expired").flags
    assert reread.find("Record", msgctxt="verb").msgstr == "Catat"
    assert reread.find("%(counter)s session").msgstr_plural == {0: "%(counter)s sesi"}


def test_apply_skips_empty_values_and_refuses_wrong_placeholders_and_unknown_strings(
    tool, catalogue
):
    refused = tool.apply(
        catalogue,
        {
            "Held": "",
            "Welcome to %(practice)s.": "Selamat datang di %(name)s.",
            "Not marked anywhere": "Tidak ada",
        },
    )
    assert len(refused) == 2
    assert "placeholders differ" in refused[0] and "not in the catalogue" in refused[1]
    reread = polib.pofile(catalogue.fpath)
    assert reread.find("Welcome to %(practice)s.").msgstr == ""
    assert len(tool.pending(reread)) == 5


def test_glossary_hints_name_the_house_terms(tool):
    hints = tool.glossary_hints("When a client chooses you after a chemistry session")
    assert hints["client"] == "klien"
    assert hints["chemistry session"] == "sesi chemistry"
