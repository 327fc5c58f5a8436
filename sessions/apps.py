from django.apps import AppConfig


class CoachingSessionsConfig(AppConfig):
    # "sessions" is django.contrib.sessions' label.
    name = "sessions"
    label = "coaching_sessions"
    verbose_name = "Coaching sessions"
