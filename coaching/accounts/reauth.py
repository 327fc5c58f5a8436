"""Re-authentication before sensitive actions (#12, ASVS 5.0 V7.5): exports of a client's
data, erasure, widening who may read content, and role changes.

allauth keeps the moments a user proved who they are in the session (a sign-in, and each
re-authentication: `allauth.account.authentication.get_authentication_records`). An action
here needs the last of them to be under ACCOUNT_REAUTHENTICATION_TIMEOUT old (default 300 s);
otherwise the user is sent to allauth's own re-authentication page (password, or an MFA
code), which then replays the request they made, POST data included. A fresh sign-in counts.
"""

import time
from functools import wraps

from allauth.account import app_settings as allauth_account_settings
from allauth.account.authentication import get_authentication_records
from allauth.account.internal.flows.reauthentication import suspend_request
from django.http import HttpResponse
from django.urls import reverse


def recently_authenticated(request):
    records = get_authentication_records(request, request.user)
    if not records:
        return False
    last = max(record.get("at", 0) for record in records)
    return time.time() - last < allauth_account_settings.REAUTHENTICATION_TIMEOUT


def reauthentication_response(request):
    """Off to allauth's re-authentication page, and back to this request afterwards."""
    htmx = request.headers.get("HX-Request") == "true"
    if htmx:
        # Replayed after re-authentication as a whole page, not a fragment.
        for key in [k for k in request.META if k.startswith("HTTP_HX_")]:
            del request.META[key]
    response = suspend_request(request, reverse("account_reauthenticate"))
    if htmx:
        return HttpResponse(status=204, headers={"HX-Redirect": response["Location"]})
    return response


def recent_authentication_required(view):
    """Below @practice_view: the reach check (404/403) comes first."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not recently_authenticated(request):
            return reauthentication_response(request)
        return view(request, *args, **kwargs)

    return wrapper
