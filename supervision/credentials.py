"""ICF's credential requirements of coaching experience, and how far a coach's logged hours
go toward each (ICF, "Credentialing requirements": ACC, PCC, MCC).

ICF asks for coaching hours (most of them paid) with a minimum number of clients; pro-bono
hours count toward the total. The hours come from the ICF client-hours log (ethics.icf: the
coach's held sessions in this practice). Training, mentor coaching and the exam are separate
requirements, not counted here.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Credential:
    code: str
    name: object
    hours: int
    paid_hours: int
    clients: int


CREDENTIALS = [
    Credential("ACC", _("Associate Certified Coach (ACC)"), 100, 75, 8),
    Credential("PCC", _("Professional Certified Coach (PCC)"), 500, 450, 25),
    Credential("MCC", _("Master Certified Coach (MCC)"), 2500, 2250, 35),
]


def _percent(have, need):
    return min(100, int(Decimal(have) * 100 / Decimal(need))) if need else 100


def credential_progress(rows):
    """rows: ethics.icf.icf_hours_rows (one per client). Totals and, per credential, what is
    met and what is still missing."""
    paid = sum((row["paid_hours"] for row in rows), Decimal("0"))
    pro_bono = sum((row["pro_bono_hours"] for row in rows), Decimal("0"))
    individual = sum(
        (row["paid_hours"] + row["pro_bono_hours"] for row in rows if row["kind"] == "Individual"),
        Decimal("0"),
    )
    total = paid + pro_bono
    clients = len(rows)
    totals = {
        "total": total,
        "paid": paid,
        "pro_bono": pro_bono,
        "individual": individual,
        "group": total - individual,
        "clients": clients,
    }
    progress = []
    for credential in CREDENTIALS:
        missing_hours = max(Decimal("0"), credential.hours - total)
        missing_paid = max(Decimal("0"), credential.paid_hours - paid)
        missing_clients = max(0, credential.clients - clients)
        progress.append(
            {
                "credential": credential,
                "percent": _percent(total, credential.hours),
                "missing_hours": missing_hours,
                "missing_paid": missing_paid,
                "missing_clients": missing_clients,
                "met": not (missing_hours or missing_paid or missing_clients),
            }
        )
    return totals, progress
