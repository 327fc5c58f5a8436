"""The ICF client-hours log, built from held sessions: one row per client of the coach.

Paid or pro bono: a program is pro bono when it has a ProBonoProgram marker (the programs
app holds no price this app can read); all others count as paid. Every session here is
individual coaching (group size 1).
"""

import csv
import io
import zoneinfo
from decimal import Decimal

from django.core.exceptions import ObjectDoesNotExist

from sessions.models import Session

COLUMNS = [
    "Client",
    "Individual/Group",
    "Group size",
    "Start date",
    "End date",
    "Paid hours",
    "Pro bono hours",
]


def _hours(minutes):
    return (Decimal(minutes) / Decimal(60)).quantize(Decimal("0.01"))


def icf_hours_rows(*, access, anonymise=False):
    """The coach's held sessions in this practice, summed per client, by first session."""
    held = (
        Session.objects.filter(
            program__practice=access.practice,
            coach=access.user,
            status=Session.Status.HELD,
        )
        .select_related("client", "program__pro_bono")
        .order_by("starts_at", "id")
    )
    # One query for the sessions (the pro-bono marker joins in); summing happens here.
    per_client = {}
    for session in held:
        row = per_client.setdefault(
            session.client_id,
            {
                "client": session.client.display_name,
                "start": session.starts_at,
                "end": session.starts_at,
                "paid_minutes": 0,
                "pro_bono_minutes": 0,
            },
        )
        row["end"] = max(row["end"], session.starts_at)
        row["start"] = min(row["start"], session.starts_at)
        if _is_pro_bono(session.program):
            row["pro_bono_minutes"] += session.duration_minutes
        else:
            row["paid_minutes"] += session.duration_minutes
    tz = access.practice.timezone
    rows = []
    for number, row in enumerate(per_client.values(), start=1):
        rows.append(
            {
                "client": f"Client {number}" if anonymise else row["client"],
                "kind": "Individual",
                "group_size": 1,
                "start": _local_date(row["start"], tz),
                "end": _local_date(row["end"], tz),
                "paid_hours": _hours(row["paid_minutes"]),
                "pro_bono_hours": _hours(row["pro_bono_minutes"]),
            }
        )
    return rows


def _is_pro_bono(program):
    try:
        return program.pro_bono is not None
    except ObjectDoesNotExist:  # no marker row: a paid program
        return False


def _local_date(moment, tz_name):

    return moment.astimezone(zoneinfo.ZoneInfo(tz_name)).date()


def _cell(value):
    """A text cell a spreadsheet would run as a formula (=, +, -, @, or a tab or carriage
    return before one) is prefixed with an apostrophe, as OWASP advises for CSV injection."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def icf_hours_csv(rows):
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow(
            [
                _cell(row["client"]),
                _cell(row["kind"]),
                row["group_size"],
                row["start"].isoformat(),
                row["end"].isoformat(),
                f"{row['paid_hours']:.2f}",
                f"{row['pro_bono_hours']:.2f}",
            ]
        )
    return out.getvalue()
