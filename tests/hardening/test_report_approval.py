"""Finding 2 of #12: the client's approval of a progress report is bound to the text they read."""

import re

from django.urls import reverse

from ethics.models import ProgressReport
from tests.ethics import helpers


def _mine(world, client_for):
    url = reverse("progress_report_list_mine", args=[world.practice.slug])
    return client_for(world.client).get(url).content.decode()


def test_a_report_rewritten_after_the_client_opened_it_is_not_approved(world, client_for):
    helpers.consent_for(world)
    report = helpers.progress_report_for(world, text="She delegates well now.")
    page = _mine(world, client_for)
    seen = re.search(r'name="digest" value="([0-9a-f]+)"', page).group(1)
    # the coach rewrites the submitted report while the client reads the old text
    report.text = "She struggles with her manager."
    report.save()
    response = client_for(world.client).post(
        reverse("progress_report_approve", args=[world.practice.slug, report.code]),
        {"digest": seen},
        follow=True,
    )
    assert "changed this report after you opened it" in response.content.decode()
    report.refresh_from_db()
    assert report.status == ProgressReport.Status.SUBMITTED
    assert report.approved_at is None


def test_the_text_the_client_read_is_approved(world, client_for):
    report = helpers.progress_report_for(world, text="She delegates well now.")
    page = _mine(world, client_for)
    seen = re.search(r'name="digest" value="([0-9a-f]+)"', page).group(1)
    client_for(world.client).post(
        reverse("progress_report_approve", args=[world.practice.slug, report.code]),
        {"digest": seen},
    )
    report.refresh_from_db()
    assert report.status == ProgressReport.Status.APPROVED
