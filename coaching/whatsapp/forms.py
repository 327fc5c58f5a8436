from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from coaching.notifications import registry

from . import channel, client

CHOICE_LABELS = {
    channel.EMAIL: _("Email"),
    channel.WHATSAPP: _("WhatsApp"),
    channel.IN_APP: _("Only in the app"),
}


class OptInForm(forms.Form):
    phone = forms.CharField(
        label=_("WhatsApp number"),
        max_length=40,
        help_text=_("A number without a country code is taken as Indonesian (+62)."),
    )
    agree = forms.BooleanField(label=_("I agree to the text above."), required=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class ChannelChoiceForm(forms.Form):
    """One choice per kind of reminder: email, WhatsApp (kinds with a template) or in-app."""

    def __init__(self, *args, current=None, **kwargs):
        super().__init__(*args, **kwargs)
        current = current or {}
        # WhatsApp is offered only where the channel is configured.
        whatsapp = set(channel.whatsapp_kinds()) if client.enabled() else set()
        for kind in registry.all_kinds():
            options = [channel.EMAIL, *([channel.WHATSAPP] if kind.name in whatsapp else [])]
            options.append(channel.IN_APP)
            self.fields[kind.name] = forms.ChoiceField(
                label=kind.label,
                choices=[(o, CHOICE_LABELS[o]) for o in options],
                initial=current.get(kind.name, channel.EMAIL),
                required=False,  # a kind left out keeps its channel
                widget=forms.RadioSelect(attrs={"class": "form-check-inline"}),
            )
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Save")))


class PracticeChannelForm(forms.Form):
    whatsapp_kinds = forms.MultipleChoiceField(
        label=_("Send by WhatsApp to members who opted in"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Members can change this for themselves. Other kinds follow the email defaults."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        labels = {kind.name: kind.label for kind in registry.all_kinds()}
        self.fields["whatsapp_kinds"].choices = [
            (name, labels.get(name, name)) for name in channel.whatsapp_kinds()
        ]
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Save")))
