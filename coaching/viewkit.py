"""One shape for the views of a practice: the gate, no caching, and the service's refusal.

Why this exists: every view of a practice repeated the same lines (sign in, never_cache, ask
the gate, try the service, turn its ValidationError into a message, redirect), about fifty
times. The copies drifted: half the pages that show coaching content had lost never_cache, so a
browser's or a proxy's cache could keep a coach's notes after sign-out. Written once here, a
view cannot forget a part.

    @require_POST                      # method checks stay outermost, as before
    @practice_view(roles=[Role.COACH])
    def journal_delete(request, access, code): ...

    if form.is_valid() and run_service(request, lambda: services.x(...), success=_("Saved."),
                                       form=form):
        return redirect(...)
    return render(...)                 # the refusal is on the form, the input kept
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import wraps
from typing import Any, Generic, TypeVar

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponseBase
from django.views.decorators.cache import never_cache

from coaching.access import PracticeAccess, practice_access_for

T = TypeVar("T")

View = Callable[..., HttpResponseBase]
PracticeView = Callable[..., HttpResponseBase]  # (request, access, **url_kwargs but the slug)

# The attribute practice_view sets on the view it returns; tests/test_viewkit.py and
# tests/authz/test_cache_headers.py read it (functools.wraps carries it through require_POST).
MARKER = "practice_view"


def practice_view(*, roles: Iterable[str] | None = None) -> Callable[[PracticeView], View]:
    """A view of one practice: signed in, never cached, and gated before it runs.

    The URL's slug is consumed: the view is called as view(request, access, **other_kwargs),
    with the PracticeAccess from coaching.access.practice_access_for (404 outside the
    practice, 403 for a wrong role, MFARequired left to PracticeAccessMiddleware). The
    response carries Cache-Control: no-cache, no-store, must-revalidate, private, max-age=0
    (Django's never_cache), including the sign-in redirect.
    """
    wanted = list(roles) if roles is not None else None

    def decorate(view: PracticeView) -> View:
        @wraps(view)
        def gated(request: HttpRequest, slug: str, **kwargs: Any) -> HttpResponseBase:
            access: PracticeAccess = practice_access_for(request, slug, roles=wanted)
            return view(request, access, **kwargs)

        wrapped = never_cache(login_required(gated))
        setattr(wrapped, MARKER, True)
        return wrapped

    return decorate


def error_text(exc: ValidationError) -> str:
    """A ValidationError's messages as one line, for messages.error."""
    return " ".join(exc.messages)


@dataclass(frozen=True)
class Outcome(Generic[T]):
    """What run_service did. False when the service refused (its error is already shown)."""

    ok: bool
    value: T | None = None

    def __bool__(self) -> bool:
        return self.ok


def run_service(
    request: HttpRequest,
    fn: Callable[[], T],
    *,
    success: str | Callable[[T], str] | None = None,
    form: BaseForm | None = None,
    field: str | None = None,
    level: int = messages.ERROR,
) -> Outcome[T]:
    """Run one service call and show its refusal where the user will read it.

    A ValidationError goes on the form (as a non-field error, or on `field`) when there is a
    form to re-render with the user's input, else into a message at `level`. On success the
    `success` message (a string, or a function of the service's result) is added. The caller
    decides what follows: redirect, or render the form again.
    """
    try:
        value = fn()
    except ValidationError as exc:
        if form is not None:
            form.add_error(field, exc)
        else:
            messages.add_message(request, level, error_text(exc))
        return Outcome(ok=False)
    if success is not None:
        messages.success(request, success(value) if callable(success) else success)
    return Outcome(ok=True, value=value)


# How long a form's submission token is remembered: longer than anyone waits before resending.
SUBMISSION_SECONDS = 6 * 3600


def _submission_key(request: HttpRequest, form: BaseForm) -> str | None:
    token = form.cleaned_data.get("submission")
    return f"submission:{request.user.pk}:{token}" if token else None


def first_submission(request: HttpRequest, form: BaseForm) -> bool:
    """Claims a valid form's one-time token (coaching.widgets.submission_field): False when
    it was claimed before, by a double click or a resent page, and the view then saves
    nothing. cache.add is atomic in Redis, so two requests at once get one True. A form
    without a token (a page from before tokens) always counts; while Redis is down the cache
    fails open and answers True (a duplicate is then possible, a lost entry is not)."""
    key = _submission_key(request, form)
    return key is None or cache.add(key, 1, SUBMISSION_SECONDS)


def release_submission(request: HttpRequest, form: BaseForm) -> None:
    """The service refused: the same token may be sent again once corrected."""
    key = _submission_key(request, form)
    if key is not None:
        cache.delete(key)
