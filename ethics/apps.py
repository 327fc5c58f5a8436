from django.apps import AppConfig


class EthicsConfig(AppConfig):
    name = "ethics"
    verbose_name = "Ethics and confidentiality"

    def ready(self):
        from django.core.signals import request_finished, request_started

        from . import access, reminders  # noqa: F401 (reminders registers its kinds)

        # The access log records the page path of every content read (ethics/access.py).
        request_started.connect(access._path_from_request, dispatch_uid="ethics_read_path")
        request_finished.connect(access._path_clear, dispatch_uid="ethics_read_path_clear")
