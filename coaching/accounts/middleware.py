import codecs
import zoneinfo
from contextlib import contextmanager

from django.contrib import messages
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect
from django.utils import timezone, translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from coaching.access import MFARequired
from coaching.accounts.models import Practice


class FormCharsetMiddleware:
    """Answers 400 to a form body declared in a charset other than UTF-8.

    Django refuses such a body (BadRequest) when request.POST is first read, but the CSRF check
    reads it in a middleware and the 400 handler reads it again, so the refusal became a 500.
    This sits first in the chain and answers before anything reads the body. An unknown
    charset is ignored by Django (it decodes as UTF-8), so only a known, non-UTF-8 one is refused.
    """

    FORM = "application/x-www-form-urlencoded"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.content_type == self.FORM and "charset" in request.content_params:
            try:
                name = codecs.lookup(request.content_params["charset"]).name
            except LookupError:
                name = "utf-8"
            if name != "utf-8":
                return HttpResponseBadRequest(
                    _("Forms must be sent in UTF-8. Reload the page and send it again."),
                    content_type="text/plain; charset=utf-8",
                )
        return self.get_response(request)


class UserPreferencesMiddleware:
    """Activates the signed-in user's language and time zone.

    Anonymous visitors keep what LocaleMiddleware chose from Accept-Language (or the cookie
    the switcher sets). A user with no language of their own gets their first practice's.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            language, tz = user_language_and_timezone(user)
            translation.activate(language)
            request.LANGUAGE_CODE = language
            try:
                timezone.activate(zoneinfo.ZoneInfo(tz))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.activate(zoneinfo.ZoneInfo("Asia/Jakarta"))
        response = self.get_response(request)
        timezone.deactivate()
        return response


def user_language_and_timezone(user):
    """The language and time zone a user reads in: their own, else their first practice's."""
    language, tz = user.language, user.timezone
    if not (language and tz):
        practice = (
            Practice.objects.filter(memberships__user=user, memberships__deactivated_at=None)
            .order_by("memberships__created_at")
            .only("default_language", "timezone")
            .first()
        )
        language = language or (practice.default_language if practice else "en")
        tz = tz or (practice.timezone if practice else "Asia/Jakarta")
    return language, tz


@contextmanager
def as_read_by(user):
    """Renders text as `user` reads it (their language and time zone), whoever is acting."""
    language, tz = user_language_and_timezone(user)
    with translation.override(language), timezone.override(zoneinfo.ZoneInfo(tz)):
        yield


class PracticeAccessMiddleware:
    """Sends a user whose practice requires MFA, and who has none, to set it up."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, MFARequired):
            messages.warning(
                request,
                _("This practice requires two-factor authentication. Set it up to continue."),
            )
            return redirect("mfa_activate_totp")
        return None


class PrivateByDefaultMiddleware:
    """Responses to a signed-in person that say nothing about caching get `no-store, private`.

    Our own views say it themselves (practice_view, never_cache); this covers pages we do not
    write, such as allauth's e-mail, MFA and signed-in-sessions pages, which show personal data.
    Static files never reach it (WhiteNoise answers them earlier in the chain)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            add_never_cache_headers(response)
        return response
