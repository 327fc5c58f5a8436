"""The client's data export in tests, as the client gets it (#11): "prepare my export" on the
my-data page (the task runs after the commit, eagerly in tests), then the download or the
printable page, read from the prepared export."""

from django.test import TestCase
from django.urls import reverse


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
