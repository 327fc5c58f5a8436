from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "billing"
    verbose_name = "Billing"

    def ready(self):
        # Registers this app's reminder kinds with coaching.notifications.registry, and the
        # invoice's transition table with programs.transitions (available_transitions).
        from . import reminders, transitions  # noqa: F401
