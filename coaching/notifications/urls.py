from django.urls import path

from . import views

urlpatterns = [
    path("me/inbox/", views.inbox, name="notification_inbox"),
    path("me/inbox/read/", views.inbox_mark_read, name="notification_mark_read"),
    path("me/notifications/", views.preferences, name="notification_preferences"),
    path("me/calendar/", views.calendar_settings, name="calendar_settings"),
    path("me/calendar/regenerate/", views.calendar_regenerate, name="calendar_regenerate"),
    path("me/calendar/revoke/", views.calendar_revoke, name="calendar_revoke"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
    path("p/<slug:slug>/reminders/", views.practice_reminders, name="practice_reminders"),
    path(
        "p/<slug:slug>/reminders/defaults/",
        views.practice_defaults,
        name="practice_notification_defaults",
    ),
]
