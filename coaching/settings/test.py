"""pytest settings: SQLite in memory unless DATABASE_URL is set (the integration layer)."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-key")

from .base import *  # noqa: E402,F403
from .base import REDIS_URL, STATIC_ROOT  # noqa: E402
from .env import envstr  # noqa: E402

# A run may name its own test database, so that two runs against one PostgreSQL do not
# create and drop the same one under each other.
if envstr("TEST_DATABASE_NAME"):
    DATABASES["default"]["TEST"] = {"NAME": envstr("TEST_DATABASE_NAME")}  # noqa: F405

STATIC_ROOT.mkdir(parents=True, exist_ok=True)

DEBUG = False
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
STORAGES = {
    # Uploads (proofs of payment) stay in memory: tests leave no files behind.
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if not REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # Tests that do not start a worker run tasks inline; the integration layer uses a real one.
    CELERY_TASK_ALWAYS_EAGER = True
    CELERY_BROKER_URL = "memory://"
ACCOUNT_RATE_LIMITS = {**ACCOUNT_RATE_LIMITS}  # noqa: F405
CONTENT_ENCRYPTION_KEYS = ["Y29hY2hpbmctZGV2LW9ubHkta2V5LW5vdC1zZWNyZXQ="]
CHECK_COMPILED_QUERIES = True  # coaching.queries.compiled_once checks its kept SQL on every call
