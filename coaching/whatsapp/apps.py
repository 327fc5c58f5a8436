from django.apps import AppConfig


class WhatsAppConfig(AppConfig):
    name = "coaching.whatsapp"
    label = "whatsapp"
    verbose_name = "WhatsApp reminders"
