from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "programs"
    verbose_name = "Programs"

    def ready(self):
        # Registers this app's reminder kinds with coaching.notifications.registry.
        from . import reminders  # noqa: F401
