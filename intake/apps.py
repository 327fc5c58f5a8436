from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "intake"
    verbose_name = "Questionnaires and 360 feedback"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Registers the "questionnaire_waiting" reminder kind with coaching.notifications.registry.
        from . import reminders  # noqa: F401
