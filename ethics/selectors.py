"""Reads that take the reader; which programs and which content come from the gate
(ethics.access)."""

from collections import defaultdict
from decimal import Decimal

from django.apps import apps
from django.db.models import Q
from django.http import Http404
from django.utils.timezone import now
from django.utils.translation import gettext as _

from coaching.access import Role
from coaching.accounts.models import User
from sessions.models import Session

from . import access as gate
from .consent_texts import consent_text
from .models import (
    AccessEvent,
    CCEEntry,
    Consent,
    ErasureRequest,
    EthicsAttestation,
    PracticeScopeDefault,
    Referral,
    ReflectiveJournalEntry,
)


def programs_coached_by(access):
    """The programs the signed-in coach coaches in this practice (content deferred)."""
    return gate.programs_as(access, Role.COACH)


def program_coached_by(access, program_code):
    return gate.get_program_for(access, program_code, role=Role.COACH)


def programs_of_client(access):
    return gate.programs_as(access, Role.CLIENT)


# Consents


def consent_list(*, access):
    return Consent.objects.filter(practice=access.practice, client=access.user).select_related(
        "sponsor"
    )


def consent_for(access, code):
    try:
        return consent_list(access=access).get(code=code)
    except Consent.DoesNotExist as exc:
        raise Http404 from exc


def consent_choices(*, access):
    """What the client may consent to: data processing, and sharing with each of their
    programs' sponsors. Each with the consent in force, if any."""

    in_force = {
        (c.kind, c.sponsor_id): c for c in consent_list(access=access).filter(withdrawn_at=None)
    }
    sponsor_ids = programs_of_client(access).exclude(sponsor=None).values("sponsor_id")
    sponsors = User.objects.filter(pk__in=sponsor_ids).order_by("full_name", "email")
    choices = [
        {
            "kind": Consent.Kind.DATA_PROCESSING,
            "sponsor": None,
            "consent": in_force.get((Consent.Kind.DATA_PROCESSING, None)),
            # the text the client agrees to, read before they give it
            "text": consent_text(Consent.Kind.DATA_PROCESSING, practice=access.practice)[1],
        }
    ]
    for sponsor in sponsors:
        choices.append(
            {
                "kind": Consent.Kind.SPONSOR_SHARING,
                "sponsor": sponsor,
                "consent": in_force.get((Consent.Kind.SPONSOR_SHARING, sponsor.pk)),
                "text": consent_text(
                    Consent.Kind.SPONSOR_SHARING, practice=access.practice, sponsor=sponsor
                )[1],
            }
        )
    return choices


def processing_consents(*, access):
    """The client's answers to the data-processing question in this practice (given, or given
    and withdrawn): none means never answered."""
    return consent_list(access=access).filter(kind=Consent.Kind.DATA_PROCESSING)


def sponsor_for_consent(access, sponsor_code):
    """A sponsor of one of the client's programs; 404 otherwise."""

    sponsor_ids = programs_of_client(access).exclude(sponsor=None).values("sponsor_id")
    try:
        return User.objects.filter(pk__in=sponsor_ids).get(code=sponsor_code)
    except User.DoesNotExist as exc:
        raise Http404 from exc


# Access log


def access_events_about(*, access):
    """Reads and exports of items about the signed-in person: who, when, which item."""
    return (
        AccessEvent.objects.filter(practice=access.practice, subject=access.user)
        # The client's own reads of what their coach wrote are recorded, but not news to them.
        .exclude(reader=access.user, kind=AccessEvent.Kind.READ)
        .select_related("reader")
        .order_by("-at", "-id")
    )


def access_event_list(*, access):
    """Every access event of the practice, for its admins: logistics only."""
    return (
        AccessEvent.objects.filter(practice=access.practice)
        .select_related("reader", "subject")
        .order_by("-at", "-id")
    )


# Referrals


def referral_list(*, access, program=None):
    qs = Referral.objects.filter(program__in=programs_coached_by(access)).select_related(
        "program__client"
    )
    if program is not None:
        qs = qs.filter(program=program)
    return qs


def referral_for(access, code):
    try:
        return referral_list(access=access).get(code=code)
    except Referral.DoesNotExist as exc:
        raise Http404 from exc


def referrals_due(*, access):
    today = now().date()
    return referral_list(access=access).filter(closed_at=None, follow_up_on__lte=today)


# The coaching mindset


def journal_list(*, access):
    """The signed-in coach's own journal: never anybody else's, whatever their role."""
    return ReflectiveJournalEntry.objects.filter(practice=access.practice, coach=access.user)


def journal_entry_for(access, code):
    try:
        return journal_list(access=access).get(code=code)
    except ReflectiveJournalEntry.DoesNotExist as exc:
        raise Http404 from exc


def cce_list(*, access):
    return CCEEntry.objects.filter(practice=access.practice, coach=access.user)


def cce_entry_for(access, code):
    try:
        return cce_list(access=access).get(code=code)
    except CCEEntry.DoesNotExist as exc:
        raise Http404 from exc


def cce_totals(entries):
    totals = defaultdict(Decimal)
    for entry in entries:
        totals[entry.category] += entry.hours
    return [(label, totals.get(value, Decimal("0"))) for value, label in CCEEntry.Category.choices]


def attestation_list(*, access):
    return EthicsAttestation.objects.filter(practice=access.practice, coach=access.user)


# The client's rights


def erasure_request_open(*, access):
    return ErasureRequest.objects.filter(
        practice=access.practice, user=access.user, completed_at=None
    ).first()


def erasure_request_list(*, access):
    return ErasureRequest.objects.filter(practice=access.practice).select_related(
        "user", "completed_by"
    )


def erasure_request_for(access, code):
    try:
        return erasure_request_list(access=access).get(code=code)
    except ErasureRequest.DoesNotExist as exc:
        raise Http404 from exc


# Scope defaults, the sponsor's view, progress reports


def scope_defaults(*, access):
    """{part: scope} for the practice: its own rows, else each part's built-in default."""

    rows = dict(
        PracticeScopeDefault.objects.filter(practice=access.practice).values_list("part", "scope")
    )
    result = {}
    for part in PracticeScopeDefault.Part.values:
        model = apps.get_model("coaching_sessions", part)
        result[part] = rows.get(part) or model._meta.get_field("scope").default
    return result


def sponsor_program_page(*, access, program):
    """Attendance (dates, held or cancelled) and what the client shares with the sponsor:
    sponsor-scoped parts and approved progress reports, through the gate (consent checked
    on every request)."""

    # The one-per-session parts come with the sessions, in one query (#11); only the held
    # sessions' show (only held sessions have any).
    one_each = ["preparation", "check_in", "note", "check_out"]
    flags = gate.sponsor_shared_flags(access, program)
    sessions = gate.sessions_with_parts(
        access,
        gate.sessions_for(access).filter(program=program).annotate(**flags).order_by("starts_at"),
        role=Role.SPONSOR,
        parts_of=Q(status=Session.Status.HELD),
        parts=one_each,
        clients=[program.client_id],
    )
    held = [s for s in sessions if s.status == Session.Status.HELD]
    parts = {
        s.pk: [
            {"kind": kind, "row": getattr(s, f"visible_{kind}")}
            for kind in one_each
            if getattr(s, f"visible_{kind}") is not None
        ]
        for s in held
    }
    # Tasks and ratings are read only for the sessions that share some (none: no query).
    with_tasks = [s for s in held if not flags or s.shares_tasks]
    with_ratings = [s for s in held if not flags or s.shares_ratings]
    readers = []
    if with_tasks:
        readers.append(("task", gate.action_items_visible_to(access, sessions=with_tasks)))
    if with_ratings:
        # The objective's text is program content (coach and client): only its position
        # shows, so its text and measure are not loaded (nor decrypted).
        readers.append(
            (
                "rating",
                gate.ratings_visible_to(access, sessions=with_ratings)
                .select_related("objective")
                .defer("objective__text", "objective__measure"),
            )
        )
    for kind, rows in readers:
        for row in rows:
            parts[row.session_id].append({"kind": kind, "row": row})
    return {
        "program": program,
        "attendance": [
            {"session": s, "held": s.status == Session.Status.HELD, "parts": parts.get(s.pk, [])}
            for s in sessions
            if s.status != Session.Status.RESCHEDULED
        ],
        "reports": list(gate.progress_reports_visible_to(access, programs=[program])),
        # The banner: the consent in force, as the sessions' query read it (one subquery,
        # #11); asked on its own only for a program without sessions yet.
        "consent": (
            sessions[0].gate_consent
            if sessions
            else gate.has_sponsor_consent(program.client, access.user, program)
        ),
    }


def progress_report_suggestion(*, access, program):
    """A first draft generated from the client's progress ratings: per objective (by number,
    not its text), the first and the latest score. The coach edits it; the client approves."""

    ratings = list(
        gate.ratings_visible_to(access, programs=[program]).order_by(
            "objective__position", "session__number"
        )
    )
    held = gate.sessions_for(access).filter(program=program, status="held").count()
    lines = [_("Sessions held so far: %(held)s.") % {"held": held}]
    by_objective = {}
    for rating in ratings:
        by_objective.setdefault(rating.objective_id, []).append(rating.score)
    for number, scores in enumerate(by_objective.values(), start=1):
        lines.append(
            _("Objective %(number)s: from %(first)s to %(last)s out of 10.")
            % {"number": number, "first": scores[0], "last": scores[-1]}
        )
    return "\n".join(lines)
