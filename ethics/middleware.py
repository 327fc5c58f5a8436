"""The access log of a request, written once (see ethics.access): the gate collects the events
of every content read while the view runs, and this middleware writes them in one INSERT
before the response leaves, also when the view fails after reading."""

from ethics import access as gate


class AccessLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = gate.collect_events()
        try:
            return self.get_response(request)
        finally:
            gate.write_events(token)
