"""Demo step: programs at every stage of the lifecycle for the demo practice.

settings.DEMO_EXTENSIONS += ["programs.demo.build"]. Idempotent: a client who already has a
proposal is left alone, so a second run changes nothing. Everything goes through the services,
as the pages would, so the timeline of each program is real: no program without an accepted
contract and a chosen coach. Held sessions get every part (sessions.demo.fill_held) before a
program pauses or graduates. Twelve clients: one at each early stage, four active (one with a
session today, one whose latest check-out is not done yet, one near graduation whose contract
ends soon), one paused, one graduated; the sponsor pays for two.
"""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from sessions import demo as sessions_demo
from sessions import scheduling
from sessions.models import Session

from . import services
from .models import ChemistryMeeting, CoachProfile, ContractAcceptance, Proposal

Party = ContractAcceptance.Party

ADMIN = "admin@cahaya.example"
SPONSOR = "hendra.gunawan@nusantara-energi.example"

# client email -> (stage, coach email or None, sponsored?)
STAGES = [
    ("yoga.pratama@example.id", "proposal_draft", None, False),
    ("maya.kusuma@example.id", "proposal_sent", None, False),
    ("intan.permata@example.id", "proposal_accepted", None, False),
    ("fajar.nugroho@example.id", "contract_sent", None, False),
    ("lestari.wulandari@example.id", "chemistry", "coach.ayu@cahaya.example", False),
    ("andi.saputra@nusantara-energi.example", "active", "coach.rina@cahaya.example", True),
    ("siti.rahma@nusantara-energi.example", "paused", "coach.budi@cahaya.example", True),
    ("rudi.hartono@bank-mandala.example", "graduated", "coach.rina@cahaya.example", False),
    ("dian.anggraini@example.id", "active", "coach.rina@cahaya.example", False),
    ("rizky.ramadhan@example.id", "active", "coach.rina@cahaya.example", False),
    ("nina.marlina@example.id", "active", "coach.ayu@cahaya.example", False),
    ("agus.setiawan@example.id", "active", "coach.budi@cahaya.example", False),
]

# The shape of each program that has sessions (the others keep the defaults below):
# days from the contract's start to the first session, before today; sessions; spacing in
# days; contract months; whether the latest held session's check-out is left to do.
# dian's third session is today, two hours from the build ("first": None, see _first).
SHAPES = {
    "andi.saputra@nusantara-energi.example": {"start": 60, "first": 50},
    "siti.rahma@nusantara-energi.example": {"start": 60, "first": 50},
    "rudi.hartono@bank-mandala.example": {"start": 120, "first": 110, "count": 3, "spacing": 28},
    "dian.anggraini@example.id": {"start": 52, "first": None},
    "rizky.ramadhan@example.id": {"start": 50, "first": 43, "unfinished": True},
    "nina.marlina@example.id": {"start": 40, "first": 30, "spacing": 14},
    "agus.setiawan@example.id": {
        "start": 80,
        "first": 75,
        "count": 4,
        "spacing": 28,
        "months": 3,
    },
}
DEFAULT_SHAPE = {"start": 60, "first": 50, "count": 6, "spacing": 21, "months": 6}

ORDER = [
    "proposal_draft",
    "proposal_sent",
    "proposal_accepted",
    "contract_sent",
    "chemistry",
    "active",
    "paused",
    "graduated",
]

NEEDS = {
    "yoga.pratama@example.id": "Saya ingin lebih percaya diri saat memimpin rapat.",
    "maya.kusuma@example.id": "I want to find my direction after returning from leave.",
    "intan.permata@example.id": "Saya baru menjadi manajer dan ingin belajar mendelegasikan.",
    "fajar.nugroho@example.id": "I want to prepare for a move into a regional role.",
    "lestari.wulandari@example.id": "Saya ingin menyeimbangkan pekerjaan dan keluarga.",
    "andi.saputra@nusantara-energi.example": "Saya ingin memimpin tim baru dengan tenang.",
    "siti.rahma@nusantara-energi.example": "I want to handle conflict in my team better.",
    "rudi.hartono@bank-mandala.example": "Saya ingin berkomunikasi lebih jelas dengan direksi.",
    "dian.anggraini@example.id": "Saya ingin memimpin perubahan di unit saya tanpa kehilangan tim.",
    "rizky.ramadhan@example.id": "Saya ingin berani menyampaikan pendapat kepada atasan.",
    "nina.marlina@example.id": "Saya ingin mengatur energi agar tidak mudah lelah.",
    "agus.setiawan@example.id": "Saya ingin menyiapkan diri menjadi kepala cabang.",
}


def _at(day, hour, tz):
    return datetime.combine(day, time(hour), tzinfo=tz)


# What clients read beside each candidate at chemistry (#13), in both languages.
PROFILES = {
    "coach.rina@cahaya.example": {
        "bio_en": "Former HR director; coaches new leaders through their first year.",
        "bio_id": "Mantan direktur SDM; mendampingi pemimpin baru di tahun pertama mereka.",
        "specialties_en": "Leadership transitions, delegation",
        "specialties_id": "Transisi kepemimpinan, delegasi",
        "languages": "Bahasa Indonesia, English",
        "icf_level": "PCC",
        "icf_number": "PCC-0012345",
        "years_coaching": 9,
    },
    "coach.budi@cahaya.example": {
        "bio_en": "Engineer turned coach; works with technical managers on communication.",
        "bio_id": "Insinyur yang menjadi coach; bekerja dengan manajer teknis soal komunikasi.",
        "specialties_en": "Communication, managing former peers",
        "specialties_id": "Komunikasi, memimpin mantan rekan kerja",
        "languages": "Bahasa Indonesia, English, Basa Jawa",
        "icf_level": "ACC",
        "icf_number": "ACC-0067890",
        "years_coaching": 4,
    },
}


def build(*, practice, people):
    if ADMIN not in people:
        return
    admin = people[ADMIN]
    sponsor = people.get(SPONSOR)
    tz = ZoneInfo(practice.timezone)
    today = timezone.localdate()
    for email, profile in PROFILES.items():
        coach = people.get(email)
        if (
            coach is not None
            and not CoachProfile.objects.filter(practice=practice, coach=coach).exists()
        ):
            services.coach_profile_save(practice=practice, actor=coach, **profile)
    for index, (email, stage, coach_email, sponsored) in enumerate(STAGES):
        client = people.get(email)
        if client is None or Proposal.objects.filter(practice=practice, client=client).exists():
            continue
        _build_one(
            practice=practice,
            admin=admin,
            client=client,
            sponsor=sponsor if sponsored else None,
            coach=people.get(coach_email),
            stage=stage,
            today=today,
            tz=tz,
            hour=8 + index % 9,
        )


def _reached(stage, step):
    return ORDER.index(stage) >= ORDER.index(step)


def _first(shape, starts_on, today, tz, hour):
    """The first session's start: `first` days ago at the client's hour, or (None) so that
    the third session falls two hours from now (a session on today's dashboards)."""
    if shape["first"] is not None:
        return _at(today - timedelta(days=shape["first"]), hour, tz)
    soon = timezone.localtime(timezone.now(), tz).replace(minute=0, second=0, microsecond=0)
    return soon + timedelta(hours=2) - timedelta(days=2 * shape["spacing"])


def _build_one(*, practice, admin, client, sponsor, coach, stage, today, tz, hour):
    shape = {**DEFAULT_SHAPE, **SHAPES.get(client.email, {})}
    sessions_count = shape["count"]
    starts_on = today - timedelta(days=shape["start"])
    proposal = services.proposal_create(
        practice=practice,
        actor=admin,
        client=client,
        sponsor=sponsor,
        origin="demand_led" if hour % 2 else "supply_driven",
        need=NEEDS[client.email],
        duration=shape["months"],
        sessions_count=sessions_count,
        session_minutes=90,
        cadence="monthly",
        price_minor=15_000_000 if sponsor else 9_000_000,
        currency=practice.currency,
        expires_on=today + timedelta(days=14),
    )
    if stage == "proposal_draft":
        return
    services.proposal_send(proposal=proposal, actor=admin)
    if stage == "proposal_sent":
        return
    services.proposal_respond(proposal=proposal, actor=client, accept=True)
    if sponsor:
        services.proposal_respond(proposal=proposal, actor=sponsor, accept=True)
    if stage == "proposal_accepted":
        return
    contract = services.contract_create(proposal=proposal, actor=admin, starts_on=starts_on)
    services.contract_change_terms(
        contract=contract,
        actor=admin,
        payment_terms="50% sebelum sesi pertama, 50% setelah sesi ketiga.",
        termination_clause=(
            "Masing-masing pihak dapat mengakhiri program dengan pemberitahuan tertulis "
            "14 hari sebelumnya."
        ),
        other_conditions="",
    )
    services.contract_send(contract=contract, actor=admin)
    parties = [(Party.CLIENT, client)]
    if stage != "contract_sent":
        parties.append((Party.PRACTICE, admin))
        if sponsor:
            parties.append((Party.SPONSOR, sponsor))
    for party, user in parties:
        services.contract_accept(contract=contract, version_number=1, party=party, actor=user)
    if stage == "contract_sent":
        return
    meeting_day = starts_on - timedelta(days=7) if stage != "chemistry" else today + timedelta(2)
    when = _at(meeting_day, hour, tz)
    soon = timezone.now() + timedelta(hours=1)
    # A chemistry meeting is never proposed in the past: a past one is proposed at a free
    # time far ahead (a day of its own per client, so one coach's candidates never clash),
    # then dated back to when it was held.
    placeholder = timezone.now() + timedelta(days=500 + client.pk % 1000)
    meeting = services.chemistry_propose(
        contract=contract,
        coach=coach,
        actor=admin,
        starts_at=when if when >= soon else placeholder,
        place="https://meet.example.id/cahaya",
    )
    if when < soon:
        # The demo's history: this meeting was held weeks ago.
        ChemistryMeeting.objects.filter(pk=meeting.pk).update(starts_at=when)
        meeting.starts_at = when
    if stage == "chemistry":
        return
    services.chemistry_record_outcome(
        meeting=meeting, actor=client, rapport=5, compatible=True, note=""
    )
    services.chemistry_record_outcome(
        meeting=meeting, actor=coach, rapport=4, compatible=True, note=""
    )
    program = services.chemistry_choose(meeting=meeting, actor=client)
    services.program_update_theme(
        program=program,
        actor=coach,
        reason="",
        theme="Memimpin dengan tenang dan jelas",
        aims="Lebih banyak mendelegasikan; bersuara lebih awal dalam rapat.",
        current_state="Sering kewalahan; memutuskan sendiri.",
        future_state="Tenang, dipercaya, berbagi keputusan dengan tim.",
    )
    objectives = [
        services.objective_add(
            program=program,
            actor=coach,
            text="Mendelegasikan dua proyek kepada tim",
            measure="Dua proyek dipimpin orang lain di akhir program",
        ),
        services.objective_add(
            program=program,
            actor=coach,
            text="Bersuara lebih awal dalam rapat pimpinan",
            measure="Menyampaikan pendapat di tiga rapat berturut-turut",
        ),
    ]
    scheduling.sessions_schedule(
        program=program,
        actor=admin,
        starts=scheduling.series_starts(
            first=_first(shape, starts_on, today, tz, hour),
            count=sessions_count,
            spacing_days=shape["spacing"],
        ),
        format=Session.Format.VIDEO,
        video_link="https://meet.example.id/cahaya",
    )
    # Sessions in the past were held, with every part written (sessions.demo), before the
    # program pauses or graduates (an ended program's notes cannot change).
    past = program.sessions.filter(starts_at__lt=timezone.now())
    past.update(status=Session.Status.HELD, status_changed_at=timezone.now())
    sessions_demo.fill_held(
        program,
        list(past),
        unfinished_last=shape.get("unfinished", False),
        closing=stage == "graduated",
    )
    if stage == "paused":
        services.program_transition(
            program=program,
            actor=coach,
            name="pause",
            reason="Dirujuk ke konselor untuk sementara",
        )
    elif stage == "graduated":
        services.objective_review(
            objective=objectives[0],
            actor=coach,
            result="achieved",
            note="Kedua proyek sudah didelegasikan.",
        )
        services.objective_review(
            objective=objectives[1],
            actor=coach,
            result="achieved",
            note="Bersuara di setiap rapat pimpinan sejak bulan kedua.",
        )
        services.program_graduate(
            program=program,
            actor=coach,
            summary="Klien kini berkomunikasi dengan lebih jelas dan tenang di hadapan direksi.",
        )
