"""The WhatsApp channel's tables: a user's opt-in (like a consent), their per-kind choice, the
practice's default choice, and one delivery record per reminder sent by WhatsApp.

Nothing here holds coaching content. The phone number is personal data: it is stored
encrypted, and the client's export and erasure include it (coaching/whatsapp/privacy.py).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.timezone import now
from django.utils.translation import gettext_lazy as _

from coaching.accounts.models import Practice
from coaching.notifications.models import Reminder
from ethics.fields import EncryptedCharField


class OptInQuerySet(models.QuerySet):
    def in_force(self):
        return self.filter(withdrawn_at=None)


class WhatsAppOptIn(models.Model):
    """The user agreed to reminders on WhatsApp at this number: the text, when, and when
    withdrawn. A withdrawn opt-in stays (with the number, until erasure); opting in again,
    or with another number, makes a new row. At most one row per user is in force."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="whatsapp_opt_ins"
    )
    phone = EncryptedCharField(_("WhatsApp number"), max_length=20, blank=True)  # E.164
    text = models.TextField(_("text agreed to"))
    text_version = models.CharField(max_length=20)
    language = models.CharField(max_length=8, blank=True)
    given_at = models.DateTimeField(default=now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    objects = OptInQuerySet.as_manager()

    class Meta:
        ordering = ["-given_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(withdrawn_at=None), name="whatsapp_one_opt_in"
            ),
        ]

    def __str__(self):
        return f"WhatsApp opt-in {self.pk} of user {self.user_id}"


class ChannelPreference(models.Model):
    """The kinds a user wants by WhatsApp (the others follow their email choice)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="channel_preference"
    )
    whatsapp_kinds = models.JSONField(default=list, blank=True)
    updated_at = models.DateTimeField(default=now)

    def __str__(self):
        return f"Channel preference of user {self.user_id}"


class PracticeChannelDefault(models.Model):
    """The kinds a practice sends by WhatsApp to members who opted in and chose nothing."""

    practice = models.OneToOneField(
        Practice, on_delete=models.CASCADE, related_name="channel_default"
    )
    whatsapp_kinds = models.JSONField(default=list, blank=True)

    def __str__(self):
        return f"Channel default of practice {self.practice_id}"


class WhatsAppMessage(models.Model):
    """One reminder's WhatsApp delivery: begun (attempts), accepted by the API (wamid), and
    the statuses its webhooks reported. `attempts` above 1 means a send was begun again after
    a worker died inside the duplicate window (see coaching/whatsapp/channel.py)."""

    class Status(models.TextChoices):
        SENDING = "sending", _("Sending")
        ACCEPTED = "accepted", _("Accepted")
        SENT = "sent", _("Sent")
        DELIVERED = "delivered", _("Delivered")
        READ = "read", _("Read")
        FAILED = "failed", _("Failed")

    reminder = models.OneToOneField(Reminder, on_delete=models.CASCADE, related_name="whatsapp")
    # The id derived from the reminder key, sent as biz_opaque_callback_data: the same on
    # every attempt, so a resend is recognisable in the API's record and in the webhooks.
    message_key = models.CharField(max_length=80)
    wamid = models.CharField(max_length=200, null=True, blank=True, unique=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.SENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.CharField(max_length=120, blank=True)  # an API error code, never content
    started_at = models.DateTimeField(default=now)
    accepted_at = models.DateTimeField(null=True, blank=True)
    status_at = models.DateTimeField(null=True, blank=True)
    fallback_at = models.DateTimeField(null=True, blank=True)  # the email fallback was queued

    def __str__(self):
        return f"WhatsApp message {self.pk} ({self.status})"
