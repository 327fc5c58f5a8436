"""Sending due reminders: claim a batch, deliver in-app, email, record.

Delivery guarantee
------------------
* Every reminder row is delivered eventually or ends visibly `failed`: a row stays `pending`
  until a worker claims it. A claim is a lease of CLAIM_LEASE (90 s) on a batch of rows that
  the claimer renews while it delivers (every row of the batch it still holds, every
  CLAIM_LEASE / 3, checked before each row), so a live worker keeps its rows, and a killed
  worker's rows are claimable again at most CLAIM_LEASE after its last renewal (under 2
  minutes). When a batch fails (the database connection lost, the task's soft time limit), its
  rows already delivered are recorded as sent and its rows not yet started are released at
  once. Broker outages only delay: the rows are in the database, and the next beat tick after
  the outage finds them ("due and not done").
* The in-app notification is exactly once: it is a row with a unique reminder, created for the
  batch in one INSERT ... ON CONFLICT DO NOTHING, so a re-claimed reminder keeps the existing
  one.
* Email is at least once; a duplicate needs the worker to stop between sending an email and
  recording its `emailed_at`, and the emails in that state are bounded. A batch records
  `emailed_at` for a group of emails in one UPDATE (one commit, one WAL flush): as soon as
  G = NOTIFICATIONS_EMAIL_RECORD_GROUP (default 10) emails are waiting, once the first of them
  has waited RECORD_GROUP_SECONDS (1 s; checked as each email goes out and before each row),
  and always before the batch is marked sent (a row `sent` without `emailed_at` would be
  listed again by the digest). So at any moment at most G emails of a worker process are out
  and unrecorded (tests/notifications/test_dispatch_record_group.py watches it before every
  email), and:
  - a worker process killed (SIGKILL, out of memory, the machine lost) sends at most G emails
    twice, each once more, after the lease; the integration test kills a worker of 2
    processes mid-backlog and allows 2 x G;
  - a batch that fails while its process lives (the database connection lost, the soft time
    limit) first records the emails it sent, through a fresh connection if the old one is
    gone (record_emailed retries for up to 60 s, so a database restart shorter than that
    costs nothing, tests/integration/test_postgres_restart.py); only the email in hand when
    the connection was lost (the server may have accepted it) goes twice: at most one
    duplicate per lost connection (tests/notifications/test_dispatch_faults.py). A database
    gone for longer than those 60 s costs at most the G emails waiting for their record.
  Why a group and not a commit per email: each commit waits for PostgreSQL's WAL flush, 0.25
  ms on this machine's idle disk and about 7 ms when the disk is shared, and a reminder
  otherwise costs a few milliseconds (rendering, four SMTP round trips); in alternating runs
  on the shared 2-core machine a commit per email gave 0.21-0.38 x the no-op task rate, a
  commit per group of 10 0.43-0.85 x (docs/benchmarks.md, "Reminder sending"). G = 1 gives
  back the bound of one email per killed process at that cost. A worker killed after the
  UPDATE leaves its batch's delivered rows `sending` with `emailed_at` set: the next claim
  finds the in-app notification and `emailed_at` and only records them as sent. Every attempt
  of a reminder carries the same Message-ID (<reminder-sha1(key)@coaching>), so a duplicate is
  recognisable and mail clients that deduplicate on Message-ID hide it. Outside the window a
  re-claim sees `emailed_at` and does not send again. A batch's emails share one SMTP
  connection (reopened after a failed message).
* Two dispatchers (two beats, two workers) never claim the same row: a claim is a conditional
  UPDATE (or SELECT ... FOR UPDATE SKIP LOCKED on PostgreSQL) and each row carries the claimer's
  token; every later UPDATE of the row (emailed aside) is conditional on the token and the
  `sending` status, so a row taken away (a lease run out, a failed WhatsApp status) is not
  recorded by the old holder, and a renewal drops the rows no longer held from the batch.
* Spread across workers: a dispatcher (tasks.dispatch_due) that claims a full batch enqueues
  one more dispatcher, once, up to NOTIFICATIONS_DISPATCH_FAN_OUT per beat tick; each keeps
  claiming batches while rows are due (for its budget of 60 s). So a backlog is sent by every
  free worker process, and nothing extra is enqueued when little is due. A broker that refuses
  the extra dispatcher only leaves this one alone.
* Queries per reminder (tests/notifications/test_dispatch_batching.py): one per group of G
  emails (the `emailed_at` UPDATE above), plus per batch of up to BATCH_SIZE: the claim
  (SELECT ... FOR UPDATE SKIP LOCKED and one UPDATE), the rows with their recipients and
  practices, the recipients' memberships, the in-app INSERT, the preferences and the
  practices' defaults, one query per kind that answers "still current?" for a batch
  (Kind.current_among), and the "sent" UPDATE. Rows that are cancelled, deferred to the end of
  quiet hours or fail get one UPDATE each; a kind with only a per-row is_current, WhatsApp
  (its own records, and a check that the batch still holds the row, since a failed status
  webhook takes the claim away) and batch leaders (the group's other rows) add theirs.

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
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import DatabaseError, InterfaceError, OperationalError, connection, transaction
from django.db.models import Q
from django.utils.timezone import now

from coaching.accounts.models import Membership
from coaching.whatsapp import channel as whatsapp

from . import registry
from .models import (
    InAppNotification,
    NotificationPreference,
    PracticeNotificationDefault,
    Reminder,
)

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


def record_group():
    """How many emails may go out before their `emailed_at` is recorded in one UPDATE: the
    most a killed worker process sends twice (the module docstring)."""
    return max(1, getattr(settings, "NOTIFICATIONS_EMAIL_RECORD_GROUP", 10))


# An email's record waits at most this long for the rest of its group: a batch that sends
# slowly (a slow relay, quiet-hour gaps) records what went out within about a second.
RECORD_GROUP_SECONDS = 1.0


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


def send_email(reminder, recipient, group=None, *, connection=None):
    group = group or [reminder]
    subject, text, html = registry.render_email(reminder, recipient, group=group)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[recipient.email],
        headers={"Message-ID": reminder.message_id, "Auto-Submitted": "auto-generated"},
        connection=connection,
    )
    message.attach_alternative(html, "text/html")
    kind = registry.get(reminder.kind)
    if kind.attach is not None:
        for row in group:
            kind.attach(message, row, recipient)
    message.send()


def _preferences(rows):
    """services.preference_for() of each (recipient, practice) of `rows`, in two queries."""
    users = {row.recipient_id for row in rows}
    own = {p.user_id: p for p in NotificationPreference.objects.filter(user_id__in=users)}
    practices = {row.practice_id for row in rows if row.recipient_id not in own}
    defaults = {}
    if practices:
        defaults = {
            default.practice_id: default
            for default in PracticeNotificationDefault.objects.filter(practice_id__in=practices)
        }
    found = {}
    for row in rows:
        preference = own.get(row.recipient_id)
        if preference is None:
            preference = NotificationPreference(user=row.recipient)
            default = defaults.get(row.practice_id)
            if default is not None:
                preference.email_off_kinds = list(default.email_off_kinds)
                preference.quiet_start = default.quiet_start
                preference.quiet_end = default.quiet_end
        found[row.pk] = preference
    return found


class _Mailer:
    """One SMTP connection for a batch, opened at its first email, reopened after a failure."""

    def __init__(self):
        self.connection = None

    def get(self):
        if self.connection is None:
            self.connection = get_connection()
            self.connection.open()
        return self.connection

    def close(self):
        if self.connection is not None:
            connection, self.connection = self.connection, None
            try:
                connection.close()
            except Exception:  # noqa: BLE001  (a broken connection is dropped either way)
                logger.info("closing the SMTP connection failed")


class _Batch:
    """The state of one claimed batch while it is delivered (deliver_batch)."""

    def __init__(self, token, ids):
        self.token = token
        self.ids = list(ids)
        self.renewed_at = now()
        self.done = []  # delivered, to be marked sent in one UPDATE
        self.started = set()  # rows whose delivery began (the last one may be in hand)
        self.unrecorded = []  # rows whose email went out, `emailed_at` not recorded yet
        self.unrecorded_emails = 0
        self.unrecorded_since = 0.0

    def mine(self, pks):
        return Reminder.objects.filter(
            pk__in=pks, claim_token=self.token, status=Reminder.Status.SENDING
        )

    def keep_lease(self):
        """Renews the lease of every row of the batch still held, every CLAIM_LEASE / 3;
        returns the rows still held (a row taken away, e.g. by a failed WhatsApp status, is
        not delivered by this claim)."""
        if now() - self.renewed_at < claim_lease() / 3:
            return None
        renew(self.token, self.ids)
        self.renewed_at = now()
        return set(self.mine(self.ids).values_list("pk", flat=True))

    def emailed(self, pks):
        """One email went out for the rows `pks`; recorded with its group (record_emails)."""
        if not self.unrecorded:
            self.unrecorded_since = monotonic()
        self.unrecorded += pks
        self.unrecorded_emails += 1
        self.record_emails(force=False)

    def record_emails(self, *, force=True):
        """Records `emailed_at` of the emails sent and not yet recorded: when record_group()
        of them are waiting, when the first has waited RECORD_GROUP_SECONDS, or (force) before
        the batch is marked sent. A record that cannot be made (the database gone for longer
        than record_emailed retries) leaves those rows `sending` and out of `done`: their
        lease runs out and they are sent again, the duplicates the module docstring bounds."""
        if not self.unrecorded:
            return
        if not force and (
            self.unrecorded_emails < record_group()
            and monotonic() - self.unrecorded_since < RECORD_GROUP_SECONDS
        ):
            return
        pks, self.unrecorded, self.unrecorded_emails = self.unrecorded, [], 0
        try:
            record_emailed(pks)
        except BaseException:
            self.done = [pk for pk in self.done if pk not in set(pks)]
            raise

    def finish(self):
        """Records the delivered rows as sent: one UPDATE for the batch, for the token holder.
        The emails are recorded first: a row `sent` without `emailed_at` would be listed again
        by the daily digest."""
        self.record_emails()
        if self.done:
            self.mine(self.done).update(
                status=Reminder.Status.SENT, sent_at=now(), claim_token=None, last_error=""
            )
            self.done = []


def deliver_batch(token, ids, *, at=None):
    """Delivers the claimed rows `ids` in order; returns {pk: new status} (None for a row whose
    claim was lost). If delivering fails beyond one row (a row's own failure is recorded on
    it), the rows already delivered are recorded as sent and the rows not yet started are
    released before the error propagates; the row in hand keeps its lease, since its email
    may already be out."""
    at = at or now()
    batch = _Batch(token, ids)
    rows = {row.pk: row for row in batch.mine(ids).select_related("recipient", "practice")}
    statuses = dict.fromkeys(ids)
    held = set(rows)
    active = set(
        Membership.objects.filter(
            user_id__in={row.recipient_id for row in rows.values()},
            practice_id__in={row.practice_id for row in rows.values()},
            deactivated_at=None,
        ).values_list("user_id", "practice_id")
    )
    mailer = _Mailer()
    try:
        live = []
        current = _current_among([rows[pk] for pk in ids if pk in rows])
        for pk in ids:
            row = rows.get(pk)
            if row is None:
                continue
            status = _check_current(batch, row, active, current, at)
            if status is None:
                live.append(row)
            else:
                statuses[pk] = status
                held.discard(pk)
        # The in-app notifications of the batch: one INSERT; the unique reminder makes a
        # re-claimed row find its existing one.
        InAppNotification.objects.bulk_create(
            [
                InAppNotification(reminder=row, recipient=row.recipient, created_at=at)
                for row in live
            ],
            ignore_conflicts=True,
        )
        preferences = _preferences(live)
        for row in live:
            batch.record_emails(force=False)  # a group waiting for a second is recorded now
            still_held = batch.keep_lease()
            if still_held is not None:
                held &= still_held
            if row.pk not in held:
                continue
            batch.started.add(row.pk)
            statuses[row.pk] = _deliver_row(batch, row, preferences[row.pk], mailer, at)
        batch.finish()
    except BaseException:
        mailer.close()
        _after_failure(batch, [pk for pk in ids if pk in held and pk not in batch.started])
        raise
    mailer.close()
    return statuses


def _current_among(rows):
    """The pks of `rows` whose kind answers "still current" for a batch (Kind.current_among),
    with that answer: one query per such kind instead of one per row."""
    by_kind = {}
    for row in rows:
        by_kind.setdefault(row.kind, []).append(row)
    answered = {}
    for name, members in by_kind.items():
        try:
            kind = registry.get(name)
        except LookupError:
            continue  # the row fails on its own (_check_current)
        if kind.current_among is not None:
            still = kind.current_among(members)
            answered.update({row.pk: row.pk in still for row in members})
    return answered


def _check_current(batch, row, active, answered, at):
    """CANCELLED (recorded) for a row no longer needed, else None."""
    try:
        kind = registry.get(row.kind)
        if row.pk in answered:
            current = answered[row.pk]
        else:
            current = kind.is_current is None or kind.is_current(row)
    except (OperationalError, InterfaceError):
        raise
    except Exception as exc:
        return _record_failure(batch, row, exc, at)
    if row.recipient.is_active and (row.recipient_id, row.practice_id) in active and current:
        return None
    batch.mine([row.pk]).update(status=Reminder.Status.CANCELLED, claim_token=None)
    return Reminder.Status.CANCELLED


def _deliver_row(batch, row, preference, mailer, at):
    recipient = row.recipient
    try:
        kind = registry.get(row.kind)
        # "email", "whatsapp" or "in_app" (coaching/whatsapp/channel.py; email when it is off).
        route = whatsapp.channel_for(row, recipient, preference)
        if route == whatsapp.EMAIL and preference.daily_digest and kind.attach is None:
            route = whatsapp.IN_APP  # the morning digest lists it (send_digests)
        if route != whatsapp.IN_APP and row.emailed_at is None:
            quiet_until = in_quiet_hours(preference, recipient, row.practice, at)
            if quiet_until is not None:
                batch.mine([row.pk]).update(
                    status=Reminder.Status.PENDING, next_attempt_at=quiet_until, claim_token=None
                )
                return Reminder.Status.PENDING
            # A failed WhatsApp status takes the claim away at any moment (whatsapp.services):
            # a WhatsApp row checks, as it starts, that this batch still holds it.
            if route == whatsapp.WHATSAPP and not batch.mine([row.pk]).update(claimed_at=now()):
                return None
            # WhatsApp has its own exactly-once record; False means it failed: email instead.
            if route != whatsapp.WHATSAPP or not whatsapp.deliver(row, recipient):
                group = batch_group(row)
                if group is not None:  # None: a batch row whose leader's email lists it
                    send_email(row, recipient, group, connection=mailer.get())
                    # The duplicate window of this email closes when its group's UPDATE commits
                    # (module docstring): after record_group() emails, or a second.
                    batch.emailed([member.pk for member in group])
        batch.done.append(row.pk)
        return Reminder.Status.SENT
    except (OperationalError, InterfaceError):
        # The database connection is gone: nothing can be recorded through it, and whether the
        # email went out is unknown. The row keeps its lease (taken over after CLAIM_LEASE);
        # deliver_batch releases the batch's unstarted rows.
        raise
    except Exception as exc:
        mailer.close()  # the next email opens a fresh connection
        return _record_failure(batch, row, exc, at)


def _record_failure(batch, row, exc, at):
    attempts = row.attempts + 1
    failed = attempts >= MAX_ATTEMPTS
    batch.mine([row.pk]).update(
        attempts=attempts,
        status=Reminder.Status.FAILED if failed else Reminder.Status.PENDING,
        next_attempt_at=at + backoff(attempts),
        claim_token=None,
        last_error=type(exc).__name__[:200],
    )
    logger.warning("reminder %s attempt %s failed: %s", row.code, attempts, type(exc).__name__)
    return Reminder.Status.FAILED if failed else Reminder.Status.PENDING


def deliver(reminder_id, token, *, at=None):
    """Delivers one claimed reminder; returns its new status (or None if the claim was lost)."""
    return deliver_batch(token, [reminder_id], at=at)[reminder_id]


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


def dispatch_due(*, budget_seconds=60, batch_size=BATCH_SIZE, on_full_batch=None):
    """Claims and delivers due reminders in batches until none are left or the budget is spent.

    Returns the number of reminders handled. `on_full_batch` (tasks.dispatch_due: enqueue one
    more dispatcher) is called once, when the first full batch is claimed, so that while rows
    are due every free worker process joins in.
    """
    started = now()
    handled = 0
    while (now() - started).total_seconds() < budget_seconds:
        token, ids = claim_batch(limit=batch_size)
        if not ids:
            break
        if on_full_batch is not None and len(ids) >= batch_size:
            on_full_batch()
            on_full_batch = None
        deliver_batch(token, ids)
        handled += len(ids)
    return handled


def _after_failure(batch, unstarted):
    """After a failed batch: records the emails that went out and the rows already delivered
    as sent, releases the rest."""
    for attempt in range(2):
        try:
            batch.finish()  # record_emails() first, retried through a fresh connection
            if unstarted:
                release(batch.token, unstarted)
            return
        except DatabaseError:
            if attempt or connection.in_atomic_block:
                if connection.in_atomic_block:
                    raise
                break
            # The connection died with the batch: record and release through a fresh one.
            connection.close()
    logger.warning(
        "could not release %s claimed reminders; the lease frees them",
        len(unstarted) + len(batch.done),
    )


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
