"""The client's data export in tests, as the client gets it (#11): "prepare my export" on the
my-data page (the task runs after the commit, eagerly in tests), then the download or the
printable page, read from the prepared export."""

import json

from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from ethics.models import PreparedExport


def prepare_export(browser, practice):
    """POST "prepare my export" as the signed-in client and run the task it enqueues."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = browser.post(reverse("data_export_prepare", args=[practice.slug]))
    assert response.status_code == 302, response.status_code
    return response


def export_json(browser, practice):
    """Prepare, then download: the JSON download's response."""
    prepare_export(browser, practice)
    return browser.get(reverse("data_export_json", args=[practice.slug]))


def export_page(browser, practice):
    """Prepare, then open the my-data page (the printable view of the prepared export)."""
    prepare_export(browser, practice)
    return browser.get(reverse("data_export_page", args=[practice.slug]))


def ready_export(world, *, client=None, sections=None):
    """A prepared export as the task leaves it, made directly (so no access event): for tests
    of the download's reach, cost and headers rather than of what the export holds."""
    at = timezone.now()
    body = json.dumps(
        {
            "practice": world.practice.name,
            "generated_at": at.isoformat(),
            "sections": sections or {},
        }
    )
    return PreparedExport.objects.create(
        practice=world.practice,
        client=client or world.client,
        body=body,
        size=len(body),
        prepared_at=at,
        expires_at=at + PreparedExport.EXPIRES_AFTER,
    )


def broken_exporter(*, user, practice):
    """An exporter that fails with content in its message (settings.DATA_EXPORTERS in a
    test): the failure must be recorded without the message reaching the log."""
    raise RuntimeError("memimpin dengan tenang: this text must not reach the log")
