"""Demo step: programs with past sessions (with notes, tasks and ratings) and upcoming ones.

Listed in settings.DEMO_EXTENSIONS as "sessions.demo.build". Idempotent: a program that
already has sessions is left alone, and a client who already has a program keeps it.
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils.timezone import now

from programs.models import Objective, Program

from . import services
from .models import ActionItem, CheckIn, CheckOut, ConversationNote, Preparation, Session

# client, coach, sponsor, theme, objectives
DEMO_PROGRAMS = [
    (
        "andi.saputra@nusantara-energi.example",
        "coach.rina@cahaya.example",
        "hendra.gunawan@nusantara-energi.example",
        "[Demo] Memimpin tim baru dengan percaya diri",
        ["Mendelegasikan laporan mingguan", "Memberi umpan balik setiap minggu"],
    ),
    (
        "yoga.pratama@example.id",
        "coach.budi@cahaya.example",
        None,
        "[Demo] Transisi karier ke manajemen produk",
        ["Menyusun rencana 90 hari", "Membangun jaringan dengan lima mentor"],
    ),
]

PAST = [
    {
        "goal": "Memahami apa yang membuat delegasi terasa sulit",
        "note": "Klien takut kehilangan kendali atas kualitas.",
        "take_aways": "Delegasi dimulai dari kejelasan hasil, bukan cara.",
        "behaviours": "Menulis satu brief singkat sebelum mendelegasikan.",
        "client_task": "Menulis daftar tugas yang bisa didelegasikan",
        "coach_task": "Mengirim artikel tentang delegasi",
        "scores": [3, 4],
        "on_theme": ConversationNote.OnTheme.YES,
    },
    {
        "goal": "Mencoba satu delegasi nyata minggu ini",
        "note": "Percakapan bergeser ke konflik dengan atasan.",
        "take_aways": "Konflik dengan atasan memengaruhi kepercayaan diri.",
        "behaviours": "Bertanya 'apa yang kamu butuhkan dari saya?' ke tim.",
        "client_task": "Mendelegasikan laporan mingguan ke Siti",
        "coach_task": "Menyiapkan latihan peran untuk sesi berikutnya",
        "scores": [5, 4],
        "on_theme": ConversationNote.OnTheme.PARTLY,
    },
    {
        "goal": "Berlatih memberi umpan balik",
        "note": "Latihan peran berjalan baik; klien lebih tenang.",
        "take_aways": "Umpan balik singkat dan sering lebih mudah diterima.",
        "behaviours": "Satu umpan balik positif dan satu korektif setiap Jumat.",
        "client_task": "Memberi umpan balik ke dua anggota tim",
        "coach_task": "",
        "scores": [6, 6],
        "on_theme": ConversationNote.OnTheme.YES,
    },
]


def _at(day, hour, tz):
    return datetime.combine(day, time(hour, 0), tzinfo=ZoneInfo(tz))


def _program(practice, client, coach, sponsor, theme, objectives):
    program = Program.objects.filter(practice=practice, client=client).first()
    if program is None:
        program = Program.objects.create(
            practice=practice,
            client=client,
            coach=coach,
            sponsor=sponsor,
            theme=theme,
            starts_on=date.today() - timedelta(weeks=7),
        )
    if not program.objectives.exists():
        for position, text in enumerate(objectives):
            Objective.objects.create(program=program, position=position, text=text)
    return program


def _held_session(program, number, starts_at, content, objectives):
    coach, client = program.coach, program.client
    session = Session.objects.create(
        program=program,
        number=number,
        starts_at=starts_at,
        coach=coach,
        client=client,
        place="Ruang Melati, Jakarta",
        format=Session.Format.FACE_TO_FACE,
    )
    save = services.session_part_save
    save(instance=Preparation(session=session, reflection="[Demo] refleksi pribadi"), actor=coach)
    save(
        instance=CheckIn(
            session=session,
            client_readiness=7,
            coach_readiness=8,
            since_last_time="Minggu yang sibuk dengan target kuartal.",
            goal=content["goal"],
            agenda="Cerita minggu ini; latihan; langkah berikutnya",
        ),
        actor=coach,
    )
    drifted = content["on_theme"] != ConversationNote.OnTheme.YES
    save(
        instance=ConversationNote(
            session=session,
            text=content["note"],
            on_theme=content["on_theme"],
            drift_reason=ConversationNote.DriftReason.NEW_CIRCUMSTANCES if drifted else "",
        ),
        actor=coach,
    )
    task = save(
        instance=ActionItem(
            session=session,
            text=content["client_task"],
            due_on=(starts_at + timedelta(days=7)).date(),
        ),
        actor=coach,
    )
    if content["coach_task"]:
        save(
            instance=ActionItem(
                session=session,
                text=content["coach_task"],
                assignee=ActionItem.Assignee.COACH,
                due_on=(starts_at + timedelta(days=3)).date(),
            ),
            actor=coach,
        )
    save(
        instance=CheckOut(
            session=session,
            confirmations="Klien siap mencoba.",
            take_aways=content["take_aways"],
            new_behaviours=content["behaviours"],
        ),
        actor=coach,
    )
    services.ratings_save(
        session=session, scores=dict(zip(objectives, content["scores"], strict=False)), actor=coach
    )
    session.status = Session.Status.HELD
    session.status_changed_at = starts_at + timedelta(hours=1)
    session.status_changed_by = coach
    session.save()
    return task


def build(*, practice, people):
    tz = practice.timezone or "Asia/Jakarta"
    today = now().date()
    for client_email, coach_email, sponsor_email, theme, objective_texts in DEMO_PROGRAMS:
        client, coach = people.get(client_email), people.get(coach_email)
        if client is None or coach is None:
            continue
        program = _program(
            practice, client, coach, people.get(sponsor_email), theme, objective_texts
        )
        if program.sessions.exists():
            continue
        objectives = list(program.objectives.filter(is_retired=False))
        previous_task = None
        for index, content in enumerate(PAST):
            starts_at = _at(today - timedelta(weeks=2 * (len(PAST) - index)), 10, tz)
            if previous_task is not None:
                services.action_item_complete(
                    item=previous_task, comment="Sudah, berjalan baik.", actor=client
                )
            previous_task = _held_session(program, index + 1, starts_at, content, objectives)
        for offset, weeks in enumerate([1, 3]):
            Session.objects.create(
                program=program,
                number=len(PAST) + 1 + offset,
                starts_at=_at(today + timedelta(weeks=weeks), 10, tz),
                coach=coach,
                client=client,
                format=Session.Format.VIDEO,
                video_link="https://meet.example/demo-cahaya",
            )
