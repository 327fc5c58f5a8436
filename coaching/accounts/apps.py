from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "coaching.accounts"
    label = "accounts"
    verbose_name = "Accounts and practices"
