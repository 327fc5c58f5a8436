from allauth.account.forms import SignupForm as AllauthSignupForm
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.hashers import make_password
from django.utils.crypto import get_random_string
from django.utils.translation import gettext_lazy as _

from .models import Invitation, Membership, Practice, User

Role = Membership.Role


def _helper(submit_label):
    helper = FormHelper()
    helper.add_input(Submit("submit", submit_label))
    return helper


class InvitationForm(forms.ModelForm):
    class Meta:
        model = Invitation
        fields = ["email", "role", "full_name", "organisation"]
        help_texts = {"organisation": _("For a sponsor: the company that pays for the coaching.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Send invitation"))

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()


class AcceptInvitationForm(forms.Form):
    full_name = forms.CharField(label=_("Your name"), max_length=150)
    password1 = forms.CharField(
        label=_("Password"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password2 = forms.CharField(
        label=_("Password (again)"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email
        self.helper = _helper(_("Create my account"))

    def clean(self):
        cleaned = super().clean()
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords differ."))
        elif p1:
            try:
                password_validation.validate_password(
                    p1, User(email=self.email, full_name=cleaned.get("full_name", ""))
                )
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class MemberRolesForm(forms.Form):
    roles = forms.MultipleChoiceField(
        label=_("Roles"), choices=Role.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    organisation = forms.CharField(label=_("Organisation"), max_length=150, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Save roles"))


LOGO_MAX_BYTES = 200 * 1024
LOGO_FORMATS = {"PNG", "JPEG"}


class PracticeForm(forms.ModelForm):
    # The letterhead's logo: stored in the practice's row (Practice.logo), so bound here.
    logo_upload = forms.ImageField(
        label=_("Logo"),
        required=False,
        help_text=_("PNG or JPEG, at most 200 KB. Shown on contracts, certificates and invoices."),
    )
    remove_logo = forms.BooleanField(label=_("Remove the logo"), required=False)

    class Meta:
        model = Practice
        fields = [
            "name",
            "slug",
            "timezone",
            "currency",
            "default_language",
            "require_mfa_for_staff",
            "min_session_spacing_days",
            "address",
        ]
        widgets = {"address": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"address": _("Printed on the practice's documents.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "slug" in self.fields:
            # Read-only: "this address is taken" would tell an admin which practices exist
            # (finding 10 of #12), and links in sent emails and calendar feeds carry it.
            self.fields["slug"].disabled = True
            self.fields["slug"].help_text = _(
                "Set when the practice was created. The site's operator can change it."
            )
        self.helper = _helper(_("Save"))

    def clean_logo_upload(self):
        upload = self.cleaned_data.get("logo_upload")
        if not upload:
            return None
        if upload.size > LOGO_MAX_BYTES:
            raise forms.ValidationError(_("The logo is larger than 200 KB."))
        # forms.ImageField has opened it with Pillow: the format is the file's, not its name's.
        if getattr(upload.image, "format", None) not in LOGO_FORMATS:
            raise forms.ValidationError(_("The logo must be a PNG or JPEG image."))
        upload.seek(0)
        return upload.read()

    def save(self, commit=True):
        practice = super().save(commit=False)
        if self.cleaned_data.get("remove_logo"):
            practice.logo = b""
        elif self.cleaned_data.get("logo_upload"):
            practice.logo = self.cleaned_data["logo_upload"]
        if commit:
            practice.save()
        return practice

    def clean_currency(self):
        currency = self.cleaned_data["currency"].strip().upper()
        if len(currency) != 3 or not currency.isalpha():
            raise forms.ValidationError(_("Use a three-letter ISO currency code, e.g. IDR."))
        return currency


class PracticeCreateForm(PracticeForm):
    # Removed (Django's way for declared fields): the logo is set once the practice exists.
    logo_upload = None  # type: ignore[assignment]
    remove_logo = None  # type: ignore[assignment]

    class Meta(PracticeForm.Meta):
        # No slug: the address is made from the name with a random suffix (services.
        # practice_slug), so the form never says whether another practice's address exists.
        fields = ["name", "timezone", "currency", "default_language"]
        help_texts = {
            "name": _("Your practice's address is made from its name, e.g. acme-coaching-k3x9q2."),
        }


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["full_name", "language", "timezone"]
        help_texts = {
            "language": _("Leave empty to follow your practice."),
            "timezone": _("Leave empty to follow your practice."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["timezone"].choices = [("", _("Practice default"))] + list(
            self.fields["timezone"].choices
        )[1:]
        self.helper = _helper(_("Save"))


class SignupForm(AllauthSignupForm):
    """allauth's sign-up, answering a registered address as slowly as a new one: it hashes a
    throwaway password where a new account's password is hashed, so the time does not tell
    who is registered (finding 10 of #12; the "account exists" email goes to the owner)."""

    def try_save(self, request):
        if self.account_already_exists:
            make_password(get_random_string(32))
        return super().try_save(request)
