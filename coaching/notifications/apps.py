from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "coaching.notifications"
    label = "notifications"
    verbose_name = "Reminders and notifications"

    def ready(self):
        # Register the reminder kinds (this app's, and those of sessions, programs, ethics).
        from . import kinds, kinds_programs, kinds_sessions  # noqa: F401
