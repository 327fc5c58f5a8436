from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import BODY_MAX_LENGTH
from .services import check_attachment


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Message"),
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write a message first.")},
    )
    attachment = forms.FileField(
        label=_("File (PDF, PNG or JPEG, up to 5 MB)"),
        required=False,
    )

    def clean_attachment(self):
        """Refused here, on its own field, so the typed message stays (services checks again)."""
        upload = self.cleaned_data.get("attachment")
        if upload is not None:
            try:
                check_attachment(upload)
            except ValidationError as exc:
                raise ValidationError(exc.messages) from None
            upload.seek(0)
        return upload
