"""The outbox's own task. The scans that create reminders live with the app that owns each
kind (sessions/tasks.py, programs/tasks.py, ethics/tasks.py); their task names keep the
"notifications." prefix so that a running beat schedule and queued messages stay valid."""

import logging

from celery import shared_task
from django.conf import settings

from . import dispatch

logger = logging.getLogger(__name__)


def fan_out_limit():
    """How many dispatchers one beat tick may chain (each enqueues at most one more)."""
    return getattr(settings, "NOTIFICATIONS_DISPATCH_FAN_OUT", 32)


@shared_task(name="notifications.dispatch_due", time_limit=120, soft_time_limit=100)
def dispatch_due(depth=0):
    """Every minute (beat): sends due reminders. Safe to run concurrently and twice.

    Spread across workers: a dispatcher that claims a full batch enqueues one more dispatcher
    (once, and at most fan_out_limit() deep per beat tick), which a free worker process picks
    up and which does the same; each keeps claiming batches while rows are due. So while a
    backlog lasts every worker process is dispatching, with at most one dispatcher per chain
    waiting in the queue, and a tick with little due enqueues nothing."""

    def one_more():
        if depth + 1 >= fan_out_limit():
            return
        try:
            # No publish retries: with the broker down, this dispatcher carries on alone, and
            # the rows wait in the database for the next tick (dispatch.py's docstring).
            dispatch_due.apply_async(kwargs={"depth": depth + 1}, retry=False, expires=55)
        except Exception as exc:  # noqa: BLE001  (the broker is unreachable: only a delay)
            logger.warning("could not enqueue another dispatcher: %s", type(exc).__name__)

    return dispatch.dispatch_due(budget_seconds=60, on_full_batch=one_more)


@shared_task(name="notifications.send_digests", time_limit=300, soft_time_limit=280)
def send_digests():
    """Every 15 minutes (beat): the daily digests that are due. Safe to run concurrently."""
    return dispatch.send_digests()
