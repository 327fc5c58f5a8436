"""The server-error page: a clean 503 while the database is unreachable.

Django calls handler500 inside the `except` that caught the error, so sys.exc_info() names it.
A lost or refused database connection (a restart, a failover) is temporary: the answer is 503
with Retry-After and a page that touches neither the database nor the session (rendered without
the request, so no context processor runs). Every other error keeps Django's plain 500 page.
Neither shows a traceback; the log has it (django.request).
"""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader
from django.utils.translation import get_language
from django.views.defaults import server_error as django_server_error

RETRY_AFTER_SECONDS = 30


def server_error(request):
    _type, error, _traceback = sys.exc_info()
    if isinstance(error, OperationalError | InterfaceError):
        page = loader.get_template("503.html").render({"LANGUAGE_CODE": get_language()})
        response = HttpResponse(page, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return django_server_error(request)
