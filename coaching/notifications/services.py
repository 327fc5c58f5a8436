"""Writes of the notifications app: scheduling reminders, preferences, the inbox, feeds."""

import contextvars
import hashlib
import secrets
import uuid
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.timezone import now
from django.utils.translation import gettext as _

from . import registry
from .models import (
    CalendarFeed,
    InAppNotification,
    NotificationPreference,
    PracticeNotificationDefault,
    Reminder,
)


def object_type_of(obj):
    return obj._meta.label_lower


_BATCH: contextvars.ContextVar[uuid.UUID | None] = contextvars.ContextVar(
    "reminder_batch", default=None
)


@contextmanager
def reminder_batch():
    """Reminders scheduled inside are one batch: each recipient gets one email for all of the
    batch's reminders of a kind (a series of six sessions: one email, not six). Nested
    batches join the outer one."""
    if _BATCH.get() is not None:
        yield _BATCH.get()
        return
    token = _BATCH.set(uuid.uuid4())
    try:
        yield _BATCH.get()
    finally:
        _BATCH.reset(token)


def reminder_schedule(*, kind, recipient, obj, occasion, due_at):
    """The reminder of `kind` about `obj` for `recipient` on `occasion`, created once.

    Call it inside the transaction of what causes the reminder (a task created, a note shared)
    so that the row exists if and only if its cause does. Calling it again with the same kind,
    object, recipient and occasion returns the existing row and changes nothing: the unique
    constraint reminder_once_per_occasion is the guarantee, so two concurrent callers are safe.
    Nothing is enqueued: notifications.dispatch_due picks the row up when it falls due.
    """
    spec = registry.get(kind)
    object_type = object_type_of(obj)
    lookup = {
        "kind": kind,
        "object_type": object_type,
        "object_code": obj.code,
        "recipient": recipient,
        "occasion": str(occasion),
    }
    existing = Reminder.objects.filter(**lookup).first()
    if existing is not None:
        return existing
    description = spec.describe(obj, recipient)
    try:
        # A savepoint, so losing the race does not break the caller's transaction.
        with transaction.atomic():
            return Reminder.objects.create(
                **lookup,
                practice=description.practice,
                object_label=str(description.label)[:120],
                path=description.path,
                due_at=due_at,
                next_attempt_at=due_at,
                batch=_BATCH.get(),
            )
    except IntegrityError:
        return Reminder.objects.get(**lookup)


def reminders_cancel(*, kind=None, obj, recipient=None):
    """Pending reminders about obj that no longer make sense (a task done, a session cancelled)."""
    qs = Reminder.objects.filter(
        object_type=object_type_of(obj), object_code=obj.code, status=Reminder.Status.PENDING
    )
    if kind:
        qs = qs.filter(kind=kind)
    if recipient:
        qs = qs.filter(recipient=recipient)
    return qs.update(status=Reminder.Status.CANCELLED)


def preference_for(user, practice=None):
    """The user's preferences, or the practice default, or "everything by email, no quiet"."""
    preference = NotificationPreference.objects.filter(user=user).first()
    if preference is not None:
        return preference
    if practice is not None:
        default = PracticeNotificationDefault.objects.filter(practice=practice).first()
        if default is not None:
            return NotificationPreference(
                user=user,
                email_off_kinds=list(default.email_off_kinds),
                quiet_start=default.quiet_start,
                quiet_end=default.quiet_end,
            )
    return NotificationPreference(user=user)


def _validated_kinds(email_kinds, quiet_start, quiet_end):
    known = {kind.name for kind in registry.all_kinds()}
    if set(email_kinds) - known:
        raise ValidationError(_("Unknown kind of reminder."))
    if (quiet_start is None) != (quiet_end is None):
        raise ValidationError(_("Give both the start and the end of quiet hours, or neither."))
    if quiet_start is not None and quiet_start == quiet_end:
        raise ValidationError(_("Quiet hours must start and end at different times."))
    return known


def preference_update(*, user, email_kinds, quiet_start, quiet_end, daily_digest=None):
    known = _validated_kinds(email_kinds, quiet_start, quiet_end)
    defaults = {
        "email_off_kinds": sorted(known - set(email_kinds)),
        "quiet_start": quiet_start,
        "quiet_end": quiet_end,
        "updated_at": now(),
    }
    if daily_digest is not None:
        defaults["daily_digest"] = daily_digest
    preference, _created = NotificationPreference.objects.update_or_create(
        user=user, defaults=defaults
    )
    return preference


def practice_default_update(
    *, access, email_kinds, quiet_start, quiet_end, notes_retention_months=None
):
    access.require("admin")
    known = _validated_kinds(email_kinds, quiet_start, quiet_end)
    defaults = {
        "email_off_kinds": sorted(known - set(email_kinds)),
        "quiet_start": quiet_start,
        "quiet_end": quiet_end,
    }
    if notes_retention_months is not None:
        if not 1 <= notes_retention_months <= 240:
            raise ValidationError(_("Keep notes for between 1 and 240 months."))
        defaults["notes_retention_months"] = notes_retention_months
    default, _created = PracticeNotificationDefault.objects.update_or_create(
        practice=access.practice, defaults=defaults
    )
    return default


def notification_mark_read(*, user, notification_id=None):
    """Marks one of the user's notifications read, or all of them without an id."""
    qs = InAppNotification.objects.filter(recipient=user, read_at=None)
    if notification_id is not None:
        qs = qs.filter(pk=notification_id)
    return qs.update(read_at=now())


def hash_token(token):
    return hashlib.sha256(token.encode()).hexdigest()


def calendar_feed_regenerate(*, user):
    """A new secret feed token (32 random bytes); the old URL stops working. Returns the token,
    which is shown once: only its hash is stored."""
    token = secrets.token_urlsafe(32)
    CalendarFeed.objects.update_or_create(
        user=user, defaults={"token_hash": hash_token(token), "created_at": now()}
    )
    return token


def calendar_feed_revoke(*, user):
    return CalendarFeed.objects.filter(user=user).delete()[0]
