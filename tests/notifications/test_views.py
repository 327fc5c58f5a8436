from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from coaching.notifications import dispatch, registry
from coaching.notifications.models import InAppNotification, NotificationPreference, Reminder


@pytest.fixture
def delivered(due_reminder):
    """n session reminders delivered to the client's inbox (and the coach's)."""

    def _make(n):
        for _ in range(n):
            due_reminder()
        Reminder.objects.update(next_attempt_at=timezone.now())
        dispatch.dispatch_due()

    return _make


def test_inbox_shows_the_users_notifications_and_links(world, client_for, delivered):
    delivered(2)
    response = client_for(world.client).get(reverse("notification_inbox"))
    assert response.status_code == 200
    assert response.content.decode().count("Your coaching session") == 2
    assert "CANARY" not in response.content.decode()


def test_inbox_shows_nobody_elses_notifications(world, client_for, delivered):
    delivered(1)
    response = client_for(world.sponsor).get(reverse("notification_inbox"))
    assert "Your coaching session" not in response.content.decode()


@pytest.mark.parametrize("n", [1, 8])
def test_inbox_queries_do_not_grow_with_notifications(
    world, client_for, delivered, django_assert_num_queries, n
):
    delivered(n)
    c = client_for(world.client)
    c.get(reverse("notification_inbox"))
    # 2 for every signed-in page (session, user; allauth's session activity is refreshed at most
    # every 5 minutes, #11: it was 12 with it), the notifications joined with their reminders,
    # the user's memberships with their practices (the navbar's practices and the client's
    # roles in the one practice, its navigation), the unread messages badge and the unread
    # count (one query). #11: 7 before these two pairs were folded.
    with django_assert_num_queries(5):
        c.get(reverse("notification_inbox"))


def test_mark_one_read_only_touches_the_users_own(world, client_for, delivered):
    delivered(1)
    coach_note = InAppNotification.objects.get(recipient=world.coach)
    c = client_for(world.client)
    c.post(reverse("notification_mark_read"), {"id": coach_note.pk})
    coach_note.refresh_from_db()
    assert coach_note.read_at is None
    mine = InAppNotification.objects.get(recipient=world.client)
    c.post(reverse("notification_mark_read"), {"id": mine.pk})
    mine.refresh_from_db()
    assert mine.read_at is not None


def test_the_unread_count_tag(world, rf, delivered):
    from django.template import Context, Template

    delivered(3)
    request = rf.get("/")
    request.user = world.client
    html = Template("{% load notification_tags %}{% inbox_link %}").render(
        Context({"request": request})
    )
    assert ">3</span>" in html


def test_preferences_save_email_kinds_and_quiet_hours(world, client_for):
    c = client_for(world.client)
    response = c.post(
        reverse("notification_preferences"),
        {"email_kinds": [], "quiet_start": "21:30", "quiet_end": "06:45"},
    )
    assert response.status_code == 302
    preference = NotificationPreference.objects.get(user=world.client)
    assert "session_upcoming" in preference.email_off_kinds
    assert preference.quiet_start.strftime("%H:%M") == "21:30"


def test_half_quiet_hours_are_refused_and_change_nothing(world, client_for):
    c = client_for(world.client)
    response = c.post(reverse("notification_preferences"), {"quiet_start": "21:30"})
    assert response.status_code == 200
    assert "both the start and the end" in response.content.decode()
    assert not NotificationPreference.objects.exists()


def test_an_unknown_feed_token_is_404(client, db):
    assert client.get("/calendar/" + "x" * 43 + ".ics").status_code == 404


def test_regenerating_shows_the_new_address_once(world, client_for):
    c = client_for(world.client)
    response = c.post(reverse("calendar_regenerate"))
    assert ".ics" in response.content.decode()
    assert ".ics" not in c.get(reverse("calendar_settings")).content.decode()


def test_practice_admin_sees_counts_and_failures_without_content(world, client_for, delivered):
    delivered(1)
    Reminder.objects.filter(recipient=world.coach).update(
        status=Reminder.Status.FAILED, last_error="ConnectionRefusedError", attempts=6
    )
    response = client_for(world.admin).get(
        reverse("practice_reminders", kwargs={"slug": world.practice.slug}) + "?status=failed"
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "ConnectionRefusedError" in body
    assert world.coach.display_name in body
    assert "CANARY" not in body and "Ruang Melati" not in body


def test_practice_admin_sees_only_their_practices_reminders(world, client_for, delivered):
    delivered(1)
    response = client_for(world.outsider).get(
        reverse("practice_reminders", kwargs={"slug": world.practice_b.slug})
    )
    assert response.status_code == 200
    assert world.client.display_name not in response.content.decode()


@pytest.mark.parametrize("n", [1, 10])
def test_practice_reminders_queries_are_bounded(
    world, client_for, delivered, django_assert_num_queries, n
):
    delivered(n)
    c = client_for(world.admin)
    url = reverse("practice_reminders", kwargs={"slug": world.practice.slug})
    c.get(url)
    # 2 for every signed-in page (session, user; was 7 with allauth's session activity, #11),
    # the gate's memberships (also the navbar's practices, #11: 7 before), counts per status,
    # the rows joined with their recipients, the navbar's unread count.
    with django_assert_num_queries(6):
        c.get(url)


def test_future_reminders_are_listed_as_pending(world, client_for, due_reminder):
    due_reminder(starts_in=timedelta(days=2))
    response = client_for(world.admin).get(
        reverse("practice_reminders", kwargs={"slug": world.practice.slug}) + "?status=pending"
    )
    assert response.content.decode().count("<tr>") == 3  # header + coach + client


def test_practice_admin_sets_the_default_for_members_without_preferences(world, client_for):
    from coaching.notifications.models import PracticeNotificationDefault
    from coaching.notifications.services import preference_for

    url = reverse("practice_notification_defaults", kwargs={"slug": world.practice.slug})
    response = client_for(world.admin).post(
        url, {"email_kinds": [], "quiet_start": "22:00", "quiet_end": "07:00"}
    )
    assert response.status_code == 302
    default = PracticeNotificationDefault.objects.get(practice=world.practice)
    # Every registered kind is switched off (other apps and tests may register more kinds).
    assert "session_upcoming" in default.email_off_kinds
    assert sorted(default.email_off_kinds) == sorted(k.name for k in registry.all_kinds())
    assert preference_for(world.client, world.practice).quiet_start.hour == 22


def test_practice_admin_sets_the_notes_retention_period(world, client_for):
    from coaching.notifications.models import PracticeNotificationDefault

    url = reverse("practice_notification_defaults", kwargs={"slug": world.practice.slug})
    web = client_for(world.admin)
    assert 'name="notes_retention_months"' in web.get(url).content.decode()
    response = web.post(url, {"email_kinds": [], "notes_retention_months": "36"})
    assert response.status_code == 302
    default = PracticeNotificationDefault.objects.get(practice=world.practice)
    assert default.notes_retention_months == 36
    response = web.post(url, {"email_kinds": [], "notes_retention_months": "0"})
    assert response.status_code == 200
    assert (
        PracticeNotificationDefault.objects.get(practice=world.practice).notes_retention_months
        == 36
    )


def test_the_inbox_keeps_the_practice_navigation_of_the_practice_last_visited(world, client_for):
    coach = client_for(world.coach)
    # One practice: its navigation shows even before any practice page was opened.
    page = coach.get(reverse("notification_inbox")).text
    assert reverse("dashboard_coach", args=[world.practice.slug]) in page
    # Another practice's admin sees their own practice's navigation, never this one's.
    page = client_for(world.outsider).get(reverse("notification_inbox")).text
    assert reverse("dashboard_coach", args=[world.practice.slug]) not in page
    assert reverse("dashboard_admin", args=[world.practice_b.slug]) in page


def test_the_inbox_shows_the_practice_last_visited_among_several(world, client_for):
    from tests.factories import MembershipFactory

    MembershipFactory(practice=world.practice_b, user=world.coach, role="coach")
    coach = client_for(world.coach)
    page = coach.get(reverse("notification_inbox")).text
    assert reverse("dashboard_coach", args=[world.practice.slug]) not in page  # none chosen
    coach.get(reverse("dashboard_coach", args=[world.practice_b.slug]))
    page = coach.get(reverse("notification_inbox")).text
    assert reverse("dashboard_coach", args=[world.practice_b.slug]) in page
    coach.get(reverse("dashboard_coach", args=[world.practice.slug]))
    page = coach.get(reverse("notification_inbox")).text
    assert reverse("dashboard_coach", args=[world.practice.slug]) in page
