from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "coaching.notifications"
    label = "notifications"
    verbose_name = "Reminders and notifications"
