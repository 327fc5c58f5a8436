from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from coaching.widgets import NativeDateInput, submission_field

from .models import (
    CCEEntry,
    PracticeScopeDefault,
    Referral,
    ReflectiveJournalEntry,
    ScopeBoundaryFlag,
)


def _helper(submit_label):
    helper = FormHelper()
    helper.add_input(Submit("submit", submit_label))
    return helper


class ReferralForm(forms.ModelForm):
    class Meta:
        model = Referral
        fields = ["professional", "reason", "note", "follow_up_on", "pause_requested"]
        widgets = {"follow_up_on": NativeDateInput, "note": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "note": _("Encrypted, and read only by you."),
            "pause_requested": _("Pause the coaching while the client sees the professional."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Record referral"))


class JournalEntryForm(forms.ModelForm):
    submission = submission_field()

    class Meta:
        model = ReflectiveJournalEntry
        fields = ["date", "text"]
        widgets = {"date": NativeDateInput, "text": forms.Textarea(attrs={"rows": 8})}
        help_texts = {"text": _("Private: nobody but you can read it, not even an admin.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Save"))


class CCEEntryForm(forms.ModelForm):
    class Meta:
        model = CCEEntry
        fields = ["category", "hours", "provider", "date", "description"]
        widgets = {"date": NativeDateInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hours"].min_value = 0
        self.helper = _helper(_("Add to my log"))


class ConsentGiveForm(forms.Form):
    """Which consent to give; the view checks the sponsor through the gate."""

    kind = forms.ChoiceField(choices=[("sponsor_sharing", ""), ("data_processing", "")])
    sponsor = forms.UUIDField(required=False)


class ScopeDefaultsForm(forms.Form):
    """One select per kind of session part: who may read a new part by default."""

    def __init__(self, *args, current, **kwargs):

        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Save the defaults"))
        for value, label in PracticeScopeDefault.Part.choices:
            allowed = PracticeScopeDefault.allowed(value)
            self.fields[value] = forms.ChoiceField(
                label=label,
                # Only as wide as the part's own default: a default narrows, never widens.
                choices=[c for c in PracticeScopeDefault.Scope.choices if c[0] in allowed],
                initial=current[value],
                help_text=_("A default can only narrow who reads a new part."),
            )

    def scopes(self):
        return dict(self.cleaned_data)


class ProgressReportForm(forms.Form):
    text = forms.CharField(
        label=_("Progress report for the sponsor"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("The client approves it before the sponsor can read it."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the template's <form> carries the token


class BoundaryFlagForm(forms.Form):
    territory = forms.ChoiceField(label=_("The conversation went into"), choices=[])

    def __init__(self, *args, **kwargs):

        super().__init__(*args, **kwargs)
        self.fields["territory"].choices = ScopeBoundaryFlag.Territory.choices
