from django.apps import AppConfig


class SessionTemplatesConfig(AppConfig):
    name = "session_templates"
    verbose_name = "Session templates"
