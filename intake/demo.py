"""The demo's questionnaires: the practice's intake, assessment, session feedback and 360
forms (published, in English and Indonesian), and Andi's answered intake.

Listed in settings.DEMO_EXTENSIONS. Idempotent: a kind the practice already has is left alone.
"""

from coaching.access import PracticeAccess, Role
from coaching.accounts.models import Membership
from programs.models import Program

from . import services
from .models import Question, Questionnaire

CLIENT = "andi.saputra@nusantara-energi.example"

SCALE = {"scale_min": 1, "scale_max": 5}
FORMS = {
    Questionnaire.Kind.INTAKE: (
        ("Intake", "Intake"),
        [
            (
                "long_text",
                "What brings you to coaching now?",
                "Apa yang membawa Anda ke coaching saat ini?",
                {},
            ),
            (
                "single",
                "Have you been coached before?",
                "Pernahkah Anda di-coaching sebelumnya?",
                {"choices_en": "Yes\nNo", "choices_id": "Ya\nTidak"},
            ),
            (
                "long_text",
                "Which values guide your work?",
                "Nilai apa yang menuntun pekerjaan Anda?",
                {},
            ),
            (
                "long_text",
                "What should coaching avoid?",
                "Apa yang sebaiknya dihindari dalam coaching?",
                {"required": False},
            ),
        ],
    ),
    Questionnaire.Kind.ASSESSMENT: (
        ("Leadership assessment", "Asesmen kepemimpinan"),
        [
            (
                "scale",
                "Confidence in difficult conversations",
                "Keyakinan dalam percakapan sulit",
                {
                    **SCALE,
                    "anchor_low_en": "low",
                    "anchor_low_id": "rendah",
                    "anchor_high_en": "high",
                    "anchor_high_id": "tinggi",
                },
            ),
            ("scale", "Delegating", "Mendelegasikan", SCALE),
            ("scale", "Listening", "Mendengarkan", SCALE),
        ],
    ),
    Questionnaire.Kind.FEEDBACK: (
        ("Session feedback", "Umpan balik sesi"),
        [
            ("scale", "How useful was this session?", "Seberapa berguna sesi ini?", SCALE),
            ("text", "One thing to change", "Satu hal yang perlu diubah", {"required": False}),
        ],
    ),
    Questionnaire.Kind.RATER: (
        ("360 feedback", "Umpan balik 360"),
        [
            ("scale", "Listens before deciding", "Mendengarkan sebelum memutuskan", SCALE),
            ("scale", "Gives clear direction", "Memberi arahan yang jelas", SCALE),
            (
                "long_text",
                "What should this person keep doing?",
                "Apa yang sebaiknya terus dilakukan orang ini?",
                {"required": False},
            ),
        ],
    ),
}
INTAKE_ANSWERS = [
    "Saya baru memimpin tim yang lebih besar dan ingin lebih tenang dalam mengambil keputusan.",
    "1",
    "Kejujuran, keluarga, dan kerja keras.",
    "",
]


def demo(*, practice, people):
    admin = (
        Membership.objects.filter(practice=practice, role=Role.ADMIN, deactivated_at=None)
        .select_related("user")
        .first()
    )
    if admin is None:
        return
    access = PracticeAccess(user=admin.user, practice=practice, roles=frozenset({Role.ADMIN}))
    for kind, ((title_en, title_id), questions) in FORMS.items():
        if Questionnaire.objects.filter(practice=practice, kind=kind).exists():
            continue
        questionnaire = services.questionnaire_create(
            access=access, kind=kind, title_en=title_en, title_id=title_id
        )
        draft = services.draft_of(questionnaire)
        for type_, text_en, text_id, extra in questions:
            services.question_add(
                access=access,
                version=draft,
                question=Question(type=type_, text_en=text_en, text_id=text_id, **extra),
            )
        services.version_publish(access=access, questionnaire=questionnaire)
    _answered_intake(practice, people.get(CLIENT))


def _answered_intake(practice, client):
    program = Program.objects.filter(practice=practice, client=client).first()
    if client is None or program is None:
        return
    response = services.response_send(
        practice=practice,
        kind=Questionnaire.Kind.INTAKE,
        client=client,
        occasion="demo:intake",
        contract=program.contract,
        program=program,
    )
    if response is None or response.submitted_at is not None:
        return
    client_access = PracticeAccess(user=client, practice=practice, roles=frozenset({Role.CLIENT}))
    questions = list(response.version.questions.all())
    data = {q.key: a for q, a in zip(questions, INTAKE_ANSWERS, strict=False) if a}
    services.response_submit(access=client_access, response=response, data=data, language="id")
