"""iCalendar: a private feed of a user's sessions, and single-event invitations for emails.

An event holds the date, time, place or video link and the other party's name, nothing more:
no theme, no notes. Its UID is the code of the first session of a reschedule chain
(`<code>@coaching`), so a rescheduled session updates the same calendar entry, and its
SEQUENCE rises each time what a calendar shows changes (CalendarSequence).
"""

import datetime
import hashlib
from email.mime.text import MIMEText

import icalendar
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils.timezone import now

from coaching import feedcache
from coaching.accounts.models import Membership
from coaching.notifications.models import CalendarSequence
from programs.models import ChemistryMeeting
from sessions.models import Session

PRODID = "-//Coaching platform//Sessions//EN"
CANCELLED = {
    "cancelled_client",
    "cancelled_client_late",
    "cancelled_coach",
    "rescheduled",
    # Set aside by a pause: the pause's email cancels it, so the feed shows it cancelled too.
    "suspended",
}


def _fingerprint(session):
    raw = "|".join(
        [
            # In UTC: the same moment from a form (+07:00) and from the database (+00:00).
            session.starts_at.astimezone(datetime.UTC).isoformat(),
            str(session.duration_minutes),
            session.format,
            session.place,
            session.video_link,
            "cancelled" if session.status in CANCELLED else "active",
        ]
    )
    return hashlib.sha256(raw.encode()).hexdigest()


def root_codes(sessions):
    """{session id: the code of the first session of its reschedule chain}, in memory.

    `sessions` must hold the whole chains (a user's sessions do: rescheduling keeps the
    coach and the client)."""
    by_id = {s.pk: s for s in sessions}
    parent = {s.rescheduled_to_id: s.pk for s in sessions if s.rescheduled_to_id}
    roots = {}
    for s in sessions:
        current = s.pk
        seen = set()
        while current in parent and current not in seen:
            seen.add(current)
            current = parent[current]
        roots[s.pk] = by_id[current].code
    return roots


def sequences_for(pairs):
    """{uid_code: sequence} for (uid_code, session) pairs, raising a SEQUENCE whose event
    changed since it was last published. A handful of queries whatever the number of events."""
    pairs = list(pairs)
    codes = [code for code, _s in pairs]
    stored = {row.uid_code: row for row in CalendarSequence.objects.filter(uid_code__in=codes)}
    result = {}
    new = []
    for code, session in pairs:
        fingerprint = _fingerprint(session)
        row = stored.get(code)
        if row is None:
            new.append(CalendarSequence(uid_code=code, sequence=0, fingerprint=fingerprint))
            result[code] = 0
        elif row.fingerprint != fingerprint:
            # Conditional: two readers publishing the same change raise it once.
            CalendarSequence.objects.filter(pk=row.pk, fingerprint=row.fingerprint).update(
                sequence=F("sequence") + 1, fingerprint=fingerprint
            )
            result[code] = row.sequence + 1
        else:
            result[code] = row.sequence
    if new:
        try:
            with transaction.atomic():
                CalendarSequence.objects.bulk_create(new, ignore_conflicts=True)
        except IntegrityError:
            pass
    return result


def _other_party(session, user):
    other = session.client if user.pk == session.coach_id else session.coach
    return other.display_name


def _event(session, user, uid_code, sequence):
    event = icalendar.Event()
    event.add("uid", f"{uid_code}@coaching")
    event.add("sequence", sequence)
    event.add("dtstamp", now())
    event.add("dtstart", session.starts_at)
    event.add("dtend", session.ends_at)
    event.add("summary", f"Coaching: {_other_party(session, user)}")
    if session.place:
        event.add("location", session.place)
    if session.video_link:
        event.add("url", session.video_link)
        if not session.place:
            event.add("location", session.video_link)
    event.add("status", "CANCELLED" if session.status in CANCELLED else "CONFIRMED")
    return event


def _calendar(method=None):
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    if method:
        cal.add("method", method)
    return cal


# The feed's window (#11): a calendar app needs the recent past and the coming year, not every
# session the user ever had (a coach of many years had ~1,000 events, 271 KB, per poll).
FEED_DAYS_BACK = 92  # about 3 months
FEED_DAYS_AHEAD = 366  # about 12 months


def user_sessions(user, *, since=None, until=None):
    """The user's sessions (as coach or client) in the practices where they still hold that
    role, checked on every fetch (a coach off-boarded from a practice stops seeing its clients,
    finding 8 of #12). With since/until, those starting in that window plus every session that
    was rescheduled (few), so that the reschedule chains of the window's sessions are whole and
    their UIDs stay those of the first session (#11)."""
    active = Membership.objects.filter(
        practice=OuterRef("program__practice"), user=user, deactivated_at=None
    )
    sessions = Session.objects.alias(
        _as_coach=Exists(active.filter(role=Membership.Role.COACH)),
        _as_client=Exists(active.filter(role=Membership.Role.CLIENT)),
    ).filter(Q(coach=user, _as_coach=True) | Q(client=user, _as_client=True))
    if since is not None:
        sessions = sessions.filter(
            Q(starts_at__gte=since, starts_at__lt=until) | Q(rescheduled_to__isnull=False)
        )
    return list(sessions.select_related("coach", "client"))


def feed_for(user):
    """The user's feed: one event per reschedule chain (its latest session), for the sessions
    from FEED_DAYS_BACK days ago to FEED_DAYS_AHEAD days ahead."""
    since = now() - datetime.timedelta(days=FEED_DAYS_BACK)
    until = now() + datetime.timedelta(days=FEED_DAYS_AHEAD)
    sessions = user_sessions(user, since=since, until=until)
    roots = root_codes(sessions)
    latest = [s for s in sessions if not s.rescheduled_to_id and since <= s.starts_at < until]
    sequences = sequences_for((roots[s.pk], s) for s in latest)
    cal = _calendar()
    cal.add("x-wr-calname", "Coaching sessions")
    for session in latest:
        uid = roots[session.pk]
        cal.add_component(_event(session, user, uid, sequences[uid]))
    for meeting in user_chemistry(user, since=since, until=until):
        cal.add_component(_chemistry_event(meeting, user))
    return cal.to_ical()


def cached_feed_for(user, *, token_hash):
    """feed_for(user) through the per-user cache (coaching/feedcache.py). The active
    memberships are read here on every fetch, outside the cache, and key it: a deactivated
    membership is never served from a warm cache (finding 8 of #12)."""
    memberships = tuple(
        Membership.objects.filter(user=user, deactivated_at=None)
        .order_by("practice_id", "role")
        .values_list("practice_id", "role")
    )
    parts = (token_hash, user.language, user.timezone, memberships)
    return feedcache.cached_feed(user.pk, parts, lambda: feed_for(user))


def user_chemistry(user, *, since, until):
    """The user's chemistry meetings (as the candidate coach or as the client) in the window,
    in the practices where they still hold that role (as user_sessions)."""
    active = Membership.objects.filter(
        practice=OuterRef("contract__practice"), user=user, deactivated_at=None
    )
    return list(
        ChemistryMeeting.objects.alias(
            _as_coach=Exists(active.filter(role=Membership.Role.COACH)),
            _as_client=Exists(active.filter(role=Membership.Role.CLIENT)),
        )
        .filter(Q(coach=user, _as_coach=True) | Q(contract__client=user, _as_client=True))
        .filter(starts_at__gte=since, starts_at__lt=until)
        .select_related("coach", "contract__client")
        .defer("client_note", "coach_note")
    )


def _chemistry_event(meeting, user):
    """A chemistry meeting as an event: when, where and with whom; never its impressions.
    Its UID is its own code (a chemistry meeting is not moved, so SEQUENCE stays 0)."""
    client = meeting.contract.client
    other = client if user.pk == meeting.coach_id else meeting.coach
    event = icalendar.Event()
    event.add("uid", f"chemistry-{meeting.code}@coaching")
    event.add("sequence", 0)
    event.add("dtstamp", now())
    event.add("dtstart", meeting.starts_at)
    event.add("dtend", meeting.starts_at + datetime.timedelta(minutes=meeting.duration_minutes))
    event.add("summary", f"Chemistry meeting: {other.display_name}")
    if meeting.place:
        event.add("location", meeting.place)
    event.add("status", "CONFIRMED")
    return event


def chemistry_ics(meeting, *, for_user):
    """The chemistry meeting's invitation (METHOD:REQUEST) for an email."""
    cal = _calendar("REQUEST")
    cal.add_component(_chemistry_event(meeting, for_user))
    return cal.to_ical()


def attach_chemistry_ics(message, meeting, *, for_user):
    part = MIMEText(chemistry_ics(meeting, for_user=for_user).decode(), "calendar", "utf-8")
    part.set_param("method", "REQUEST")
    part.add_header("Content-Disposition", "attachment", filename="chemistry.ics")
    message.attach(part)


def session_ics(session, *, for_user, method="REQUEST"):
    """One event as an .ics attachment for a session scheduled/rescheduled (REQUEST) or
    cancelled (CANCEL) email. Attach with message.attach("session.ics", data,
    f"text/calendar; method={method}")."""
    sessions = user_sessions(for_user)
    if session.pk not in {s.pk for s in sessions}:
        sessions.append(session)
    roots = root_codes(sessions)
    uid = roots[session.pk]
    sequence = sequences_for([(uid, session)])[uid]
    cal = _calendar(method)
    event = _event(session, for_user, uid, sequence)
    if method == "CANCEL":
        event["status"] = "CANCELLED"
    cal.add_component(event)
    return cal.to_ical()


def chain_root_code(session):
    """The code of the first session of session's reschedule chain (its calendar UID)."""

    current = session
    seen = set()
    while current.pk not in seen:
        seen.add(current.pk)
        previous = Session.objects.filter(rescheduled_to=current).first()
        if previous is None:
            break
        current = previous
    return current.code


def publish(session):
    """Records what calendars will show of session now, raising its SEQUENCE if it changed.
    Called by the services that schedule, move or cancel a session, in their transaction;
    both parties' cached feeds are built again."""
    feedcache.feed_changed([session.coach_id, session.client_id])
    uid = chain_root_code(session)
    return sequences_for([(uid, session)])[uid]


def attach_session_ics(message, session, *, for_user, method="REQUEST"):
    """Adds the invitation to an EmailMultiAlternatives before it is sent."""

    data = session_ics(session, for_user=for_user, method=method)
    part = MIMEText(data.decode(), "calendar", "utf-8")
    part.set_param("method", method)  # calendar apps read it to update or cancel the event
    part.add_header("Content-Disposition", "attachment", filename="session.ics")
    message.attach(part)
    return message
