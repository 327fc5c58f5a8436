import logging
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coaching.settings.dev")

logger = logging.getLogger(__name__)

app = Celery("coaching")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def _ride_out_restore_failures():
    """kombu 5.7.0's redis transport, when the broker connection is lost, closes the channel
    and puts back the messages this worker reserved but has not acknowledged; with Redis
    unreachable that raises AttributeError ('NoneType' object has no attribute 'hostname')
    out of the connection-error handler, and the worker exits ("Unrecoverable error"). Beat's
    tasks are acknowledged when they start (settings: CELERY_TASK_ANNOTATIONS), but a worker
    process can still hold a reserved, unstarted message, e.g. the next dispatcher of a
    reminder backlog (notifications.tasks.dispatch_due). Here the failure is logged and the
    worker goes on reconnecting: the messages stay in Redis's unacked hash and kombu restores
    them after the visibility timeout (restore_visible); a reminder dispatcher lost that way
    only delays, since the reminders wait in the database for the next tick.
    tests/integration/test_worker_faults.py stops Redis for 60 s under a dispatching worker."""
    try:
        from kombu.transport import redis as kombu_redis
    except ImportError:  # no redis client: the filesystem transport of a dev machine
        return
    restore_unacked = kombu_redis.QoS.restore_unacked

    def restore_unacked_or_leave_them(self, client=None):
        try:
            return restore_unacked(self, client)
        except AttributeError:
            logger.warning(
                "broker unreachable: %d reserved message(s) left to the visibility timeout",
                len(self._delivered),
            )
            # They are in Redis's unacked hash, not lost; kombu asserts an emptied state once
            # it has tried to restore it.
            self._delivered.clear()
            return None

    kombu_redis.QoS.restore_unacked = restore_unacked_or_leave_them


_ride_out_restore_failures()
