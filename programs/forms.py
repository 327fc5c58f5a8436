from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from coaching.accounts.models import Membership, User

from .models import ContractVersion, Proposal

Role = Membership.Role


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
        widgets = {"expires_on": forms.DateInput(attrs={"type": "date"})}
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
        label=_("Contract starts on"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Draft the contract"))


class ContractTermsForm(forms.ModelForm):
    class Meta:
        model = ContractVersion
        fields = [
            "starts_on",
            "ends_on",
            "sessions_count",
            "session_minutes",
            "cadence",
            "price_minor",
            "currency",
            "payment_terms",
            "termination_clause",
            "cancellation_notice_hours",
            "late_cancellation_uses_session",
            "confidentiality",
            "other_conditions",
            "change_reason",
        ]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "ends_on": forms.DateInput(attrs={"type": "date"}),
        }
        help_texts = {
            "change_reason": _("Needed when the contract was already sent: a new version.")
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Save terms"))
