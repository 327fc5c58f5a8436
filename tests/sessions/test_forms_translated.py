"""The session parts' forms translate their labels, help texts and choices once per form class
and language (#11, g-sess7: about 190 lazy texts a request on the session page, each time the
same): each form reads in the language active when it is built, as before."""

from django.utils import translation

from coaching.vocabulary import Scope
from sessions.forms import CheckInForm, ConversationNoteForm, ExtraPartForm


def _texts(form):
    return {
        name: (field.label, field.help_text, list(getattr(field, "choices", [])))
        for name, field in form.fields.items()
    }


def test_each_form_reads_in_the_language_it_is_built_in():
    with translation.override("id"):
        indonesian = _texts(ConversationNoteForm())
        assert indonesian["scope"][0] == "Siapa yang boleh membaca ini"
    with translation.override("en"):
        english = _texts(ConversationNoteForm())
        assert english["scope"][0] == "Who may read this"
    with translation.override("id"):
        again = _texts(ConversationNoteForm())
    assert again == indonesian and again != english
    # The choices read as the lazy ones do in that language.
    with translation.override("id"):
        assert dict(again["scope"][2]) == {v: str(label) for v, label in Scope.choices}


def test_the_texts_are_plain_text_not_translated_again_per_request():
    with translation.override("en"):
        form = CheckInForm()
    for name, field in form.fields.items():
        assert type(field.label) is str, name
        for _value, label in getattr(field, "choices", []):
            assert type(label) is str, (name, label)


def test_a_subclass_keeps_its_own_choices():
    with translation.override("en"):
        ExtraPartForm()
        form = ExtraPartForm()
    assert Scope.SPONSOR not in dict(form.fields["scope"].choices)
