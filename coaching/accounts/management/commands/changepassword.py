"""Django's changepassword, and then the user is told an operator changed their password
(README: deployment, the database roles)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.management.commands.changepassword import Command as BaseCommand

from coaching.accounts.services import password_changed_by_operator


class Command(BaseCommand):
    def handle(self, *args, **options):
        result = super().handle(*args, **options)
        user = (
            get_user_model()
            ._default_manager.db_manager(options["database"])
            .get(**{get_user_model().USERNAME_FIELD: options["username"]})
        )
        password_changed_by_operator(user=user)
        return result
