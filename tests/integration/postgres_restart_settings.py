"""Settings of beat in tests/integration/test_postgres_restart.py: the production settings, with
the reminder dispatch ticking every 2 seconds instead of every minute, so that the test sees
dispatches before, during and after a database outage within a minute. Gunicorn and the
worker run coaching.settings.prod itself."""

from coaching.settings.prod import *  # noqa: F403
from coaching.settings.prod import CELERY_BEAT_SCHEDULE

CELERY_BEAT_SCHEDULE = {
    **CELERY_BEAT_SCHEDULE,
    "notifications-dispatch-due": {
        "task": "notifications.dispatch_due",
        "schedule": 2.0,
        "options": {"expires": 10},
    },
}
