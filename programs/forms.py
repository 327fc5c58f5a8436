from datetime import timedelta

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from coaching.accounts.models import Membership, User
from coaching.widgets import NativeDateInput, NativeDateTimeInput, submission_field

from .models import (
    CONTRACT_TERMS,
    PROPOSAL_TERMS,
    ContractVersion,
    MeetingFormat,
    ObjectiveReview,
    Program,
    Proposal,
)

Role = Membership.Role


# How far ahead a meeting or a contract may be set: further is a typo (and near the calendar's
# last year, the series, the contract's end and the pages' links would run out of it).
AHEAD = timedelta(days=5 * 366)


def _upcoming(value):
    """A meeting's start: not in the past (no one can attend it), not years away."""
    now = timezone.now()
    if value < now:
        raise ValidationError(_("Choose a time in the future."))
    if value > now + AHEAD:
        raise ValidationError(_("Choose a time within the next five years."))


def _near_today(value):
    """A contract's first day: within five years of today, either way."""
    today = timezone.localdate()
    if not today - AHEAD <= value <= today + AHEAD:
        raise ValidationError(_("Choose a date within five years of today."))


def _helper(label):
    helper = FormHelper()
    helper.add_input(Submit("submit", label))
    return helper


def _members(access, role):
    return (
        User.objects.filter(
            memberships__practice=access.practice,
            memberships__role=role,
            memberships__deactivated_at=None,
        )
        .distinct()
        .order_by("full_name")
    )


class ProposalForm(forms.ModelForm):
    client = forms.ModelChoiceField(
        label=_("Existing client"), queryset=User.objects.none(), required=False
    )
    sponsor = forms.ModelChoiceField(
        label=_("Sponsor"), queryset=User.objects.none(), required=False
    )

    class Meta:
        model = Proposal
        fields = [
            "origin",
            "client",
            "client_email",
            "sponsor",
            "need",
            "duration",
            "custom_duration_months",
            "sessions_count",
            "session_minutes",
            "cadence",
            "price_minor",
            "currency",
            "expires_on",
        ]
        widgets = {"expires_on": NativeDateInput()}
        help_texts = {
            "client_email": _("For someone new: they get an invitation to join as a client."),
            "price_minor": _("In the currency's smallest unit (Rupiah have none: 15000000)."),
        }

    def __init__(self, *args, access, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["client"].queryset = _members(access, Role.CLIENT)
        self.fields["sponsor"].queryset = _members(access, Role.SPONSOR)
        self.fields["client"].label_from_instance = lambda u: f"{u.display_name} <{u.email}>"
        self.fields["sponsor"].label_from_instance = lambda u: f"{u.display_name} <{u.email}>"
        self.fields["currency"].initial = access.practice.currency
        self.helper = _helper(_("Save draft"))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)


class ContractStartForm(forms.Form):
    starts_on = forms.DateField(
        label=_("Contract starts on"), widget=NativeDateInput(), validators=[_near_today]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Draft the contract"))


class ContractTermsForm(forms.ModelForm):
    class Meta:
        model = ContractVersion
        fields = [*CONTRACT_TERMS, "change_reason"]
        widgets = {
            "starts_on": NativeDateInput(),
            "ends_on": NativeDateInput(),
        }
        help_texts = {
            "change_reason": _("Needed when the contract was already sent: a new version.")
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Save terms"))


class ChemistryForm(forms.Form):
    coach = forms.ModelChoiceField(label=_("Candidate coach"), queryset=User.objects.none())
    starts_at = forms.DateTimeField(
        label=_("Date and time"), widget=NativeDateTimeInput(), validators=[_upcoming]
    )
    format = forms.ChoiceField(label=_("Format"), choices=MeetingFormat.choices)
    place = forms.CharField(label=_("Place or link"), max_length=200, required=False)

    def __init__(self, *args, access, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["coach"].queryset = _members(access, Role.COACH)
        self.fields["coach"].label_from_instance = lambda u: u.display_name
        self.helper = _helper(_("Propose this coach"))


class OutcomeForm(forms.Form):
    rapport = forms.TypedChoiceField(
        label=_("Rapport (1-5)"), choices=[(i, i) for i in range(1, 6)], coerce=int
    )
    compatible = forms.TypedChoiceField(
        label=_("Compatible?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda v: v == "yes",
    )
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class ThemeForm(forms.ModelForm):
    reason = forms.CharField(
        label=_("Why it changes"),
        max_length=300,
        required=False,
        help_text=_("Needed when the theme or aims change after they were first set."),
    )

    class Meta:
        model = Program
        fields = ["theme", "aims", "current_state", "future_state"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Save"))


class ObjectiveForm(forms.Form):
    submission = submission_field()
    text = forms.CharField(label=_("Objective"), widget=forms.Textarea(attrs={"rows": 2}))
    measure = forms.CharField(
        label=_("How it will be judged"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class ReviewForm(forms.Form):
    result = forms.ChoiceField(label=_("Result"), choices=ObjectiveReview.Result.choices)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ScheduleForm(forms.Form):
    first = forms.DateTimeField(
        label=_("First session"), widget=NativeDateTimeInput(), validators=[_upcoming]
    )
    count = forms.IntegerField(label=_("How many sessions"), min_value=1, max_value=52)
    spacing_days = forms.IntegerField(
        label=_("Days between sessions"), min_value=1, max_value=366, initial=30
    )
    format = forms.ChoiceField(label=_("Format"), choices=MeetingFormat.choices)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    video_link = forms.URLField(label=_("Video call link"), required=False, assume_scheme="https")
    confirm_close_spacing = forms.BooleanField(
        label=_("Yes, schedule sessions closer together than the practice's minimum spacing"),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(pgettext_lazy("button", "Schedule"))


class RescheduleForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=_("New date and time"), widget=NativeDateTimeInput(), validators=[_upcoming]
    )
    confirm_close_spacing = forms.BooleanField(required=False)
    reason = forms.CharField(max_length=300, required=False)


class GraduateForm(forms.Form):
    summary = forms.CharField(
        label=_("Completion summary"), widget=forms.Textarea(attrs={"rows": 4})
    )
    early_reason = forms.CharField(
        label=_("Reason for an early completion"),
        max_length=300,
        required=False,
        help_text=_("Only when not every contracted session has been used."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Graduate the program"))


class ProposalTermsForm(forms.ModelForm):
    class Meta:
        model = Proposal
        fields = PROPOSAL_TERMS
        widgets = {"expires_on": NativeDateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Save draft"))
