"""While the database is unreachable (a restart, a failover) a request answers a clean 503
"temporarily unavailable" page with Retry-After, and no traceback; other errors keep the plain
500 page. The real outage: tests/integration/test_postgres_restart.py."""

import pytest
from django.test import Client

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.hardening.urls_database_down")]


def _client():
    return Client(raise_request_exception=False)


def test_a_lost_database_answers_503_temporarily_unavailable_without_a_traceback(settings):
    settings.DEBUG = False
    response = _client().get("/database-down/")

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    text = response.content.decode()
    assert "Temporarily unavailable" in text
    for leak in ("Traceback", "OperationalError", "5432", "refused"):
        assert leak not in text


def test_the_503_page_speaks_indonesian(settings):
    settings.DEBUG = False
    response = _client().get("/database-down/", headers={"accept-language": "id"})

    assert response.status_code == 503
    assert "Sementara tidak tersedia" in response.content.decode()


def test_any_other_error_stays_a_plain_500(settings):
    settings.DEBUG = False
    response = _client().get("/broken/")

    assert response.status_code == 500
    assert "Retry-After" not in response
    text = response.content.decode()
    assert "Server Error (500)" in text
    assert "secret-detail" not in text
    assert "Traceback" not in text
