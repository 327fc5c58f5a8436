"""allauth's account adapter: its emails are written in the recipient's language.

allauth renders a message under whatever language the request carries, so a password reset
asked for from an English browser would reach an Indonesian user in English. The recipient's
own language (else their first practice's) is what they read in everywhere else.
"""

from allauth.account.adapter import DefaultAccountAdapter
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from coaching.accounts.middleware import as_read_by

# The email column's length (User.email, EmailAddress.email); allauth's form field allows 320,
# so a longer address reached the database (a DataError on PostgreSQL: a 500).
EMAIL_MAX_LENGTH = 254


class AccountAdapter(DefaultAccountAdapter):
    def clean_email(self, email):
        if len(email) > EMAIL_MAX_LENGTH:
            raise ValidationError(
                _("An email address has at most %(max)d characters.") % {"max": EMAIL_MAX_LENGTH}
            )
        return super().clean_email(email)

    def send_mail(self, template_prefix, email, context):
        recipient = context.get("user") or self._user_for(email)
        if recipient is None:
            # No account at this address (the "unknown account" notice): the asker's language.
            return super().send_mail(template_prefix, email, context)
        with as_read_by(recipient):
            return super().send_mail(template_prefix, email, context)

    @staticmethod
    def _user_for(email):
        return get_user_model().objects.filter(email__iexact=email).first()
