"""Small builders for ethics tests (the programs and sessions apps own their factories)."""

import datetime
import re

from django.utils import timezone

from ethics.models import CCEEntry, Consent, ErasureRequest, Referral, ReflectiveJournalEntry
from programs.models import Program
from sessions.models import Session


def program_for(world, *, client=None, coach=None, sponsor="default", practice=None):
    return Program.objects.create(
        practice=practice or world.practice,
        client=client or world.client,
        coach=coach or world.coach,
        sponsor=world.sponsor if sponsor == "default" else sponsor,
    )


def session_for(program, *, number, starts_at, minutes=60, status=Session.Status.HELD):
    return Session.objects.create(
        program=program,
        number=number,
        starts_at=starts_at,
        duration_minutes=minutes,
        coach=program.coach,
        client=program.client,
        status=status,
    )


def consent_for(world, *, kind=Consent.Kind.SPONSOR_SHARING, sponsor="default"):
    return Consent.objects.create(
        practice=world.practice,
        client=world.client,
        sponsor=world.sponsor if sponsor == "default" else sponsor,
        kind=kind,
        text="I agree.",
        text_version="test",
    )


def referral_for(world, *, note=""):
    return Referral.objects.create(
        program=program_for(world),
        coach=world.coach,
        professional=Referral.Professional.THERAPIST,
        reason=Referral.Reason.MENTAL_HEALTH,
        note=note,
    )


def journal_entry_for(world, *, coach=None, text=""):
    return ReflectiveJournalEntry.objects.create(
        practice=world.practice,
        coach=coach or world.coach,
        date=datetime.date(2026, 11, 1),
        text=text,
    )


def cce_entry_for(world, *, coach=None):
    return CCEEntry.objects.create(
        practice=world.practice,
        coach=coach or world.coach,
        category=CCEEntry.Category.CORE_COMPETENCIES,
        hours="1.50",
        provider="ICF Indonesia",
        date=datetime.date(2026, 10, 1),
    )


def erasure_request_for(world, *, user=None):
    return ErasureRequest.objects.create(practice=world.practice, user=user or world.client)


def at(day, hour=9):
    return timezone.make_aware(datetime.datetime(2026, 10, day, hour, 0))


def progress_report_for(world, *, status="submitted", text=""):
    from ethics.models import ProgressReport

    return ProgressReport.objects.create(
        program=program_for(world), author=world.coach, text=text, status=status
    )


def held_session_for(world):
    return session_for(
        program_for(world), number=1, starts_at=timezone.now() - datetime.timedelta(days=1)
    )


_JSON_FUNCTION = re.compile(r"(?:JSONB_BUILD_OBJECT|JSON_OBJECT)\(")
_FROM = re.compile(r'\) AS "gate_row" FROM "(\w+)"')


def json_rows(sql, model):
    """The JSON rows of `model` a query reads (ethics.access._JSONRow: a session's parts, the
    previous session, one subquery each): for each, the set of its keys, nested rows' keys
    left out."""
    rows = []
    for found in _JSON_FUNCTION.finditer(sql):
        depth, keys, at = 1, [], found.end()
        while depth:
            char = sql[at]
            if char == "(":
                depth += 1
            elif char == ")":
                depth -= 1
            elif char == "'" and depth == 1:
                end = sql.index("'", at + 1)
                keys.append(sql[at + 1 : end])
                at = end
            at += 1
        table = _FROM.match(sql, at - 1)
        if table and table.group(1) == model._meta.db_table:
            rows.append(set(keys))
    return rows


def json_row_columns(sql, model):
    """Every key of every JSON row of `model` in the query (json_rows)."""
    return set().union(*json_rows(sql, model))
