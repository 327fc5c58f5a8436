from django.apps import AppConfig


class PaylinksConfig(AppConfig):
    name = "paylinks"
    verbose_name = "Payment links"
