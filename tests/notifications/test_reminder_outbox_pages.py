"""The practice's reminder outbox (#11): a page of REMINDERS_PER_PAGE rows, latest due first,
older pages behind a link; each status's count stops at REMINDER_COUNT_CAP ("1000+"), so the
page reads the same number of rows whatever the outbox holds."""

from datetime import timedelta

from django.urls import reverse

from coaching.notifications import selectors
from coaching.notifications.models import Reminder


def _outbox(browser, world, **query):
    response = browser.get(reverse("practice_reminders", args=[world.practice.slug]), query)
    assert response.status_code == 200
    return response


def _due(response):
    return [row.due_at for row in response.context["page"].object_list]


def test_the_outbox_is_paged_latest_due_first(world, client_for, due_reminder, monkeypatch):
    monkeypatch.setattr(selectors, "REMINDERS_PER_PAGE", 4)
    for days in (2, 3, 4):
        due_reminder(starts_in=timedelta(days=days))  # the coach's and the client's
    every = sorted(Reminder.objects.values_list("due_at", flat=True), reverse=True)
    browser = client_for(world.admin)

    first = _outbox(browser, world)
    body = first.content.decode()
    assert _due(first) == every[:4]
    assert body.count("<tr>") == 1 + 4
    assert "Page 1</span>" in body and "Page 1 of" not in body  # the outbox is not counted
    assert 'href="?page=2">Next' in body and "Previous" not in body

    second = _outbox(browser, world, page=2)
    assert _due(second) == every[4:]
    assert 'href="?page=1">Previous' in second.content.decode()
    assert "Next" not in second.content.decode()


def test_a_status_tab_is_paged_within_its_status(world, client_for, due_reminder, monkeypatch):
    monkeypatch.setattr(selectors, "REMINDERS_PER_PAGE", 1)
    for days in (2, 3):
        due_reminder(starts_in=timedelta(days=days))
    Reminder.objects.filter(recipient=world.coach).update(
        status=Reminder.Status.FAILED, last_error="SMTPException"
    )
    browser = client_for(world.admin)
    first = _outbox(browser, world, status="failed")
    second = _outbox(browser, world, status="failed", page=2)
    shown = first.context["page"].object_list + second.context["page"].object_list
    assert {row.recipient_id for row in shown} == {world.coach.pk}
    assert _due(first) > _due(second)
    assert 'href="?status=failed&amp;page=2">Next' in first.content.decode()


def test_a_bad_or_past_the_end_page_shows_the_first(world, client_for, due_reminder):
    due_reminder()
    browser = client_for(world.admin)
    for page in ("x", "0", "-3", "99"):
        response = _outbox(browser, world, page=page)
        assert response.context["page"].number == 1
        assert len(_due(response)) == 2


def test_a_count_above_the_cap_reads_as_more_than_it(world, client_for, due_reminder, monkeypatch):
    monkeypatch.setattr(selectors, "REMINDER_COUNT_CAP", 3)
    due_reminder(starts_in=timedelta(days=2))
    browser = client_for(world.admin)
    tab = 'href="?status=pending">Pending <span class="badge text-bg-secondary">'
    assert tab + "2</span>" in _outbox(browser, world).content.decode()

    due_reminder(starts_in=timedelta(days=3))  # four pending: more than three
    body = _outbox(browser, world).content.decode()
    assert tab + "3+</span>" in body
    assert 'Failed <span class="badge text-bg-secondary">0</span>' in body
