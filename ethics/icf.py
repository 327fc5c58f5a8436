"""The ICF client-hours log, built from held sessions: one row per client of the coach.

Paid or pro bono: a program is pro bono when it has a ProBonoProgram marker (the programs
app holds no price this app can read); all others count as paid. Every session here is
individual coaching (group size 1).
"""

import csv
import io
import zoneinfo
from decimal import Decimal

from django.db.models import Max, Min, Q, Sum
from django.db.models.functions import Coalesce

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
    """The coach's held sessions in this practice, summed per client, by first session.

    Summed in PostgreSQL, one row per client (#11: the export read every held session with
    its program, and decrypted the program's content it never prints)."""
    pro_bono = Q(program__pro_bono__isnull=False)
    per_client = (
        Session.objects.filter(
            program__practice=access.practice,
            coach=access.user,
            status=Session.Status.HELD,
        )
        .values("client_id", "client__full_name", "client__email")
        .annotate(
            start=Min("starts_at"),
            end=Max("starts_at"),
            first_id=Min("id"),
            paid_minutes=Coalesce(Sum("duration_minutes", filter=~pro_bono), 0),
            pro_bono_minutes=Coalesce(Sum("duration_minutes", filter=pro_bono), 0),
        )
        .order_by("start", "first_id")
    )
    tz = access.practice.timezone
    rows = []
    for number, row in enumerate(per_client, start=1):
        name = row["client__full_name"] or row["client__email"]  # User.display_name
        rows.append(
            {
                "client": f"Client {number}" if anonymise else name,
                "kind": "Individual",
                "group_size": 1,
                "start": _local_date(row["start"], tz),
                "end": _local_date(row["end"], tz),
                "paid_hours": _hours(row["paid_minutes"]),
                "pro_bono_hours": _hours(row["pro_bono_minutes"]),
            }
        )
    return rows


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
