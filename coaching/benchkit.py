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
