"""allauth's account adapter: its emails are written in the recipient's language.

allauth renders a message under whatever language the request carries, so a password reset
asked for from an English browser would reach an Indonesian user in English. The recipient's
own language (else their first practice's) is what they read in everywhere else.
"""

from allauth.account.adapter import DefaultAccountAdapter
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from coaching.accounts.middleware import as_read_by

# The email column's length (User.email, EmailAddress.email); allauth's form field allows 320,
# so a longer address reached the database (a DataError on PostgreSQL: a 500).
EMAIL_MAX_LENGTH = 254


def client_ip(request):
    """The client's address as the trusted proxy reports it (ALLAUTH_TRUSTED_PROXY_COUNT or
    ALLAUTH_TRUSTED_CLIENT_IP_HEADER; README: deployment), else REMOTE_ADDR; None if unknown.
    allauth's rate limits read the same."""
    try:
        return DefaultAccountAdapter(request).get_client_ip(request)
    except (ImproperlyConfigured, PermissionDenied):  # fewer X-Forwarded-For hops than
        return None  # the proxies configured, or no address at all


class AccountAdapter(DefaultAccountAdapter):
    def _get_login_attempts_cache_key(self, request, **credentials):
        """Failed sign-ins count per account AND client address: a stranger typing wrong
        passwords for someone's address locks out only themselves, and the owner's correct
        password still passes from their own address (finding 3 of #12). Each address is
        also held to ACCOUNT_RATE_LIMITS' per-IP limit."""
        key = super()._get_login_attempts_cache_key(request, **credentials)
        return f"{key}:{client_ip(request)}"

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
