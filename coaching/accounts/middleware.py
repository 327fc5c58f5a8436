import codecs
import time
import zoneinfo
from contextlib import contextmanager

from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect
from django.utils import timezone, translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from coaching.access import MFARequired, request_memberships
from coaching.accounts.models import Membership, Practice


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
            language, tz = _request_language_and_timezone(request)
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


def _request_language_and_timezone(request):
    """user_language_and_timezone for the signed-in user, the first practice taken from the
    memberships the gate and the navigation read anyway (one query for the three, #11)."""
    user = request.user
    language, tz = user.language, user.timezone
    if not (language and tz):
        memberships = request_memberships(request)
        practice = memberships[0].practice if memberships else None
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


class SecurityHeadersMiddleware:
    """Content-Security-Policy and Permissions-Policy on every response (settings
    CONTENT_SECURITY_POLICY, PERMISSIONS_POLICY; empty turns one off). Scripts and styles come
    from this site only: the templates hold no inline script, handler or style attribute."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.headers = {
            "Content-Security-Policy": settings.CONTENT_SECURITY_POLICY,
            "Permissions-Policy": settings.PERMISSIONS_POLICY,
        }

    def __call__(self, request):
        response = self.get_response(request)
        for name, value in self.headers.items():
            if value and not response.has_header(name):
                response[name] = value
        return response


class SessionTimeoutMiddleware:
    """Signs a person out after SESSION_IDLE_TIMEOUT seconds without a request if they hold a
    coach or admin role anywhere (they reach confidential content or the whole practice), and
    everyone after SESSION_ABSOLUTE_TIMEOUT seconds from sign-in (ASVS L2: 30 minutes idle,
    12 hours absolute; finding 4 of #12).

    The times live in the session. "Last seen" is written at most once a minute, so a page
    does not cost a session UPDATE on every request."""

    WRITE_EVERY = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            session = request.session
            started = session.setdefault("_auth_started", now)
            if "_idle_strict" not in session:
                session["_idle_strict"] = _holds_a_strict_role(user)
            last_seen = session.get("_last_seen", now)
            idle = now - last_seen
            if now - started > settings.SESSION_ABSOLUTE_TIMEOUT or (
                session["_idle_strict"] and idle > settings.SESSION_IDLE_TIMEOUT
            ):
                logout(request)
                messages.info(request, _("You were signed out to protect your clients' data."))
            elif idle >= self.WRITE_EVERY or "_last_seen" not in session:
                session["_last_seen"] = now
        return self.get_response(request)


def _holds_a_strict_role(user):
    return (
        user.is_staff
        or Membership.objects.filter(
            user=user,
            deactivated_at=None,
            role__in=[Membership.Role.COACH, Membership.Role.ADMIN, Membership.Role.SCHEDULER],
        ).exists()
    )


class UserSessionActivityMiddleware:
    """allauth's UserSessionsMiddleware (the "signed-in sessions" list: last seen, address,
    browser), throttled: it refreshes the session's row at most once every
    USERSESSIONS_TRACK_EVERY seconds (default 300) instead of on every request, where it cost
    five queries (savepoint, the row, its user, the UPDATE, release) on every page (#11).
    Sign-in creates the row (allauth's user_logged_in receiver); "last seen" is at most that
    many seconds behind."""

    SESSION_KEY = "_usersession_seen"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        session = getattr(request, "session", None)
        if user is not None and user.is_authenticated and session is not None:
            now = int(time.time())
            seen = session.get(self.SESSION_KEY)
            if seen is None or now - seen >= settings.USERSESSIONS_TRACK_EVERY:
                UserSession.objects.create_from_request(request)
                session[self.SESSION_KEY] = now
        return self.get_response(request)
