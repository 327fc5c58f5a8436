"""For `make bench` only (scripts/bench.py), installed when the BENCH_TIMING setting is on.

ServerTimingMiddleware, the outermost middleware, reports in response headers the time spent
inside Django (X-Bench-Ms) and the number of SQL queries (X-Bench-Queries) of each request.
The floor views are what every page is compared with, on the same stack in the same run:
F0 a signed-in constant, F1 plus one indexed query, F2 F1 rendered in base.html.
"""

import time

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpResponse
from django.shortcuts import render

from coaching.accounts.models import Membership


class ServerTimingMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        queries = [0]

        def count(execute, sql, params, many, context):
            queries[0] += 1
            return execute(sql, params, many, context)

        start = time.perf_counter()
        with connection.execute_wrapper(count):
            response = self.get_response(request)
        response["X-Bench-Ms"] = f"{(time.perf_counter() - start) * 1000:.2f}"
        response["X-Bench-Queries"] = str(queries[0])
        return response


@login_required
def floor_f0(request):
    """A signed-in constant. Its queries under the production settings (#11, the bench's
    client, who chose no language of their own):
    - before: 3, the session, the user, the language's practice (UserPreferencesMiddleware:
      the first practice's language and time zone); earlier 6, before allauth's session
      activity was throttled and the idle timeout's strict-role check kept in the session;
    - after: 3, the session, the user, the user's memberships with their practices
      (coaching.access.request_memberships), which the gate and the navigation then reuse
      (F2: 8 -> 5, the switcher's practices and the gate's memberships folded into it, both
      navigation badges counted in one query). 2 for a user with a language and a time zone.
    The session and the user are the signed-in request itself; the sign-in state is never
    cached outside the session row."""
    return HttpResponse("ok", content_type="text/plain")


def _one_indexed_query(request):
    return Membership.objects.filter(user=request.user).order_by("pk").first()


@login_required
def floor_f1(request):
    membership = _one_indexed_query(request)
    return HttpResponse(f"ok {membership.pk if membership else 0}", content_type="text/plain")


@login_required
def floor_f2(request):
    return render(request, "bench_floor.html", {"membership": _one_indexed_query(request)})
