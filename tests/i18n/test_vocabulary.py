"""The Indonesian words practitioners use (the Indonesian review): aims are the program's
purpose (tujuan), objectives its measurable steps (sasaran), the session's goal its focus."""

import pytest
from django.utils import translation
from django.utils.translation import gettext


@pytest.mark.parametrize(
    ("english", "indonesian"),
    [
        ("Aims", "Tujuan program"),
        ("Objectives", "Sasaran"),
        ("New objective", "Sasaran baru"),
        ("Goal", "Fokus sesi"),
        ("Current state of being (CSoB)", "Kondisi saat ini (CSoB)"),
        ("Desired future state of being (FSoB)", "Kondisi yang diinginkan (FSoB)"),
        ("Take-aways", "Take-away"),
        ("Drift from the theme", "Pergeseran dari tema"),
    ],
)
def test_the_catalogue_uses_the_practitioners_words(english, indonesian):
    with translation.override("id"):
        assert gettext(english) == indonesian


def test_no_indonesian_string_calls_an_objective_a_tujuan():
    import polib
    from django.conf import settings

    po = polib.pofile(str(settings.BASE_DIR / "locale/id/LC_MESSAGES/django.po"))
    wrong = [
        e.msgid
        for e in po
        if "objective" in e.msgid.lower()
        and "aim" not in e.msgid.lower()
        and "tujuan" in e.msgstr.lower()
    ]
    assert wrong == []
