"""The embedded run mode of `make run`: SQLite, a filesystem Celery broker, mail on the console."""

import os

os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")

from .base import *  # noqa: E402,F403
from .base import VAR_DIR  # noqa: E402
from .env import envlist, envstr  # noqa: E402

DEBUG = True
SECRET_KEY = envstr("SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production")
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
VAR_DIR.mkdir(parents=True, exist_ok=True)
# A public development key: fine for demo data, never for real clients' content.
CONTENT_ENCRYPTION_KEYS = envlist(
    "CONTENT_ENCRYPTION_KEYS", ["Y29hY2hpbmctZGV2LW9ubHkta2V5LW5vdC1zZWNyZXQ="]
)
