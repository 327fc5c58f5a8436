"""Sending due reminders: claim, deliver in-app, email, record.

Delivery guarantee
------------------
* Every reminder row is delivered eventually or ends visibly `failed`: a row stays `pending`
  until a worker claims it. A claim is a lease of CLAIM_LEASE (90 s) that the claimer renews
  while it delivers (a row's lease when its delivery starts, the batch's rows not yet started
  every CLAIM_LEASE / 3), so a live worker keeps its rows, and a killed worker's rows are
  claimable again at most CLAIM_LEASE after its last renewal (under 2 minutes). When a batch
  fails (the database connection lost, the task's soft time limit), its rows not yet started
  are released at once. Broker outages only delay: the rows are in the database, and the next
  beat tick after the outage finds them ("due and not done").
* The in-app notification is exactly once: it is a row with a unique reminder, created with
  get_or_create, so a re-claimed reminder finds the existing one.
* Email is at least once, and duplicates are confined to one window: from the start of the
  SMTP conversation (the server may accept the message at its end) to the commit of the UPDATE
  that records `emailed_at`. A worker killed, or its database connection lost, inside that
  window leaves `emailed_at` empty, and the next claim (after the lease) sends the email again:
  at most one duplicate per reminder per lost connection or killed worker. A connection lost
  after the server accepted the message is retried (record_emailed, up to 60 s), so a database
  restart shorter than that leaves no duplicate. The window lasts as
  long as the conversation (milliseconds on a local relay, at most a few EMAIL_TIMEOUTs on a
  stuck one); tests/notifications/test_dispatch_faults.py measures it. Every attempt of a
  reminder carries the same Message-ID (<reminder-sha1(key)@coaching>), so a duplicate is
  recognisable and mail clients that deduplicate on Message-ID hide it. Outside the window a
  re-claim sees `emailed_at` and does not send again.
* Two dispatchers (two beats, two workers) never claim the same row: a claim is a conditional
  UPDATE (or SELECT ... FOR UPDATE SKIP LOCKED on PostgreSQL) and each row carries the claimer's
  token; the final "sent" update only succeeds for the token holder.

* WhatsApp (a reminder whose recipient chose it and opted in) has the same design and its own
  window: see coaching/whatsapp/channel.py. A failed WhatsApp message falls back to email once.
* A batch (services.reminder_batch: a series scheduled, a program's sessions cancelled) is one
  email per recipient and kind: the batch's first live row for that recipient (its leader)
  sends one email listing every live row of the group, with each row's attachments, and
  records `emailed_at` on all of them; the other rows get their in-app notification and are
  marked sent without an email of their own. The leader is delivered first (it was created
  first, so it is due first); if its email fails it is retried like any row, and the group's
  email goes out with its retry.
* The daily digest (send_digests) is at most once a day per user: the day is claimed by a
  conditional UPDATE of NotificationPreference.digest_sent_on before the email is sent, and
  given back if sending fails, so the next tick tries again. It lists the user's reminders
  delivered in the app and not emailed (their `emailed_at` is then recorded); kinds with an
  attachment (calendar invitations) are never held for it.

No ETA or countdown tasks: Redis redelivers long ETAs (celery issues 2599, 3270, 7009).
"""

import logging
import uuid
import zoneinfo
from datetime import datetime, time, timedelta
from time import monotonic, sleep

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import DatabaseError, InterfaceError, OperationalError, connection, transaction
from django.db.models import Q
from django.utils.timezone import now

from coaching.whatsapp import channel as whatsapp

from . import registry
from .models import InAppNotification, NotificationPreference, Reminder
from .services import preference_for

logger = logging.getLogger(__name__)

BATCH_SIZE = 50
MAX_ATTEMPTS = 6
BACKOFF_BASE = timedelta(minutes=1)
BACKOFF_CAP = timedelta(hours=6)


def claim_lease():
    # Longer than delivering one row may take (EMAIL_TIMEOUT bounds each SMTP step, and the
    # lease is renewed before every row), so a live worker keeps its rows and only a dead
    # one's are taken over, within two minutes.
    return timedelta(seconds=getattr(settings, "NOTIFICATIONS_CLAIM_LEASE", 90))


def backoff(attempts):
    return min(BACKOFF_BASE * (2 ** max(attempts - 1, 0)), BACKOFF_CAP)


# How long a worker keeps trying to record that the SMTP server accepted an email when the
# database connection was lost meanwhile (a restart, a failover): recorded, it is not re-sent.
RECORD_RETRY_SECONDS = 60


def record_emailed(ids):
    """Records `emailed_at` on rows whose email went out, through a fresh connection while the
    old one is gone, for up to RECORD_RETRY_SECONDS: a database restart shorter than that costs
    no duplicate (tests/integration/test_postgres_restart.py). A late record is harmless even if
    the lease ran out meanwhile: it only stops a re-send."""
    deadline = monotonic() + RECORD_RETRY_SECONDS
    delay = 0.5
    while True:
        try:
            return Reminder.objects.filter(pk__in=ids).update(emailed_at=now())
        except (OperationalError, InterfaceError):
            if connection.in_atomic_block or monotonic() + delay > deadline:
                raise
            logger.warning("database lost after sending %s email(s); recording again", len(ids))
            connection.close()
            sleep(delay)
            delay = min(delay * 2, 5)


def _claimable(at):
    return Q(status=Reminder.Status.PENDING, next_attempt_at__lte=at) | Q(
        status=Reminder.Status.SENDING, claimed_at__lt=at - claim_lease()
    )


def claim_batch(*, limit=BATCH_SIZE, at=None):
    """Claims up to `limit` due rows for this caller; returns (token, [ids])."""
    at = at or now()
    token = uuid.uuid4()
    if connection.features.has_select_for_update_skip_locked:
        with transaction.atomic():
            ids = list(
                Reminder.objects.filter(_claimable(at))
                .order_by("next_attempt_at")
                .select_for_update(skip_locked=True)
                .values_list("id", flat=True)[:limit]
            )
            Reminder.objects.filter(id__in=ids).update(
                status=Reminder.Status.SENDING, claimed_at=at, claim_token=token
            )
        return token, ids
    # SQLite: no row locks; each row is taken by a conditional update that re-checks
    # claimability, and only the caller whose update touched the row owns it.
    candidates = list(
        Reminder.objects.filter(_claimable(at))
        .order_by("next_attempt_at")
        .values_list("id", flat=True)[:limit]
    )
    ids = [
        pk
        for pk in candidates
        if Reminder.objects.filter(_claimable(at), pk=pk).update(
            status=Reminder.Status.SENDING, claimed_at=at, claim_token=token
        )
    ]
    return token, ids


def in_quiet_hours(preference, recipient, practice, at):
    """The end of the quiet window `at` falls into, or None."""
    if preference.quiet_start is None or preference.quiet_end is None:
        return None
    tz = zoneinfo.ZoneInfo(recipient.timezone or practice.timezone)
    local = at.astimezone(tz)
    start, end, clock = preference.quiet_start, preference.quiet_end, local.time()
    # A window with start > end crosses midnight, e.g. 22:00-07:00.
    inside = (start <= clock < end) if start < end else (clock >= start or clock < end)
    if not inside:
        return None
    end_day = local.date()
    if start > end and clock >= start:
        end_day += timedelta(days=1)
    return datetime.combine(end_day, time(end.hour, end.minute), tzinfo=tz)


def batch_group(reminder):
    """The rows one email covers: [reminder] alone, or for the leader of a batch every live
    row of the batch for the same recipient and kind; None for a batch row that is not the
    leader (the leader's email lists it)."""
    if reminder.batch is None:
        return [reminder]
    kind = registry.get(reminder.kind)
    group = [
        row
        for row in Reminder.objects.filter(
            batch=reminder.batch, recipient_id=reminder.recipient_id, kind=reminder.kind
        )
        .exclude(status=Reminder.Status.CANCELLED)
        .select_related("practice")
        .order_by("pk")
        if row.pk == reminder.pk or kind.is_current is None or kind.is_current(row)
    ]
    if not group or group[0].pk != reminder.pk:
        return None
    return group


def send_email(reminder, recipient, group=None):
    group = group or [reminder]
    subject, text, html = registry.render_email(reminder, recipient, group=group)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[recipient.email],
        headers={"Message-ID": reminder.message_id, "Auto-Submitted": "auto-generated"},
    )
    message.attach_alternative(html, "text/html")
    kind = registry.get(reminder.kind)
    if kind.attach is not None:
        for row in group:
            kind.attach(message, row, recipient)
    message.send()


def deliver(reminder_id, token, *, at=None):
    """Delivers one claimed reminder; returns its new status (or None if the claim was lost)."""
    at = at or now()
    mine = Reminder.objects.filter(
        pk=reminder_id, claim_token=token, status=Reminder.Status.SENDING
    )
    # Renew the claim of this row as it starts, so its lease counts from now, and a claim that
    # another dispatcher took over (after the lease ran out) is not used twice.
    if not mine.update(claimed_at=now()):
        return None
    reminder = Reminder.objects.select_related("recipient", "practice").get(pk=reminder_id)
    try:
        kind = registry.get(reminder.kind)
        recipient = reminder.recipient
        active = (
            recipient.is_active
            and recipient.memberships.filter(
                practice_id=reminder.practice_id, deactivated_at=None
            ).exists()
        )
        if not active or (kind.is_current and not kind.is_current(reminder)):
            mine.update(status=Reminder.Status.CANCELLED, claim_token=None)
            return Reminder.Status.CANCELLED
        InAppNotification.objects.get_or_create(
            reminder=reminder, defaults={"recipient": recipient, "created_at": at}
        )
        preference = preference_for(recipient, reminder.practice)
        # "email", "whatsapp" or "in_app" (coaching/whatsapp/channel.py; email when it is off).
        route = whatsapp.channel_for(reminder, recipient, preference)
        if route == whatsapp.EMAIL and preference.daily_digest and kind.attach is None:
            route = whatsapp.IN_APP  # the morning digest lists it (send_digests)
        if route != whatsapp.IN_APP and reminder.emailed_at is None:
            quiet_until = in_quiet_hours(preference, recipient, reminder.practice, at)
            if quiet_until is not None:
                mine.update(
                    status=Reminder.Status.PENDING, next_attempt_at=quiet_until, claim_token=None
                )
                return Reminder.Status.PENDING
            # WhatsApp has its own exactly-once record; False means it failed: email instead.
            if route != whatsapp.WHATSAPP or not whatsapp.deliver(reminder, recipient):
                group = batch_group(reminder)
                if group is not None:  # None: a batch row whose leader's email lists it
                    send_email(reminder, recipient, group)
                    # The duplicate window closes when this UPDATE commits (module docstring).
                    record_emailed([row.pk for row in group])
        mine.update(status=Reminder.Status.SENT, sent_at=now(), claim_token=None, last_error="")
        return Reminder.Status.SENT
    except (OperationalError, InterfaceError):
        # The database connection is gone: nothing can be recorded through it, and whether the
        # email went out is unknown. The row keeps its lease (taken over after CLAIM_LEASE);
        # dispatch_due releases the batch's unstarted rows.
        raise
    except Exception as exc:
        attempts = reminder.attempts + 1
        failed = attempts >= MAX_ATTEMPTS
        mine.update(
            attempts=attempts,
            status=Reminder.Status.FAILED if failed else Reminder.Status.PENDING,
            next_attempt_at=at + backoff(attempts),
            claim_token=None,
            last_error=type(exc).__name__[:200],
        )
        logger.warning(
            "reminder %s attempt %s failed: %s", reminder.code, attempts, type(exc).__name__
        )
        return Reminder.Status.FAILED if failed else Reminder.Status.PENDING


def renew(token, ids):
    """Extends the lease of this claimer's rows among `ids` (primary keys: an index lookup)."""
    return Reminder.objects.filter(
        id__in=ids, claim_token=token, status=Reminder.Status.SENDING
    ).update(claimed_at=now())


def release(token, ids):
    """Gives rows of a failed batch that were never started back at once."""
    return Reminder.objects.filter(
        id__in=ids, claim_token=token, status=Reminder.Status.SENDING
    ).update(status=Reminder.Status.PENDING, claim_token=None, claimed_at=None)


def dispatch_due(*, budget_seconds=60, batch_size=BATCH_SIZE):
    """Claims and delivers due reminders in batches until none are left or the budget is spent.

    Returns the number of reminders handled. If delivering fails beyond one row (deliver()
    records a row's own failure), the batch's unstarted rows are released before the error
    propagates; the row in hand keeps its lease, since its email may already be out.
    """
    started = now()
    handled = 0
    while (now() - started).total_seconds() < budget_seconds:
        token, ids = claim_batch(limit=batch_size)
        if not ids:
            break
        renewed_at = now()
        for position, pk in enumerate(ids):
            # The batch's rows not yet started keep their lease while this worker lives.
            if now() - renewed_at >= claim_lease() / 3:
                renew(token, ids[position:])
                renewed_at = now()
            try:
                deliver(pk, token)
            except BaseException:
                _release_after_failure(token, ids[position + 1 :])
                raise
            handled += 1
    return handled


def _release_after_failure(token, ids):
    if not ids:
        return
    try:
        release(token, ids)
    except DatabaseError:
        if connection.in_atomic_block:
            raise
        # The connection died with the batch: release through a fresh one.
        connection.close()
        try:
            release(token, ids)
        except DatabaseError:
            logger.warning("could not release %s claimed reminders; the lease frees them", len(ids))


DIGEST_HOUR = 7  # in the user's time zone
DIGEST_LOOKBACK = timedelta(days=2)  # a digest turned on does not dig up older reminders


def _digest_kinds():
    """Kinds the digest may hold: those without an attachment (calendar invitations go at
    once, with their .ics)."""
    return [kind.name for kind in registry.all_kinds() if kind.attach is None]


def send_digests(*, at=None):
    """Sends each user who chose the daily digest, once their local time passes DIGEST_HOUR,
    one email with their reminders delivered in the app and not emailed. Returns how many
    digests were sent. Safe to run concurrently and twice (the module docstring)."""
    at = at or now()
    sent = 0
    preferences = NotificationPreference.objects.filter(
        daily_digest=True, user__is_active=True
    ).select_related("user")
    for preference in preferences:
        user = preference.user
        try:
            tz = zoneinfo.ZoneInfo(user.timezone or settings.TIME_ZONE)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            tz = zoneinfo.ZoneInfo("UTC")
        local = at.astimezone(tz)
        today = local.date()
        if local.hour < DIGEST_HOUR or preference.digest_sent_on == today:
            continue
        previous = preference.digest_sent_on
        if not NotificationPreference.objects.filter(
            pk=preference.pk, digest_sent_on=previous
        ).update(digest_sent_on=today):
            continue  # another dispatcher claimed today's digest
        rows = list(
            Reminder.objects.filter(
                recipient=user,
                status=Reminder.Status.SENT,
                emailed_at=None,
                sent_at__gte=at - DIGEST_LOOKBACK,
                kind__in=_digest_kinds(),
                whatsapp__isnull=True,  # reached them on WhatsApp already
            )
            .exclude(kind__in=preference.email_off_kinds or [])
            .select_related("practice")
            .order_by("sent_at", "pk")
        )
        if not rows:
            continue
        try:
            subject, text, html = registry.render_digest(rows, user)
            message = EmailMultiAlternatives(
                subject=subject,
                body=text,
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[user.email],
                headers={
                    "Message-ID": f"<digest-{user.code}-{today.isoformat()}@coaching>",
                    "Auto-Submitted": "auto-generated",
                },
            )
            message.attach_alternative(html, "text/html")
            message.send()
        except Exception as exc:
            # Give the day back: the next tick tries again.
            NotificationPreference.objects.filter(pk=preference.pk, digest_sent_on=today).update(
                digest_sent_on=previous
            )
            logger.warning("digest for user %s failed: %s", user.pk, type(exc).__name__)
            continue
        Reminder.objects.filter(pk__in=[row.pk for row in rows], emailed_at=None).update(
            emailed_at=now()
        )
        sent += 1
    return sent
