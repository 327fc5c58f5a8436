from celery import shared_task

from . import services
from .models import Invitation


@shared_task(
    name="accounts.invitation_send", autoretry_for=(OSError,), retry_backoff=30, max_retries=8
)
def invitation_send(invitation_id):
    services.invitation_send(invitation_id)


@shared_task(name="accounts.invitations_send_due")
def invitations_send_due():
    """Sends invitations whose on-commit enqueue never reached a worker (broker down, crash)."""
    for invitation_id in Invitation.objects.unsent().values_list("id", flat=True)[:200]:
        services.invitation_send(invitation_id)
