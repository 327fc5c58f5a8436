"""Beat work of billing."""

from celery import shared_task

from . import services


@shared_task(name="billing.scan_due", time_limit=300, soft_time_limit=280)
def scan_due():
    """Hourly (beat): instalments that fell due (a date, or anything missed) are invoiced;
    open invoices past their due date become overdue."""
    issued, overdue = services.invoices_scan_due()
    return {"issued": issued, "overdue": overdue}
