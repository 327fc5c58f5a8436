from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from . import registry
from .models import NotificationPreference, PracticeNotificationDefault


class _KindsForm(forms.ModelForm):
    email_kinds = forms.MultipleChoiceField(
        label=_("Send me an email for"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Everything always appears in your notifications list."),
    )

    class Meta:
        model = NotificationPreference
        fields = ["quiet_start", "quiet_end"]
        widgets = {
            "quiet_start": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "quiet_end": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }
        help_texts = {
            "quiet_start": _("In your own time zone. No email arrives during quiet hours."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = registry.all_kinds()
        self.fields["email_kinds"].choices = [(k.name, k.label) for k in kinds]
        off = set(self.instance.email_off_kinds or [])
        self.initial.setdefault("email_kinds", [k.name for k in kinds if k.name not in off])
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Save")))


class PreferenceForm(_KindsForm):
    class Meta(_KindsForm.Meta):
        fields = ["quiet_start", "quiet_end", "daily_digest"]
        help_texts = {
            **_KindsForm.Meta.help_texts,
            "daily_digest": _(
                "At 7 in the morning, your time, one email lists the past day's reminders. "
                "Calendar invitations (a session scheduled, moved or cancelled) still come at once."
            ),
        }


class PracticeDefaultForm(_KindsForm):
    class Meta(_KindsForm.Meta):
        model = PracticeNotificationDefault  # type: ignore[assignment]  # same fields, practice-wide
        fields = ["quiet_start", "quiet_end", "notes_retention_months"]
        help_texts = {
            "quiet_start": _("In each member's own time zone. Members can change this."),
            "notes_retention_months": _(
                "Coaches are reminded to review session notes older than this."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email_kinds"].label = _("Send members an email for")
        self.fields["notes_retention_months"].required = False  # empty: leave it as it is
