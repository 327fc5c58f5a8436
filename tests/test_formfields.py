"""{% form_fields %} (coaching/templatetags/formfields.py) renders what `{% crispy %}` renders:
the same elements, attributes and texts (whitespace between them aside), for every form the
session pages show, empty and refused with errors."""

import uuid
from html.parser import HTMLParser

import pytest
from crispy_forms.helper import FormHelper
from django import forms
from django.template import Context, Template

from intake.forms import RaterInviteForm
from sessions.forms import (
    ActionItemForm,
    CheckInForm,
    CheckOutForm,
    ConversationNoteForm,
    ExtraPartForm,
    PreparationForm,
    RatingsForm,
)

SUBMISSION = uuid.UUID("00000000-0000-4000-8000-000000000001")


class _Tree(HTMLParser):
    """Tags with their attributes and the non-blank texts, whitespace collapsed."""

    def __init__(self):
        super().__init__()
        self.items = []

    def handle_starttag(self, tag, attrs):
        self.items.append(("<", tag, sorted(attrs)))

    def handle_endtag(self, tag):
        self.items.append((">", tag))

    def handle_data(self, data):
        text = " ".join(data.split())
        if text:
            self.items.append(("text", text))


def _dom(html):
    tree = _Tree()
    tree.feed(html)
    return tree.items


def _render(source, form):
    return Template("{% load crispy_forms_tags formfields %}" + source).render(
        Context({"form": form})
    )


class _Objective:
    def __init__(self, pk, text):
        self.pk, self.text = pk, text


OBJECTIVES = [_Objective(1, "Lead the <team> & more"), _Objective(2, "Delegate")]


class _Everything(forms.Form):
    """The other widgets the tag supports: a checkbox, a help text, a required radio."""

    agree = forms.BooleanField(label="I agree", help_text="Say <b>yes</b>.")
    note = forms.CharField(label="Note", required=False, help_text="Optional.")
    choice = forms.ChoiceField(
        label="Pick", choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def clean(self):
        raise forms.ValidationError("Something about the whole form.")


FORMS = {
    "check-in": lambda data: CheckInForm(data),
    "note": lambda data: ConversationNoteForm(data),
    "task": lambda data: ActionItemForm(data, prefix="task", initial={"submission": SUBMISSION}),
    "check-out": lambda data: CheckOutForm(data),
    "extra": lambda data: ExtraPartForm(data, prefix="extra-1"),
    "ratings": lambda data: RatingsForm(
        data, objectives=OBJECTIVES, ratings={1: 4}, scope="client"
    ),
    "preparation": lambda data: PreparationForm(data),
    "everything": lambda data: _Everything(data),
    # Rendered with the |crispy filter (no helper): the same as the helper above.
    "rater-invite": lambda data: RaterInviteForm(data),
}

REFUSED = {
    "check-in": {"client_readiness": "11", "coach_readiness": "x", "goal": "<b>typed</b>"},
    "note": {"text": "typed", "on_theme": "partly", "drift_reason": "other"},
    "task": {"task-assignee": "nobody", "task-text": "", "task-due_on": "31.02.2026"},
    "check-out": {"confirmations": "a" * 10, "scope": "nobody"},
    "extra": {"extra-1-text": "typed", "extra-1-scope": "sponsor"},
    "ratings": {"objective_1": "12", "objective_2": "-1", "scope": "nobody"},
    "preparation": {"reflection": "typed", "scope": "nobody"},
    "everything": {"choice": "c", "note": "kept"},
    "rater-invite": {"group": "boss", "email": "not-an-email", "language": "id"},
}


@pytest.mark.parametrize("name", FORMS)
@pytest.mark.parametrize("refused", [False, True], ids=["empty", "refused"])
def test_it_renders_what_crispy_renders(name, refused):
    data = REFUSED[name] if refused else None
    crispy_form, our_form = FORMS[name](data), FORMS[name](data)
    if refused:
        assert not crispy_form.is_valid() and not our_form.is_valid()
    crispy = _render(
        "{{ form|crispy }}" if name == "rater-invite" else "{% crispy form %}", crispy_form
    )
    ours = _render(
        "{% form_fields form as_filter=True %}"
        if name == "rater-invite"
        else "{% form_fields form %}",
        our_form,
    )
    assert _dom(ours) == _dom(crispy)
    if refused:  # what was typed is kept, and the errors are shown
        assert "invalid-feedback" in ours or "alert-danger" in ours


def test_it_refuses_a_widget_it_does_not_render():
    class WithFile(forms.Form):
        upload = forms.FileField()

    with pytest.raises(TypeError):
        _render("{% form_fields form %}", WithFile())


def test_values_are_escaped_as_html_escape_escapes_them():
    """#11 (g-sess6): text without &<>"' is returned as it is, any other as html.escape gives
    it; a typed value with them is escaped in the textarea and the input."""
    import html

    from coaching.templatetags.formfields import _escape

    for text in ["plain text", "", "a<b", "x>y", 'say "hi"', "it's", "R&D", "&amp;", "<'\">&"]:
        assert _escape(text) == html.escape(text), text
    typed = '<script>alert("x")</script> & it\'s'
    form = CheckOutForm(data={"take_aways": typed, "insights": typed})
    page = _render("{% form_fields form %}", form)
    assert html.escape(typed) in page
    assert typed not in page
