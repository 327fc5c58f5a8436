"""allauth's account adapter: its emails are written in the recipient's language.

allauth renders a message under whatever language the request carries, so a password reset
asked for from an English browser would reach an Indonesian user in English. The recipient's
own language (else their first practice's) is what they read in everywhere else.
"""

from allauth.account.adapter import DefaultAccountAdapter
from django.contrib.auth import get_user_model

from coaching.accounts.middleware import as_read_by


class AccountAdapter(DefaultAccountAdapter):
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
