"""Reminder kinds of the ethics app: a referral's follow-up (registered in EthicsConfig.ready()).

Which kind goes to whom, created by what, with which occasion: coaching/notifications/README.md.

There are no consent requests in ethics (a client gives or withdraws a consent on their own
page), so no reminder waits on one.
"""

from datetime import date, timedelta

from django.utils import formats
from django.utils.timezone import now
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from coaching.notifications import registry
from coaching.notifications.services import reminder_schedule
from programs.models import Program

from . import access as gate
from .models import PreparedExport, Referral

REFERRAL_FOLLOW_UP = "referral_follow_up"
REPORT_APPROVED = "progress_report_approved"
DATA_EXPORT_READY = "data_export_ready"


# Referral follow-up -------------------------------------------------------------------------


def _describe_referral(referral, recipient):
    practice = referral.program.practice
    return registry.Description(
        practice=practice,
        label="",  # never the client's name: a referral is itself sensitive
        path=registry.reverse_first(
            [
                ("referral_list", {"slug": practice.slug}),
                ("dashboard_coach", {"slug": practice.slug}),
            ]
        ),
    )


def _referral_text(reminder):
    day = date.fromisoformat(reminder.occasion.split(":", 1)[1])
    return gettext("A referral you made is due for follow-up on %(date)s.") % {
        "date": formats.date_format(day, "DATE_FORMAT")
    }


def _referral_still_due(reminder):

    day = reminder.occasion.split(":", 1)[1]
    return Referral.objects.filter(
        code=reminder.object_code, closed_at=None, follow_up_on=day
    ).exists()


def referral_follow_up_schedule(referral):
    """Call in referral_create's transaction (and the scan): 09:00 on the follow-up day."""
    if referral.follow_up_on is None or referral.closed_at is not None:
        return None
    practice = referral.program.practice
    return reminder_schedule(
        kind=REFERRAL_FOLLOW_UP,
        recipient=referral.coach,
        obj=referral,
        occasion=f"follow-up:{referral.follow_up_on.isoformat()}",
        due_at=registry.local_moment(practice, referral.follow_up_on),
    )


def referral_follow_up_scan(*, at=None):
    """Open referrals with a follow-up date within a day: catches referrals whose date changed
    or that were made before reminders existed. Idempotent."""

    at = at or now()
    referrals = Referral.objects.filter(
        closed_at=None,
        follow_up_on__gte=at.date() - timedelta(days=14),
        follow_up_on__lte=at.date() + timedelta(days=1),
    ).select_related("program__practice", "coach")
    count = 0
    for referral in referrals:
        referral_follow_up_schedule(referral)
        count += 1
    return count


registry.register(
    registry.Kind(
        name=REFERRAL_FOLLOW_UP,
        label=_("A referral is due for follow-up"),
        describe=_describe_referral,
        text=_referral_text,
        is_current=_referral_still_due,
    )
)


# A progress report approved by the client (#14) ---------------------------------------------
# The reminder is about the program (logistics), its occasion names the report: no content.


def _describe_report(program, recipient):
    slug = program.practice.slug
    if recipient.pk == program.sponsor_id:
        candidates = [("sponsor_program", {"slug": slug, "code": program.code})]
    else:
        candidates = [("progress_report_edit", {"slug": slug, "program_code": program.code})]
    candidates.append(("practice_home", {"slug": slug}))
    return registry.Description(
        practice=program.practice, label="", path=registry.reverse_first(candidates)
    )


def _report_text(reminder):
    if reminder.occasion.startswith("approved-sponsor:"):
        return gettext("A progress report from %(practice)s is ready for you to read.") % {
            "practice": reminder.practice.name
        }
    return gettext("Your client approved a progress report for their sponsor.")


def _report_still_readable(reminder):
    """The sponsor's: only while the client's sharing consent is in force."""
    if not reminder.occasion.startswith("approved-sponsor:"):
        return True
    program = (
        Program.objects.filter(code=reminder.object_code)
        .only("client_id", "sponsor_id", "practice_id")
        .select_related("client", "sponsor")
        .first()
    )
    return program is not None and gate.has_sponsor_consent(
        program.client, program.sponsor, program
    )


def progress_report_approved_schedule(report):
    """Call in progress_report_approve's transaction: the sponsor (while the client's consent
    is in force) and the coach hear that the report is approved."""
    program = report.program
    reminders = [
        reminder_schedule(
            kind=REPORT_APPROVED,
            recipient=program.coach,
            obj=program,
            occasion=f"approved-coach:{report.code}",
            due_at=now(),
        )
    ]
    if program.sponsor_id and gate.has_sponsor_consent(program.client, program.sponsor, program):
        reminders.append(
            reminder_schedule(
                kind=REPORT_APPROVED,
                recipient=program.sponsor,
                obj=program,
                occasion=f"approved-sponsor:{report.code}",
                due_at=now(),
            )
        )
    return reminders


registry.register(
    registry.Kind(
        name=REPORT_APPROVED,
        label=_("A progress report was approved"),
        describe=_describe_report,
        text=_report_text,
        is_current=_report_still_readable,
    )
)


# The client's data export is ready (#11) -----------------------------------------------------
# About the prepared export (its code, the time it was prepared): never what it holds.


def _describe_export(export, recipient):
    slug = export.practice.slug
    return registry.Description(
        practice=export.practice,
        label="",
        path=registry.reverse_first(
            [("data_export_page", {"slug": slug}), ("practice_home", {"slug": slug})]
        ),
    )


def _export_text(reminder):
    return gettext("Your data export from %(practice)s is ready to download.") % {
        "practice": reminder.practice.name
    }


def _export_still_ready(reminder):
    """Only the export it announces, while it can be downloaded (not prepared again, not
    expired, not erased)."""

    return PreparedExport.objects.filter(
        code=reminder.object_code,
        prepared_at=registry.occasion_time(reminder),
        expires_at__gt=now(),
    ).exists()


def data_export_ready_schedule(export):
    """Call in the transaction that stores the prepared export: its client hears it is ready."""
    return reminder_schedule(
        kind=DATA_EXPORT_READY,
        recipient=export.client,
        obj=export,
        occasion=f"ready:{export.prepared_at.isoformat()}",
        due_at=export.prepared_at,
    )


registry.register(
    registry.Kind(
        name=DATA_EXPORT_READY,
        label=_("Your data export is ready"),
        describe=_describe_export,
        text=_export_text,
        is_current=_export_still_ready,
    )
)
