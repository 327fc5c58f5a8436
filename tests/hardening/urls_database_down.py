"""The project's URLs plus two views that fail as a request does while the database is down
(tests/hardening/test_database_unavailable.py); handler500 is the project's own."""

from django.db import OperationalError
from django.urls import path

from coaching.urls import handler500, urlpatterns

__all__ = ["handler500", "urlpatterns"]


def database_down(request):
    raise OperationalError('connection to server at "127.0.0.1", port 5432 failed: refused')


def broken(request):
    raise ValueError("a bug, not an outage: secret-detail-in-the-message")


urlpatterns = [
    path("database-down/", database_down),
    path("broken/", broken),
    *urlpatterns,
]
