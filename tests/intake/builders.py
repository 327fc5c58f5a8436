"""Questionnaires built through the services, as an admin would."""

import re

from django.core import mail
from django.test import TestCase

from coaching.access import PracticeAccess, Role
from intake import services
from intake.models import Question, Questionnaire, RaterInvitation


def access_of(world, persona, role=None):
    user = world.persona(persona)
    return PracticeAccess(
        user=user, practice=world.practice, roles=frozenset({role or persona.replace("other_", "")})
    )


def admin_access(world):
    return PracticeAccess(user=world.admin, practice=world.practice, roles=frozenset({Role.ADMIN}))


INTAKE_QUESTIONS = [
    {
        "type": "long_text",
        "text_en": "What brings you to coaching?",
        "text_id": "Apa yang membawa Anda ke coaching?",
    },
    {
        "type": "scale",
        "text_en": "How confident are you leading your team?",
        "text_id": "Seberapa yakin Anda memimpin tim?",
        "scale_min": 1,
        "scale_max": 5,
        "anchor_low_en": "not at all",
        "anchor_low_id": "sama sekali tidak",
        "anchor_high_en": "fully",
        "anchor_high_id": "sepenuhnya",
    },
    {
        "type": "single",
        "text_en": "Have you been coached before?",
        "text_id": "Pernahkah Anda di-coaching sebelumnya?",
        "choices_en": "Yes\nNo",
        "choices_id": "Ya\nTidak",
    },
    {
        "type": "multiple",
        "text_en": "What matters most to you?",
        "text_id": "Apa yang paling penting bagi Anda?",
        "choices_en": "Family\nCareer\nHealth",
        "choices_id": "Keluarga\nKarier\nKesehatan",
        "required": False,
    },
    {
        "type": "date",
        "text_en": "When did you start your role?",
        "text_id": "Kapan Anda mulai menjabat?",
        "required": False,
    },
    {
        "type": "text",
        "text_en": "What should we avoid?",
        "text_id": "Apa yang harus kita hindari?",
        "required": False,
    },
]

RATER_QUESTIONS = [
    {
        "type": "scale",
        "text_en": "How well does this person listen?",
        "text_id": "Seberapa baik orang ini mendengarkan?",
        "scale_min": 1,
        "scale_max": 5,
    },
    {
        "type": "long_text",
        "text_en": "What should this person keep doing?",
        "text_id": "Apa yang sebaiknya terus dilakukan orang ini?",
    },
]


def questionnaire(world, kind=Questionnaire.Kind.INTAKE, questions=None, *, publish=True):
    access = admin_access(world)
    q = services.questionnaire_create(
        access=access, kind=kind, title_en=f"{kind} form", title_id=f"formulir {kind}"
    )
    draft = services.draft_of(q)
    default = RATER_QUESTIONS if kind == Questionnaire.Kind.RATER else INTAKE_QUESTIONS
    for spec in questions or default:
        services.question_add(access=access, version=draft, question=Question(**spec))
    if publish:
        services.version_publish(access=access, questionnaire=q)
    return q


def invite(world, program, group, email, language="id"):
    """The client invites a rater; returns the link's token (taken from the email sent)."""
    before = len(mail.outbox)
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.rater_invite(
            access=access_of(world, "client"),
            program=program,
            group=group,
            email=email,
            language=language,
        )
    return token_from(mail.outbox[before])


def token_from(message):
    return re.search(r"/360/r/([^/\s]+)/", message.body).group(1)


def invitation_count(program):
    return RaterInvitation.objects.filter(round__program=program).count()


def keyed(version, *values):
    """Answers (form data) by the questions' order: {question key: value}, None skipped."""
    questions = list(version.questions.all())
    return {q.key: v for q, v in zip(questions, values, strict=False) if v is not None}
