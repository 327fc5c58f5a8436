from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "coaching.accounts"
    label = "accounts"
    verbose_name = "Accounts and practices"

    def ready(self):
        # Imported here: services import the models, which cannot load before the registry.
        from allauth.account.signals import password_changed, password_reset, password_set

        from .services import password_set_by_owner

        def _owner_set_password(sender, request=None, user=None, **kwargs):
            if user is not None:
                password_set_by_owner(user=user)

        for name, signal in [
            ("changed", password_changed),
            ("reset", password_reset),
            ("set", password_set),
        ]:
            signal.connect(
                _owner_set_password, weak=False, dispatch_uid=f"accounts-owner-password-{name}"
            )
