from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from .models import CCEEntry, Referral, ReflectiveJournalEntry


def _helper(submit_label):
    helper = FormHelper()
    helper.add_input(Submit("submit", submit_label))
    return helper


class DateInput(forms.DateInput):
    input_type = "date"


class ReferralForm(forms.ModelForm):
    class Meta:
        model = Referral
        fields = ["professional", "reason", "note", "follow_up_on", "pause_requested"]
        widgets = {"follow_up_on": DateInput, "note": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "note": _("Encrypted, and read only by you."),
            "pause_requested": _("Pause the coaching while the client sees the professional."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Record referral"))


class JournalEntryForm(forms.ModelForm):
    class Meta:
        model = ReflectiveJournalEntry
        fields = ["date", "text"]
        widgets = {"date": DateInput, "text": forms.Textarea(attrs={"rows": 8})}
        help_texts = {"text": _("Private: nobody but you can read it, not even an admin.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Save"))


class CCEEntryForm(forms.ModelForm):
    class Meta:
        model = CCEEntry
        fields = ["category", "hours", "provider", "date", "description"]
        widgets = {"date": DateInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hours"].min_value = 0
        self.helper = _helper(_("Add to my log"))


class ConsentGiveForm(forms.Form):
    """Which consent to give; the view checks the sponsor through the gate."""

    kind = forms.ChoiceField(choices=[("sponsor_sharing", ""), ("data_processing", "")])
    sponsor = forms.UUIDField(required=False)
