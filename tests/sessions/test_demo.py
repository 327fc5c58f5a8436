from io import StringIO

from django.core.management import call_command

from programs.models import Program
from sessions.models import Session


def _counts():
    from ethics.access import CONTENT_MODELS

    # Counting rows only; no content is read.
    return [Session.objects.count(), Program.objects.count()] + [
        m.objects.count() for m in CONTENT_MODELS
    ]


def test_demo_builds_sessions_and_is_idempotent(db, settings):
    settings.DEMO_EXTENSIONS = ["sessions.demo.build"]
    call_command("demo", stdout=StringIO())
    first = _counts()
    assert Session.objects.filter(status="held").count() == 6
    assert Session.objects.filter(status="scheduled").count() == 4
    call_command("demo", stdout=StringIO())
    assert _counts() == first
