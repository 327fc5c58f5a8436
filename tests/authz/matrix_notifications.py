import uuid

from django.utils import timezone

from coaching.notifications.models import CalendarFeed, InAppNotification, Reminder
from tests.authz.spec import MEMBERS, SCHEDULER, Entry, everyone, only, practice

PERSONAS = [*MEMBERS, SCHEDULER, "outsider"]


def calendar_token(world):
    from coaching.notifications.services import calendar_feed_regenerate

    return {"token": calendar_feed_regenerate(user=world.client)}


def unread_for_everyone(world):
    """One unread in-app notification for every persona (the URL itself takes no kwargs)."""
    for name in PERSONAS:
        user = world.persona(name)
        reminder = Reminder.objects.create(
            practice=world.practice_b if name == "outsider" else world.practice,
            kind="session_scheduled",
            recipient=user,
            object_type="session",
            object_code=uuid.uuid4(),
            occasion="matrix",
            due_at=timezone.now(),
            next_attempt_at=timezone.now(),
            status=Reminder.Status.SENT,
        )
        InAppNotification.objects.create(recipient=user, reminder=reminder)
    return {}


def feed_for_everyone(world):
    """A calendar feed for every persona (the URL itself takes no kwargs)."""
    from coaching.notifications.services import calendar_feed_regenerate

    for name in PERSONAS:
        calendar_feed_regenerate(user=world.persona(name))
    return {}


# Effects: (world, kwargs) -> a snapshot of what the POST changes (tests/authz/spec.py)


def unread(world, kwargs):
    return InAppNotification.objects.filter(read_at=None).count()


def feeds(world, kwargs):
    return tuple(CalendarFeed.objects.order_by("user_id").values_list("user_id", "token_hash"))


ENTRIES = [
    Entry("notification_inbox", everyone(200), practice_scoped=False),
    Entry(
        "notification_mark_read",
        everyone(302),
        kwargs=unread_for_everyone,
        method="post",
        practice_scoped=False,
        effect=unread,
    ),
    Entry("notification_preferences", everyone(200), practice_scoped=False),
    Entry("calendar_settings", everyone(200), practice_scoped=False),
    Entry(
        "calendar_regenerate",
        everyone(200),
        method="post",
        practice_scoped=False,
        effect=feeds,
    ),
    Entry(
        "calendar_revoke",
        everyone(302),
        kwargs=feed_for_everyone,
        method="post",
        practice_scoped=False,
        effect=feeds,
    ),
    Entry(
        "calendar_feed",
        everyone(200, anonymous=200),
        kwargs=calendar_token,
        public=True,
        practice_scoped=False,
        note="the token is the credential: calendar apps cannot sign in",
    ),
    Entry("practice_reminders", only(["admin", "scheduler"]), kwargs=practice),
    Entry("practice_notification_defaults", only(["admin"]), kwargs=practice),
]
