from django.apps import AppConfig


class CoachingSessionsConfig(AppConfig):
    # "sessions" is django.contrib.sessions' label.
    name = "sessions"
    label = "coaching_sessions"
    verbose_name = "Coaching sessions"

    def ready(self):
        # Registers this app's reminder kinds with coaching.notifications.registry.
        from . import reminders, reschedule_reminders  # noqa: F401
