"""The Indonesian catalogue's final pass: collect, list what is missing, apply translations.

    python scripts/translate_catalogue.py                    # makemessages; list what is missing
    python scripts/translate_catalogue.py --out pending.json # ... and write it as a JSON to fill
    python scripts/translate_catalogue.py --apply done.json [more.json ...]

Every run first runs `makemessages -l id`, so strings marked since the last run are in
locale/id/LC_MESSAGES/django.po (obsolete ones are dropped).

The JSON is {msgid: msgstr}. A plural entry's value is a list, one string per plural form
(Indonesian has one form, so ["%(counter)s undangan menunggu"]); a plain string is accepted
too and fills every form. An entry with a context is keyed "context\\u0004msgid" (gettext's
own convention). Empty values are skipped, so a half-filled file can be applied. --apply
checks that the %(name)s placeholders match the msgid, writes the translations (clearing
"fuzzy"), compiles the catalogue, and lists what is still missing. Exit status 1 while
anything is missing or a translation was refused.

The glossary below is the house vocabulary (common usage in Indonesian coaching practice);
the listing shows the terms found in each missing string.
"""

import argparse
import json
import os
import re
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
PO_PATH = ROOT / "locale" / "id" / "LC_MESSAGES" / "django.po"
IGNORE = [".venv/*", "venv/*", "var/*", "node_modules/*", "docs/*", "static/*"]
CONTEXT_SEPARATOR = "\x04"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]|{\w*}")

# English term -> how an Indonesian coach says it. Loanwords stay loanwords.
GLOSSARY = {
    "coach": "coach",
    "coaching": "coaching",
    "coachee": "coachee",
    "client": "klien",
    "sponsor": "sponsor",
    "practice": "praktik (coaching)",
    "program": "program",
    "session": "sesi",
    "chemistry session": "sesi chemistry",
    "check-in": "check-in",
    "check-out": "check-out",
    "contract": "kontrak",
    "proposal": "proposal",
    # The Indonesian review: aims are the program's purpose, objectives its measurable steps.
    "objective": "sasaran",
    "aims": "tujuan (program)",
    "session goal": "fokus sesi",
    "current state of being (CSoB)": "kondisi saat ini (CSoB)",
    "future state of being (FSoB)": "kondisi yang diinginkan (FSoB)",
    "take-away": "take-away",
    "drift": "pergeseran dari tema",
    "action item": "action item / tindak lanjut",
    "follow-up": "tindak lanjut",
    "invitation": "undangan",
    "invite": "mengundang",
    "member": "anggota",
    "admin": "admin",
    "held": "terlaksana",
    "scheduled": "terjadwal",
    "cancelled": "dibatalkan",
    "rescheduled": "dijadwalkan ulang",
    "no-show": "tidak hadir",
    "two-factor authentication": "autentikasi dua faktor",
    "sign in": "masuk",
    "sign out": "keluar",
    "email": "email",
    "time zone": "zona waktu",
    "reminder": "pengingat",
    "notes": "catatan",
    "feedback": "umpan balik",
    "you": "Anda (never kamu)",
}


def _setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coaching.settings.test")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def collect():
    """makemessages -l id into the real catalogue, then tidy its header."""
    from django.core.management import call_command

    os.chdir(ROOT)
    call_command(
        "makemessages", locale=["id"], ignore_patterns=IGNORE, no_obsolete=True, verbosity=0
    )
    catalogue = polib.pofile(str(PO_PATH), wrapwidth=99)
    catalogue.metadata_is_fuzzy = False
    catalogue.header = (
        "Indonesian catalogue of the coaching platform.\n"
        "Final pass: python scripts/translate_catalogue.py --out pending.json; fill; --apply it."
    )
    catalogue.metadata.update(
        {
            "Project-Id-Version": "coaching",
            "Language": "id",
            "Language-Team": "Indonesian",
            "Plural-Forms": "nplurals=1; plural=0;",
        }
    )
    catalogue.save()
    return catalogue


def key_of(entry):
    return f"{entry.msgctxt}{CONTEXT_SEPARATOR}{entry.msgid}" if entry.msgctxt else entry.msgid


def pending(catalogue):
    return [
        entry
        for entry in catalogue
        if not entry.obsolete and ("fuzzy" in entry.flags or not entry.translated())
    ]


def glossary_hints(text):
    lowered = text.lower()
    return {
        term: said
        for term, said in GLOSSARY.items()
        if re.search(rf"\b{re.escape(term)}s?\b", lowered)
    }


def describe(entries):
    for entry in entries:
        where = ", ".join(f"{path}:{line}" for path, line in entry.occurrences[:2])
        state = "fuzzy" if "fuzzy" in entry.flags else "untranslated"
        print(f"--- {state} ({where})")
        if entry.msgctxt:
            print(f"    context: {entry.msgctxt}")
        print(f"    msgid:   {entry.msgid}")
        if entry.msgid_plural:
            print(f"    plural:  {entry.msgid_plural}")
        if "fuzzy" in entry.flags:
            guess = entry.msgstr or entry.msgstr_plural.get(0, "")
            print(f"    guess:   {guess}")
        hints = glossary_hints(entry.msgid)
        if hints:
            print("    glossary: " + "; ".join(f"{k} = {v}" for k, v in hints.items()))


def template_for(entries):
    return {key_of(entry): ([""] if entry.msgid_plural else "") for entry in entries}


def _placeholders(text):
    return sorted(set(PLACEHOLDER.findall(text)))


def apply(catalogue, translations):
    """Writes {key: msgstr}; returns the list of refusals (the catalogue is saved either way)."""
    by_key = {key_of(entry): entry for entry in catalogue if not entry.obsolete}
    plurals = re.search(r"nplurals=(\d+)", catalogue.metadata.get("Plural-Forms", ""))
    nplurals = int(plurals.group(1)) if plurals else 1
    refused = []
    for key, value in translations.items():
        if key.startswith("_") or value in ("", [], None):
            continue
        entry = by_key.get(key)
        if entry is None:
            refused.append(f"not in the catalogue (no longer marked?): {key!r}")
            continue
        if entry.msgid_plural:
            forms = value if isinstance(value, list) else [value]
            if not all(forms):
                refused.append(f"empty plural form: {key!r}")
                continue
            expected = _placeholders(entry.msgid_plural) or _placeholders(entry.msgid)
            if any(set(_placeholders(f)) - set(expected) for f in forms):
                refused.append(f"placeholders differ from the msgid: {key!r}")
                continue
            entry.msgstr_plural = {i: forms[min(i, len(forms) - 1)] for i in range(nplurals)}
        else:
            if not isinstance(value, str):
                refused.append(f"expected a string: {key!r}")
                continue
            if _placeholders(value) != _placeholders(entry.msgid):
                refused.append(f"placeholders differ from the msgid: {key!r}")
                continue
            entry.msgstr = value
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None
    catalogue.save()
    return refused


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", help="write the missing entries to this JSON file, to fill")
    parser.add_argument("--apply", nargs="+", metavar="JSON", help="translations to write")
    parser.add_argument("--quiet", action="store_true", help="only the count of missing entries")
    args = parser.parse_args(argv)

    _setup_django()
    catalogue = collect()
    refused = []
    if args.apply:
        for path in args.apply:
            refused += apply(catalogue, json.loads(Path(path).read_text(encoding="utf-8")))
        from django.core.management import call_command

        call_command(
            "compilemessages",
            locale=["id"],
            ignore_patterns=[".venv", "venv", "var", "node_modules"],
            verbosity=0,
        )
    missing = pending(catalogue)
    if not args.quiet:
        describe(missing)
    for problem in refused:
        print(f"refused: {problem}")
    if args.out:
        Path(args.out).write_text(
            json.dumps(template_for(missing), ensure_ascii=False, indent=2) + "\n",
            encoding="utf-8",
        )
        print(f"wrote {len(missing)} entr{'y' if len(missing) == 1 else 'ies'} to {args.out}")
    print(f"catalogue: {len(missing)} missing or fuzzy, {len(refused)} refused")
    return 1 if (missing or refused) else 0


if __name__ == "__main__":
    sys.exit(main())
