"""The reminder outbox, the in-app list, preferences and calendar feeds.

A Reminder is logistics only: which kind, for whom, about which object (a UUID and a
non-confidential label such as "Session 3"), and when. Nothing here holds coaching content.
"""

import hashlib
import uuid

from django.conf import settings
from django.db import models
from django.utils.timezone import now
from django.utils.translation import gettext_lazy as _

from coaching.accounts.models import Practice


class ReminderQuerySet(models.QuerySet):
    def due(self, at=None):
        """Pending rows whose time has come ("due and not done", never "due exactly now")."""
        return self.filter(status=Reminder.Status.PENDING, next_attempt_at__lte=at or now())

    def stale_claims(self, older_than):
        """Rows claimed by a worker that died before finishing them."""
        return self.filter(status=Reminder.Status.SENDING, claimed_at__lt=older_than)


class Reminder(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("No longer needed")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=48)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders"
    )
    # The object the reminder is about: a public UUID and a label that is never content.
    object_type = models.CharField(max_length=64)
    object_code = models.UUIDField()
    object_label = models.CharField(max_length=120, blank=True)
    # Which occurrence: e.g. "24h-before:2026-11-24T09:00" or "due:2026-11-30".
    occasion = models.CharField(max_length=100)
    path = models.CharField(max_length=300, blank=True)  # the link into the app
    due_at = models.DateTimeField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    claimed_at = models.DateTimeField(null=True, blank=True)
    claim_token = models.UUIDField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=200, blank=True)  # an exception class, never content
    created_at = models.DateTimeField(default=now)
    # Reminders made by one operation (a series scheduled, a program's sessions cancelled):
    # each recipient gets one email for all of them (dispatch.py, services.reminder_batch).
    batch = models.UUIDField(null=True, blank=True)

    objects = ReminderQuerySet.as_manager()

    class Meta:
        ordering = ["due_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_type", "object_code", "recipient", "occasion"],
                name="reminder_once_per_occasion",
            ),
        ]
        indexes = [
            # dispatch_due: pending rows ordered by next_attempt_at.
            models.Index(fields=["status", "next_attempt_at"], name="reminder_status_next"),
            # The practice admin's list of reminders.
            models.Index(fields=["practice", "status", "due_at"], name="reminder_practice"),
            # The same list, every status: a page in due order without sorting the outbox.
            models.Index(fields=["practice", "due_at", "id"], name="reminder_practice_due"),
            # dispatch: the other reminders of a batch for the same recipient.
            models.Index(fields=["batch", "recipient"], name="reminder_batch_recipient"),
            # The daily digest: a recipient's reminders delivered and not yet emailed.
            models.Index(fields=["recipient", "status", "emailed_at"], name="reminder_digest"),
        ]

    def __str__(self):
        return f"Reminder {self.kind} {self.code}"

    @property
    def key(self):
        parts = [self.kind, self.object_type, self.object_code, self.recipient_id, self.occasion]
        return "|".join(str(part) for part in parts)

    @property
    def message_id(self):
        """The same for every attempt, so a duplicate email is recognisable."""
        digest = hashlib.sha1(self.key.encode(), usedforsecurity=False).hexdigest()
        return f"<reminder-{digest}@coaching>"


class InAppNotification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    # One notification per reminder, whatever happens to the worker: the row is the guarantee.
    reminder = models.OneToOneField(Reminder, on_delete=models.CASCADE, related_name="in_app")
    created_at = models.DateTimeField(default=now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # The navbar's unread count and the inbox list.
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
        ]

    def __str__(self):
        return f"Notification {self.pk}"


class PracticeNotificationDefault(models.Model):
    """What a practice's members get by email until they choose for themselves."""

    practice = models.OneToOneField(
        Practice, on_delete=models.CASCADE, related_name="notification_default"
    )
    email_off_kinds = models.JSONField(default=list, blank=True)
    quiet_start = models.TimeField(_("quiet hours start"), null=True, blank=True)
    quiet_end = models.TimeField(_("quiet hours end"), null=True, blank=True)
    # Coaches are reminded to review session notes older than this (notes_retention_review).
    notes_retention_months = models.PositiveSmallIntegerField(
        _("keep session notes for (months)"), default=24
    )

    def __str__(self):
        return f"Notification defaults of practice {self.practice_id}"


class NotificationPreference(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    # Kinds the user does not want by email (the in-app list always has everything).
    email_off_kinds = models.JSONField(default=list, blank=True)
    # In the user's own time zone; a window that passes midnight (22:00-07:00) is allowed.
    quiet_start = models.TimeField(_("quiet hours start"), null=True, blank=True)
    quiet_end = models.TimeField(_("quiet hours end"), null=True, blank=True)
    # One email a morning with the day's reminders instead of one email each (dispatch.py).
    daily_digest = models.BooleanField(
        _("one email a day (a digest) instead of one email per reminder"), default=False
    )
    # The user's local date of the last digest: claimed by a conditional update, so that two
    # beats send it once (dispatch.send_digests).
    digest_sent_on = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField(default=now)

    def __str__(self):
        return f"Notification preferences of user {self.user_id}"


class CalendarFeed(models.Model):
    """A private feed URL. Only the SHA-256 of the token is stored; regenerating replaces it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=now)

    def __str__(self):
        return f"Calendar feed of user {self.user_id}"


class CalendarSequence(models.Model):
    """The iCalendar SEQUENCE of one event (UID = the first session's code of a reschedule
    chain). It rises whenever what a calendar shows (time, place, link, status) changes."""

    uid_code = models.UUIDField(unique=True)
    sequence = models.PositiveIntegerField(default=0)
    fingerprint = models.CharField(max_length=64)

    def __str__(self):
        return f"Calendar sequence {self.uid_code}"
