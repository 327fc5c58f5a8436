"""The demo's ethics records: a coach's journal, CCE log and attestation; a client's consents;
an approved progress report for the sponsor.

Listed in settings.DEMO_EXTENSIONS. Idempotent: rows are looked up by their natural keys.
"""

import datetime
from decimal import Decimal

from django.utils.timezone import now

from programs.models import Program

from .consent_texts import consent_text
from .models import CCEEntry, Consent, EthicsAttestation, ProgressReport, ReflectiveJournalEntry

COACH = "coach.rina@cahaya.example"
CLIENT = "andi.saputra@nusantara-energi.example"
SPONSOR = "hendra.gunawan@nusantara-energi.example"

JOURNAL = [
    (
        datetime.date(2026, 9, 3),
        "Saya terlalu cepat menawarkan solusi di sesi ini. Lain kali: bertanya dulu, "
        "biarkan klien menemukan jawabannya sendiri.",
    ),
    (
        datetime.date(2026, 9, 17),
        "Hadir penuh terasa lebih mudah setelah lima menit hening sebelum sesi.",
    ),
]
CCE = [
    (
        datetime.date(2026, 8, 12),
        "core_competencies",
        Decimal("3.00"),
        "ICF Indonesia",
        "Lokakarya kompetensi inti: mendengarkan aktif",
    ),
    (
        datetime.date(2026, 8, 30),
        "resource_development",
        Decimal("1.50"),
        "Cahaya Institute",
        "Webinar manajemen waktu untuk coach",
    ),
]


def demo(*, practice, people):
    coach = people.get(COACH)
    if coach is not None:
        for date, text in JOURNAL:
            if not ReflectiveJournalEntry.objects.filter(
                practice=practice, coach=coach, date=date
            ).exists():
                ReflectiveJournalEntry.objects.create(
                    practice=practice, coach=coach, date=date, text=text
                )
        for date, category, hours, provider, description in CCE:
            CCEEntry.objects.get_or_create(
                practice=practice,
                coach=coach,
                date=date,
                provider=provider,
                defaults={"category": category, "hours": hours, "description": description},
            )
        EthicsAttestation.objects.get_or_create(
            practice=practice,
            coach=coach,
            year=2026,
            defaults={"code_version": "ICF Code of Ethics 2025"},
        )
    client, sponsor = people.get(CLIENT), people.get(SPONSOR)
    if client is not None:
        for kind, to in [
            (Consent.Kind.DATA_PROCESSING, None),
            (Consent.Kind.SPONSOR_SHARING, sponsor),
        ]:
            if kind == Consent.Kind.SPONSOR_SHARING and to is None:
                continue
            if Consent.objects.filter(
                practice=practice, client=client, sponsor=to, kind=kind
            ).exists():
                continue  # given once; a withdrawal in the demo is the user's to keep
            version, text = consent_text(kind, practice=practice, sponsor=to)
            Consent.objects.create(
                practice=practice,
                client=client,
                sponsor=to,
                kind=kind,
                text=text,
                text_version=version,
                language="id",
            )

    if client is not None and sponsor is not None:
        _progress_report(practice, client, sponsor)


REPORT = (
    "Andi hadir di semua sesi yang dijadwalkan dan sudah mendelegasikan laporan mingguan. "
    "Ia kini memberi umpan balik kepada timnya setiap minggu."
)


def _progress_report(practice, client, sponsor):
    """One approved report on the sponsored program (by the client's approval), once."""

    program = Program.objects.filter(practice=practice, client=client, sponsor=sponsor).first()
    if program is None or ProgressReport.objects.filter(program=program).exists():
        return
    ProgressReport.objects.create(
        program=program,
        author=program.coach,
        text=REPORT,
        status=ProgressReport.Status.APPROVED,
        submitted_at=now(),
        approved_at=now(),
    )
