from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from coaching.widgets import NativeDateInput, submission_field

from .models import SupervisionEntry


class SupervisionEntryForm(forms.ModelForm):
    submission = submission_field()

    class Meta:
        model = SupervisionEntry
        fields = ["kind", "format", "date", "hours", "with_whom", "notes"]
        widgets = {"date": NativeDateInput, "notes": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hours"].min_value = 0
        self.fields["hours"].widget.attrs.update(min="0.25", max="100", step="0.25")
        self.fields["notes"].max_length = 5000
        self.fields["notes"].widget.attrs["maxlength"] = 5000
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Add to my log")))

    def clean_hours(self):
        hours = self.cleaned_data["hours"]
        if hours is None or hours <= 0 or hours > 100:
            raise forms.ValidationError(_("Hours must be more than 0 and at most 100."))
        return hours
