"""Django's changepassword, and then the user is told an operator changed their password
(README: deployment, the database roles)."""

import getpass

from django.contrib.auth.management.commands.changepassword import Command as BaseCommand

from coaching.accounts.models import User
from coaching.accounts.services import password_changed_by_operator


class Command(BaseCommand):
    def handle(self, *args, **options):
        result = super().handle(*args, **options)
        user = User.objects.db_manager(options["database"]).get(
            **{User.USERNAME_FIELD: options["username"] or getpass.getuser()}
        )
        password_changed_by_operator(user=user)
        return result
