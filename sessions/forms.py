from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from coaching.widgets import NativeDateInput, NativeDateTimeInput, submission_field
from session_templates.models import ExtraPartNote

from .models import (
    ActionItem,
    CheckIn,
    CheckOut,
    ConversationNote,
    Preparation,
    RescheduleRequest,
    Scope,
)


class PartForm(forms.ModelForm):
    """A session part's form. The template writes the <form> tag (htmx attributes)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the template's <form> carries the token
        for name, field in self.fields.items():
            if isinstance(field.widget, forms.Textarea):
                field.widget.attrs["rows"] = 3
            if isinstance(field, forms.IntegerField):
                # The model's bounds (readiness 1 to 10) in the browser too, so that 11 is
                # refused where it is typed; the server checks them either way.
                # The model field's validators: a ModelForm's field does not carry them.
                bounds = [*field.validators, *self._meta.model._meta.get_field(name).validators]
                lows = [v.limit_value for v in bounds if isinstance(v, MinValueValidator)]
                highs = [v.limit_value for v in bounds if isinstance(v, MaxValueValidator)]
                if lows:
                    field.widget.attrs["min"] = max(lows)  # the tightest bound wins
                if highs:
                    field.widget.attrs["max"] = min(highs)
        if "scope" in self.fields:
            self.fields["scope"].label = _("Who may read this")
            self.fields["scope"].widget.attrs["class"] = "form-select form-select-sm w-auto"
            # Not sent (an older page, a script): the part keeps its scope.
            self.fields["scope"].required = False
        _translate_once(self)

    def clean_scope(self):
        return self.cleaned_data.get("scope") or self.instance.scope


# {(form class, language): {field name: (label, help text, choices)}}: the fields' lazy texts
# as they read in that language, translated once per process (#11, g-sess7: the session page
# translated about 190 lazy labels and choices a request, five forms' worth, each time the
# same). Translations do not change while the process runs.
_TRANSLATED: dict = {}


def _translated_choices(field):
    """The field's choices with their labels as text, for a plain choice field whose choices
    are flat (no groups, no queryset); else None (left as they are)."""
    if type(field) not in (forms.ChoiceField, forms.TypedChoiceField):
        return None
    choices = list(field.choices)
    if any(isinstance(label, (list, tuple)) for _value, label in choices):
        return None
    return [(value, str(label)) for value, label in choices]


def _translate_once(form):
    """Sets each field's label, help text and choices to their text in the active language,
    translated the first time this form class is built in it: the same text as rendering the
    lazy ones gives."""
    key = (type(form), get_language())
    known = _TRANSLATED.get(key)
    if known is None:
        known = {
            name: (
                None if field.label is None else str(field.label),
                str(field.help_text) if field.help_text else field.help_text,
                _translated_choices(field),
            )
            for name, field in form.fields.items()
        }
        _TRANSLATED[key] = known
    for name, field in form.fields.items():
        label, help_text, choices = known[name]
        field.label = label
        field.help_text = help_text
        if choices is not None:
            field.choices = choices


class PreparationForm(PartForm):
    class Meta:
        model = Preparation
        fields = ["reflection", "scope"]


class CheckInForm(PartForm):
    class Meta:
        model = CheckIn
        fields = [
            "client_readiness",
            "coach_readiness",
            "since_last_time",
            "goal",
            "agenda",
            "scope",
        ]


class ConversationNoteForm(PartForm):
    class Meta:
        model = ConversationNote
        fields = ["text", "on_theme", "drift_reason", "drift_text", "scope"]
        widgets = {
            "on_theme": forms.RadioSelect,
            "drift_text": forms.TextInput(attrs={"maxlength": 500}),
        }

    def clean(self):
        data = super().clean()
        if data.get("on_theme") in ("partly", "no") and not data.get("drift_reason"):
            self.add_error("drift_reason", _("Say why the session left the theme."))
        if data.get("drift_reason") == "other" and not data.get("drift_text"):
            self.add_error("drift_text", _("Describe the other reason."))
        return data


class ActionItemForm(PartForm):
    submission = submission_field()

    class Meta:
        model = ActionItem
        fields = ["assignee", "text", "due_on", "scope"]
        widgets = {
            "text": forms.TextInput(attrs={"maxlength": 500}),
            "due_on": NativeDateInput(),
        }


class CheckOutForm(PartForm):
    class Meta:
        model = CheckOut
        fields = [
            "confirmations",
            "aha_moments",
            "insights",
            "take_aways",
            "new_behaviours",
            "scope",
        ]


class ExtraPartForm(PartForm):
    """An extra part of the coach's template: notes, private or shared with the client (the
    sponsor's page shows the standard parts only, so "sponsor" is not offered)."""

    class Meta:
        model = ExtraPartNote
        fields = ["text", "scope"]
        widgets = {"text": forms.Textarea(attrs={"maxlength": 20000})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].max_length = 20000
        self.fields["scope"].choices = [
            (value, label) for value, label in Scope.choices if value != Scope.SPONSOR
        ]


class RatingsForm(forms.Form):
    """One 0-10 field per objective; the objectives come from the gate."""

    def __init__(self, *args, objectives, ratings, scope=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the template's <form> carries the token
        self.rated_objectives = list(objectives)
        for index, objective in enumerate(self.rated_objectives, start=1):
            self.fields[f"objective_{objective.pk}"] = forms.IntegerField(
                label=_("Objective %(number)s: %(text)s")
                % {"number": index, "text": objective.text},
                min_value=0,
                max_value=10,
                required=False,
                initial=ratings.get(objective.pk),
            )

        self.fields["scope"] = forms.ChoiceField(
            label=_("Who may read these ratings"),
            choices=Scope.choices,
            required=False,
            initial=scope,
        )
        self.fields["scope"].widget.attrs["class"] = "form-select form-select-sm w-auto"

    def scores(self):
        return {o: self.cleaned_data.get(f"objective_{o.pk}") for o in self.rated_objectives}


class DoneForm(forms.Form):
    comment = forms.CharField(label=_("Comment (optional)"), max_length=500, required=False)


class RescheduleRequestForm(forms.Form):
    """A client's or coach's request to move a session: a reason from a list, 1-3 times."""

    reason = forms.ChoiceField(label=_("Why"), choices=RescheduleRequest.Reason.choices)
    time_1 = forms.DateTimeField(label=_("Proposed new time"), widget=NativeDateTimeInput())
    time_2 = forms.DateTimeField(
        label=_("Another time that suits (optional)"), widget=NativeDateTimeInput(), required=False
    )
    time_3 = forms.DateTimeField(
        label=_("A third time (optional)"), widget=NativeDateTimeInput(), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Ask to move the session")))

    def times(self):
        return [self.cleaned_data.get(f"time_{n}") for n in (1, 2, 3)]


class RescheduleAnswerForm(forms.Form):
    choice = forms.TypedChoiceField(
        label=_("New time"), coerce=int, choices=[(0, "1"), (1, "2"), (2, "3")]
    )
    confirm_close_spacing = forms.BooleanField(
        label=_("Schedule it even if close to another session"), required=False
    )
