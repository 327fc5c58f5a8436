"""Settings of the Celery worker and beat processes the reminder integration tests start.

The test process passes the test database's name, its broker and a mail directory through
the environment; beat ticks every 2 seconds instead of every minute.
"""

import os

from coaching.settings.test import *  # noqa: F403
from coaching.settings.test import DATABASES

DATABASES["default"]["NAME"] = os.environ["REMINDERS_TEST_DB"]
DATABASES["default"]["TEST"] = {"NAME": os.environ["REMINDERS_TEST_DB"]}
CELERY_BROKER_URL = os.environ["REMINDERS_BROKER_URL"]
CELERY_TASK_ALWAYS_EAGER = False
CELERY_BROKER_CONNECTION_RETRY = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None  # ride out a broker outage, however long
EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = os.environ["REMINDERS_MAIL_DIR"]
NOTIFICATIONS_CLAIM_LEASE = int(os.environ.get("REMINDERS_CLAIM_LEASE", "10"))
CELERY_BEAT_SCHEDULE = {
    "notifications-dispatch-due": {
        "task": "notifications.dispatch_due",
        "schedule": 2.0,
        "options": {"expires": 10},
    },
}
