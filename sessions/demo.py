"""Demo content of held sessions: every part filled in Indonesian, as a coach would.

programs.demo builds the programs through the lifecycle and calls fill_held() for each
program's held sessions before it closes anything (a graduated program's notes cannot change).
Listed in settings.DEMO_EXTENSIONS as "sessions.demo.build": it fills held sessions that have
no check-in yet (a database from an older demo) and is otherwise a no-op, so a second run
changes nothing. Ratings rise from session to session (the progress chart draws a curve);
the tasks of earlier sessions are done with a comment, the latest session's are open.
"""

from datetime import timedelta

from coaching.access import PracticeAccess, Role
from ethics import access as gate
from programs.models import Program

from . import services
from .models import ActionItem, CheckIn, CheckOut, ConversationNote, Preparation, Session

# One entry per session number (1, 2, 3, ...; the last is reused beyond).
CONTENT = [
    {
        "reflection": "Saya ingin lebih banyak bertanya dan tidak buru-buru memberi saran.",
        "since": "Minggu pertama setelah kontrak; klien bersemangat tetapi ragu.",
        "goal": "Memahami apa yang membuat delegasi terasa sulit",
        "agenda": "Cerita minggu ini; pola yang berulang; satu langkah kecil",
        "note": "Klien takut kehilangan kendali atas kualitas pekerjaan tim.",
        "on_theme": ConversationNote.OnTheme.YES,
        "confirmations": "Klien menyadari pola mengambil alih pekerjaan tim.",
        "aha": "Kendali atas hasil tidak sama dengan kendali atas cara.",
        "insights": "Rasa takut gagal membuatnya memutuskan sendiri.",
        "take_aways": "Delegasi dimulai dari kejelasan hasil, bukan cara.",
        "behaviours": "Menulis satu brief singkat sebelum mendelegasikan.",
        "client_task": "Menulis daftar tugas yang bisa didelegasikan",
        "coach_task": "Mengirim artikel tentang delegasi",
    },
    {
        "reflection": "Sesi lalu saya terlalu cepat menyimpulkan; kali ini beri ruang hening.",
        "since": "Sudah mendelegasikan satu laporan; hasilnya lebih baik dari dugaan.",
        "goal": "Mencoba satu delegasi nyata minggu ini",
        "agenda": "Refleksi delegasi pertama; hambatan; rencana minggu depan",
        "note": "Percakapan sempat bergeser ke konflik dengan atasan.",
        "on_theme": ConversationNote.OnTheme.PARTLY,
        "confirmations": "Delegasi pertama berhasil tanpa campur tangan.",
        "aha": "Tim justru senang diberi kepercayaan.",
        "insights": "Konflik dengan atasan memengaruhi kepercayaan diri.",
        "take_aways": "Percaya dulu, periksa hasil di akhir.",
        "behaviours": "Bertanya 'apa yang kamu butuhkan dari saya?' kepada tim.",
        "client_task": "Mendelegasikan laporan mingguan kepada satu anggota tim",
        "coach_task": "Menyiapkan latihan peran untuk sesi berikutnya",
    },
    {
        "reflection": "Siapkan latihan peran; perhatikan energi klien di awal sesi.",
        "since": "Dua delegasi berjalan; satu perlu diulang.",
        "goal": "Berlatih memberi umpan balik",
        "agenda": "Latihan peran; umpan balik; komitmen",
        "note": "Latihan peran berjalan baik; klien lebih tenang dan jelas.",
        "on_theme": ConversationNote.OnTheme.YES,
        "confirmations": "Klien mampu memberi umpan balik yang spesifik.",
        "aha": "Umpan balik singkat lebih mudah diterima daripada yang panjang.",
        "insights": "Tim menunggu arahan yang jelas, bukan kontrol.",
        "take_aways": "Umpan balik singkat dan sering.",
        "behaviours": "Satu umpan balik positif dan satu korektif setiap Jumat.",
        "client_task": "Memberi umpan balik kepada dua anggota tim",
        "coach_task": "Merangkum kemajuan untuk laporan sponsor",
    },
    {
        "reflection": "Klien sudah jauh berkembang; fokus pada keberlanjutan.",
        "since": "Rapat direksi berjalan baik; klien bersuara lebih awal.",
        "goal": "Menjaga kebiasaan baru setelah program selesai",
        "agenda": "Tinjauan sasaran; rencana lanjutan; penutupan",
        "note": "Klien merancang rutinitas refleksi mingguan sendiri.",
        "on_theme": ConversationNote.OnTheme.YES,
        "confirmations": "Kedua sasaran hampir tercapai.",
        "aha": "Refleksi rutin menjaga perubahan tetap hidup.",
        "insights": "Dukungan rekan sejawat membantu keberlanjutan.",
        "take_aways": "Rutinitas kecil menjaga perubahan besar.",
        "behaviours": "Lima belas menit refleksi setiap Jumat sore.",
        "client_task": "Menyusun rencana pengembangan 90 hari berikutnya",
        "coach_task": "",
    },
]


def _score(index, position):
    """Ratings that rise session by session (a curve), the second objective a step behind."""
    return max(0, min(10, 3 + 2 * index - position))


def fill_held(program, sessions, *, unfinished_last=False, closing=False):
    """Writes every part of the given held sessions of the program, through the services (as
    the coach's pages would). With unfinished_last, the latest session has its check-in and
    notes but no check-out yet (the coach's dashboard lists it); with closing (a program about
    to graduate), the latest session's tasks are done too."""
    coach, client = program.coach, program.client
    access = PracticeAccess(user=coach, practice=program.practice, roles=frozenset({Role.COACH}))
    objectives = list(
        gate.objectives_visible_to(access, programs=[program]).filter(is_retired=False)
    )
    save = services.session_part_save
    sessions = sorted(sessions, key=lambda s: s.starts_at)
    earlier_tasks = []
    for index, session in enumerate(sessions):
        text = CONTENT[min(index, len(CONTENT) - 1)]
        last = index == len(sessions) - 1
        for task in earlier_tasks:
            actor = client if task.assignee == ActionItem.Assignee.CLIENT else coach
            services.action_item_complete(item=task, comment="Sudah, berjalan baik.", actor=actor)
        earlier_tasks = []
        save(instance=Preparation(session=session, reflection=text["reflection"]), actor=coach)
        save(
            instance=CheckIn(
                session=session,
                client_readiness=min(10, 6 + index),
                coach_readiness=8,
                since_last_time=text["since"],
                goal=text["goal"],
                agenda=text["agenda"],
            ),
            actor=coach,
        )
        drifted = text["on_theme"] != ConversationNote.OnTheme.YES
        save(
            instance=ConversationNote(
                session=session,
                text=text["note"],
                on_theme=text["on_theme"],
                drift_reason=ConversationNote.DriftReason.NEW_CIRCUMSTANCES if drifted else "",
                drift_text="Atasan baru mengubah prioritas tim." if drifted else "",
            ),
            actor=coach,
        )
        earlier_tasks.append(
            save(
                instance=ActionItem(
                    session=session,
                    text=text["client_task"],
                    due_on=(session.starts_at + timedelta(days=7)).date(),
                ),
                actor=coach,
            )
        )
        if text["coach_task"]:
            earlier_tasks.append(
                save(
                    instance=ActionItem(
                        session=session,
                        text=text["coach_task"],
                        assignee=ActionItem.Assignee.COACH,
                        due_on=(session.starts_at + timedelta(days=3)).date(),
                    ),
                    actor=coach,
                )
            )
        if last and unfinished_last:
            continue
        check_out = gate.part_for_writing(access, session, CheckOut)
        check_out.confirmations = text["confirmations"]
        check_out.aha_moments = text["aha"]
        check_out.insights = text["insights"]
        check_out.take_aways = text["take_aways"]
        check_out.new_behaviours = text["behaviours"]
        save(instance=check_out, actor=coach)
        services.ratings_save(
            session=session,
            scores={o: _score(index, position) for position, o in enumerate(objectives)},
            actor=coach,
        )
    if closing:
        for task in earlier_tasks:
            actor = client if task.assignee == ActionItem.Assignee.CLIENT else coach
            services.action_item_complete(item=task, comment="Selesai.", actor=actor)


def build(*, practice, people):
    """Fills the held sessions of the practice's open programs that have no check-in yet."""
    programs = Program.objects.filter(
        practice=practice, status__in=[Program.Status.ACTIVE, Program.Status.PAUSED]
    ).select_related("coach", "client", "practice")
    for program in programs:
        held = list(
            Session.objects.filter(program=program, status=Session.Status.HELD, check_in=None)
        )
        if held and len(held) == program.sessions.filter(status=Session.Status.HELD).count():
            fill_held(program, held)
