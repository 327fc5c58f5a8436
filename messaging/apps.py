from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "messaging"
    verbose_name = "Messages"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Registers the "message_received" reminder kind with coaching.notifications.registry.
        from . import reminders  # noqa: F401
