from datetime import timedelta

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from coaching.accounts.models import Membership, User
from coaching.money import AmountField, amount_to_minor, format_amount
from coaching.widgets import NativeDateInput, NativeDateTimeInput, submission_field

from .models import (
    CADENCE_DAYS,
    CONTRACT_TERMS,
    PROPOSAL_TERMS,
    CoachProfile,
    ContractVersion,
    MeetingFormat,
    ObjectiveReview,
    Program,
    Proposal,
    sessions_for,
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


class _PriceMixin:
    """The price typed as people write it ("Rp 15.000.000", "15000000", "Rp 15 juta") and
    shown back grouped in the reader's language; stored in the currency's minor units."""

    def _set_up_price(self):
        self.fields["price_minor"] = AmountField(
            label=_("Price"),
            help_text=_("As you would write it: 15.000.000, 15000000 or Rp 15 juta."),
        )
        instance = self.instance
        if not self.is_bound and instance.pk and instance.price_minor is not None:
            self.initial["price_minor"] = format_amount(instance.price_minor, instance.currency)

    def clean(self):
        cleaned = super().clean()
        currency = (cleaned.get("currency") or "IDR").upper()
        amount_to_minor(self, "price_minor", currency)
        return cleaned


class ProposalForm(_PriceMixin, forms.ModelForm):
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
            "first_time_coaching",
        ]
        widgets = {"expires_on": NativeDateInput()}
        help_texts = {
            "client_email": _("For someone new: they get an invitation to join as a client."),
        }

    def __init__(self, *args, access, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["client"].queryset = _members(access, Role.CLIENT)
        self.fields["sponsor"].queryset = _members(access, Role.SPONSOR)
        self.fields["client"].label_from_instance = lambda u: f"{u.display_name} <{u.email}>"
        self.fields["sponsor"].label_from_instance = lambda u: f"{u.display_name} <{u.email}>"
        self.fields["currency"].initial = access.practice.currency
        self.fields["sessions_count"].required = False
        self.fields["sessions_count"].help_text = _(
            "Leave it empty for one session per cadence over the duration (6 months monthly: 6, "
            "fortnightly: 13, weekly: 26)."
        )
        self._set_up_price()
        if not access.is_admin:
            # A coach drafting: no list of the practice's clients and sponsors to pick from
            # (names the coach has no business reading); the client's email instead.
            del self.fields["client"]
            del self.fields["sponsor"]
            self.fields["origin"].initial = Proposal.Origin.SUPPLY_DRIVEN
            self.helper = _helper(_("Save the draft for an admin to approve"))
            return
        self.helper = _helper(_("Save draft"))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("sessions_count") in (None, ""):
            months = cleaned.get("custom_duration_months") if cleaned.get("duration") == 0 else None
            months = months or cleaned.get("duration") or 0
            if months:
                cleaned["sessions_count"] = sessions_for(months, cleaned.get("cadence"))
            else:
                self.add_error("sessions_count", _("Give the number of sessions."))
        return cleaned


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)


class ContractStartForm(forms.Form):
    starts_on = forms.DateField(
        label=_("Contract starts on"), widget=NativeDateInput(), validators=[_near_today]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Draft the contract"))


class ContractTermsForm(_PriceMixin, forms.ModelForm):
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
        self._set_up_price()
        # The page wraps it in one <form> with the payment schedule (billing) and its button.
        self.helper = FormHelper()
        self.helper.form_tag = False


class ChemistryForm(forms.Form):
    coach = forms.ModelChoiceField(label=_("Candidate coach"), queryset=User.objects.none())
    starts_at = forms.DateTimeField(
        label=_("Date and time"), widget=NativeDateTimeInput(), validators=[_upcoming]
    )
    format = forms.ChoiceField(label=_("Format"), choices=MeetingFormat.choices)
    place = forms.CharField(label=_("Place or link"), max_length=200, required=False)
    duration_minutes = forms.TypedChoiceField(
        label=_("Length"),
        coerce=int,
        choices=[(30, _("30 minutes")), (45, _("45 minutes")), (60, _("60 minutes"))],
        initial=30,
        required=False,
        empty_value=30,  # type: ignore[arg-type]  # none posted (an older page): half an hour
    )

    def __init__(self, *args, access, first_time=False, **kwargs):
        super().__init__(*args, **kwargs)
        if first_time:
            self.fields["duration_minutes"].initial = 60
            self.fields["duration_minutes"].help_text = _(
                "The client has never been coached: a longer meeting leaves time to explain "
                "what coaching is and is not."
            )
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
    share = forms.BooleanField(label=_("Share this with the coach I choose"), required=False)


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


class ObjectiveEditForm(forms.Form):
    text = forms.CharField(label=_("Objective"), widget=forms.Textarea(attrs={"rows": 2}))
    measure = forms.CharField(
        label=_("How it will be judged"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    reason = forms.CharField(label=_("Why it changes"), max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Save the objective"))


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

    def __init__(self, *args, version=None, booked=0, **kwargs):
        super().__init__(*args, **kwargs)
        if version is not None:
            # The contract's shape: spacing from its cadence, the sessions still to book.
            self.fields["spacing_days"].initial = CADENCE_DAYS.get(version.cadence, 30)
            self.fields["count"].initial = max(version.sessions_count - booked, 1)
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


class CoachProfileForm(forms.ModelForm):
    class Meta:
        model = CoachProfile
        fields = [
            "bio_en",
            "bio_id",
            "specialties_en",
            "specialties_id",
            "languages",
            "icf_level",
            "icf_number",
            "years_coaching",
        ]
        widgets = {
            "bio_en": forms.Textarea(attrs={"rows": 4}),
            "bio_id": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["years_coaching"].validators.append(MaxValueValidator(80))
        self.fields["years_coaching"].widget.attrs["max"] = 80
        self.helper = _helper(_("Save my profile"))
