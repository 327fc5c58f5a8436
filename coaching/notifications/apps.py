from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "coaching.notifications"
    label = "notifications"
    verbose_name = "Reminders and notifications"

    def ready(self):
        from . import kinds  # noqa: F401  (registers this app's reminder kinds)
