"""English interface strings left on an Indonesian page: the msgids of the catalogue whose
translation differs from them (so "Admin", "Coach", "Email" do not count), found as whole
phrases in the page text. For the Indonesian walk-through browser test and view tests."""

import html
import re
from functools import cache
from pathlib import Path

import polib
from django.conf import settings

PO = Path(settings.BASE_DIR) / "locale" / "id" / "LC_MESSAGES" / "django.po"


@cache
def english_strings():
    strings = set()
    for entry in polib.pofile(str(PO)):
        if entry.obsolete or "%(" in entry.msgid or "<" in entry.msgid:
            continue
        translation = entry.msgstr or entry.msgstr_plural.get(0, "")
        if translation.strip().lower() != entry.msgid.strip().lower():
            strings.add(entry.msgid)
    return frozenset(strings)


def visible_text(page_html):
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", page_html, flags=re.S | re.I)
    text = re.sub(r"<[^>]+>", "\n", text)
    return html.unescape(text)


# The switcher names each language in that language: "English" is meant to be there.
ALWAYS_ALLOWED = {"English"}


def english_leaks(page_html, allowed=()):
    """The English strings (in the catalogue, translated differently) the page shows.
    Only strings of two words or more, or a whole text node, count: a single English word
    inside an Indonesian sentence or a person's name is not a leak."""
    lines = {line.strip() for line in visible_text(page_html).splitlines() if line.strip()}
    text = " ".join(lines)
    leaks = set()
    for string in english_strings() - ALWAYS_ALLOWED - set(allowed):
        if string in lines or (" " in string and re.search(rf"\b{re.escape(string)}\b", text)):
            leaks.add(string)
    return sorted(leaks)
