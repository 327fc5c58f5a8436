"""Beat work of the programs app."""

from celery import shared_task

from . import services


@shared_task(name="notifications.expire_proposals", time_limit=120, soft_time_limit=100)
def expire_proposals():
    """Hourly (beat): sent proposals past their expiry date become expired."""
    return services.proposals_expire_due()
