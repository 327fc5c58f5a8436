from tests.authz.spec import Entry, everyone, only, practice


def calendar_token(world):
    from coaching.notifications.services import calendar_feed_regenerate

    return {"token": calendar_feed_regenerate(user=world.client)}


ENTRIES = [
    Entry("notification_inbox", everyone(200), practice_scoped=False),
    Entry("notification_mark_read", everyone(302), method="post", practice_scoped=False),
    Entry("notification_preferences", everyone(200), practice_scoped=False),
    Entry("calendar_settings", everyone(200), practice_scoped=False),
    Entry("calendar_regenerate", everyone(200), method="post", practice_scoped=False),
    Entry("calendar_revoke", everyone(302), method="post", practice_scoped=False),
    Entry(
        "calendar_feed",
        everyone(200, anonymous=200),
        kwargs=calendar_token,
        public=True,
        practice_scoped=False,
        note="the token is the credential: calendar apps cannot sign in",
    ),
    Entry("practice_reminders", only(["admin"]), kwargs=practice),
    Entry("practice_notification_defaults", only(["admin"]), kwargs=practice),
]
