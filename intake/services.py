"""Writes of the intake app: questionnaires and their versions, sending and answering them,
stakeholders, 360 invitations and the raters' answers.

Every function validates and refuses with a ValidationError whose message the page shows;
nothing is changed by a refused call.
"""

import hashlib
import secrets
from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils.timezone import now
from django.utils.translation import gettext as _

from coaching import emails
from coaching.access import PracticeAccess

from . import reminders
from .models import (
    MIN_RATER_THRESHOLD,
    TEXT_MAX_LENGTH,
    AlignmentMeeting,
    IntakeSettings,
    Question,
    Questionnaire,
    QuestionnaireVersion,
    RaterAnswer,
    RaterInvitation,
    RaterRound,
    Response,
)

# Questionnaires (the practice's admins) ------------------------------------------------------


def _require_admin(access: PracticeAccess):
    if not access.is_admin:
        raise PermissionDenied


@transaction.atomic
def questionnaire_create(*, access, kind, title_en, title_id):
    _require_admin(access)
    questionnaire = Questionnaire.objects.create(
        practice=access.practice, kind=kind, title_en=title_en, title_id=title_id
    )
    QuestionnaireVersion.objects.create(questionnaire=questionnaire, number=1)
    return questionnaire


def draft_of(questionnaire):
    return questionnaire.versions.filter(published_at=None).order_by("-number").first()


def latest_published(questionnaire):
    return questionnaire.versions.exclude(published_at=None).order_by("-number").first()


@transaction.atomic
def question_add(*, access, version, question):
    """question: an unsaved Question built by the form; added last to a draft version."""
    _require_admin(access)
    version = QuestionnaireVersion.objects.select_for_update().get(pk=version.pk)
    if version.is_frozen:
        raise ValidationError(_("A published version cannot change. Make a new version."))
    if (
        question.type in (Question.Type.SINGLE, Question.Type.MULTIPLE)
        and len(question.choices()) < 2
    ):
        raise ValidationError(_("A choice question needs at least two choices."))
    english = [c for c in question.choices_en.splitlines() if c.strip()]
    indonesian = [c for c in question.choices_id.splitlines() if c.strip()]
    if indonesian and len(indonesian) != len(english):
        raise ValidationError(_("Give as many Indonesian choices as English ones."))
    if question.type == Question.Type.SCALE and not (
        1 <= question.scale_min < question.scale_max <= 10
    ):
        raise ValidationError(_("A scale goes from a lower to a higher number, at most 10."))
    last = version.questions.aggregate(m=Max("position"))["m"] or 0
    question.version = version
    question.position = last + 1
    question.save()
    return question


@transaction.atomic
def question_delete(*, access, question):
    _require_admin(access)
    version = QuestionnaireVersion.objects.select_for_update().get(pk=question.version_id)
    if version.is_frozen:
        raise ValidationError(_("A published version cannot change. Make a new version."))
    question.delete()


@transaction.atomic
def version_publish(*, access, questionnaire):
    _require_admin(access)
    draft = draft_of(questionnaire)
    if draft is None:
        raise ValidationError(_("There is no draft version to publish."))
    if not draft.questions.exists():
        raise ValidationError(_("Add at least one question before publishing."))
    updated = QuestionnaireVersion.objects.filter(pk=draft.pk, published_at=None).update(
        published_at=now()
    )
    if updated != 1:
        raise ValidationError(_("There is no draft version to publish."))
    return draft


@transaction.atomic
def version_new(*, access, questionnaire):
    """A new draft with the latest version's questions: answers given so far keep theirs."""
    _require_admin(access)
    if draft_of(questionnaire) is not None:
        raise ValidationError(_("A draft version already exists: change that one."))
    latest = questionnaire.versions.order_by("-number").first()
    draft = QuestionnaireVersion.objects.create(
        questionnaire=questionnaire, number=(latest.number if latest else 0) + 1
    )
    for question in latest.questions.all() if latest else []:
        question.pk = None
        question.id = None
        question.code = Question._meta.get_field("code").get_default()
        question.version = draft
        question.save()
    return draft


def intake_settings_save(*, access, rater_threshold, feedback_hidden_from_coach):
    _require_admin(access)
    if rater_threshold is None or rater_threshold < MIN_RATER_THRESHOLD:
        raise ValidationError(
            _("A rater group is shown from %(n)s answers at the least.")
            % {"n": MIN_RATER_THRESHOLD}
        )
    row = IntakeSettings.for_practice(access.practice)
    row.rater_threshold = rater_threshold
    row.feedback_hidden_from_coach = feedback_hidden_from_coach
    row.save()
    return row


# Sending and answering ------------------------------------------------------------------------


def _published_version(practice, kind):
    return (
        QuestionnaireVersion.objects.filter(
            questionnaire__practice=practice, questionnaire__kind=kind
        )
        .exclude(published_at=None)
        .order_by("-published_at", "-pk")
        .first()
    )


def response_send(
    *, practice, kind, client, occasion, contract=None, program=None, session=None, stage=""
):
    """The practice's latest published questionnaire of this kind, sent once per occasion
    (a second call returns the first response); None when the practice has none. Call it in
    the transaction of what causes it: the reminder is created with it."""
    version = _published_version(practice, kind)
    if version is None:
        return None
    response, created = Response.objects.get_or_create(
        client=client,
        occasion=occasion,
        defaults={
            "practice": practice,
            "version": version,
            "kind": kind,
            "contract": contract,
            "program": program,
            "session": session,
            "stage": stage,
        },
    )
    if created:
        reminders.questionnaire_waiting_schedule(response)
    return response


def intake_send_for_contract(*, contract):
    """settings.CONTRACT_ACTIVATED_HOOKS: the client's intake, when the contract is active."""
    return response_send(
        practice=contract.practice,
        kind=Questionnaire.Kind.INTAKE,
        client=contract.client,
        occasion=f"intake:{contract.code}",
        contract=contract,
    )


def clean_answers(questions, data):
    """The answers a form cleaned, checked again against the questions as asked: every key a
    question of this version, every value of its type. Returns {question key: value}."""
    answers = {}
    for question in questions:
        value = data.get(question.key)
        if value in (None, "", []):
            if question.required:
                raise ValidationError(_("Answer every required question."))
            continue
        if question.type == Question.Type.SCALE:
            value = int(value)
            if not question.scale_min <= value <= question.scale_max:
                raise ValidationError(_("A scale answer is out of range."))
        elif question.type == Question.Type.SINGLE:
            if str(value) not in dict(question.choices()):
                raise ValidationError(_("Choose one of the choices given."))
            value = str(value)
        elif question.type == Question.Type.MULTIPLE:
            value = [str(v) for v in value]
            if not set(value) <= set(dict(question.choices())):
                raise ValidationError(_("Choose among the choices given."))
        elif question.type == Question.Type.DATE:
            value = value.isoformat() if isinstance(value, date) else str(value)
        else:
            value = str(value)
            if len(value) > TEXT_MAX_LENGTH or "\x00" in value:
                raise ValidationError(_("An answer is too long or holds characters not allowed."))
        answers[question.key] = value
    return answers


@transaction.atomic
def response_submit(*, access, response, data, language):
    """The client's answers, once: a second submission (another tab) is refused."""
    if response.client_id != access.user.pk:
        raise PermissionDenied
    if response.submitted_at is not None:
        raise ValidationError(_("You have already sent these answers."))
    answers = clean_answers(list(response.version.questions.all()), data)
    updated = Response.objects.filter(pk=response.pk, submitted_at=None).update(
        answers=answers, language=language[:8], submitted_at=now()
    )
    if updated != 1:
        raise ValidationError(_("You have already sent these answers."))
    response.refresh_from_db()
    return response


# Stakeholders ---------------------------------------------------------------------------------


def _require_program_staff(access, program):
    if not (access.is_admin or (access.is_coach and program.coach_id == access.user.pk)):
        raise PermissionDenied


def stakeholder_add(*, access, program, stakeholder):
    _require_program_staff(access, program)
    stakeholder.program = program
    stakeholder.save()
    return stakeholder


def stakeholder_remove(*, access, stakeholder, program):
    _require_program_staff(access, program)
    stakeholder.delete()


# 360 feedback ---------------------------------------------------------------------------------


def token_hash(token):
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def rater_invite(*, access, program, group, email, language):
    """The client (only the client) invites a rater; the rater gets a link that works once.
    The email names the practice and the client's first name, never a question or an answer."""
    if not (access.is_client and program.client_id == access.user.pk):
        raise PermissionDenied
    rater_round = RaterRound.objects.filter(program=program).first()
    if rater_round is None:
        version = _published_version(program.practice, Questionnaire.Kind.RATER)
        if version is None:
            raise ValidationError(_("Your practice has no 360 questionnaire yet."))
        rater_round = RaterRound.objects.create(program=program, version=version)
    email = email.strip().lower()
    if email == access.user.email.lower():
        raise ValidationError(_("Invite other people: you cannot rate yourself."))
    if any(i.email == email for i in RaterInvitation.objects.filter(round=rater_round)):
        raise ValidationError(_("This person is already invited."))
    token = secrets.token_urlsafe(32)
    invitation = RaterInvitation.objects.create(
        round=rater_round, group=group, email=email, language=language, token_hash=token_hash(token)
    )
    link = settings.SITE_URL.rstrip("/") + reverse("rater_answer", kwargs={"token": token})
    context = {
        "link": link,
        "client_name": access.user.get_short_name(),
        "practice_name": program.practice.name,
    }
    transaction.on_commit(
        lambda: emails.send("rater_invitation", to=email, context=context, language=language)
    )
    return invitation


def rater_invitation_by_token(token):
    """The invitation of a link, if it still works (not answered); None otherwise."""
    if not token or len(token) > 100:
        return None
    return (
        RaterInvitation.objects.filter(token_hash=token_hash(token), answered_at=None)
        .select_related("round__version", "round__program__practice")
        .first()
    )


@transaction.atomic
def rater_answer_submit(*, invitation, data):
    """The rater's answers, stored with their group only; the link is spent in the same
    transaction (a conditional update: two submissions at once store one answer)."""
    answers = clean_answers(list(invitation.round.version.questions.all()), data)
    spent = RaterInvitation.objects.filter(pk=invitation.pk, answered_at=None).update(
        answered_at=now()
    )
    if spent != 1:
        raise ValidationError(_("This link has already been used."))
    return RaterAnswer.objects.create(
        round=invitation.round, group=invitation.group, answers=answers
    )


def rater_report_share(*, access, rater_round, share):
    """The client decides whether the sponsor sees the 360 report (under their consent)."""
    if not (access.is_client and rater_round.program.client_id == access.user.pk):
        raise PermissionDenied
    RaterRound.objects.filter(pk=rater_round.pk).update(
        shared_with_sponsor_at=now() if share else None
    )


# Assessments and session feedback ---------------------------------------------------------------


def assessment_send(*, access, program, stage):
    """The coach sends the practice's assessment for a stage (start, midpoint, graduation);
    once per stage."""
    if not (access.is_coach and program.coach_id == access.user.pk):
        raise PermissionDenied
    if stage not in (Response.Stage.START, Response.Stage.MIDPOINT, Response.Stage.GRADUATION):
        raise ValidationError(_("Choose the start, the midpoint or graduation."))
    if program.status not in ("active", "paused"):
        raise ValidationError(_("Assessments are sent while the program runs."))
    occasion = f"assessment:{program.code}:{stage}"
    if Response.objects.filter(client_id=program.client_id, occasion=occasion).exists():
        raise ValidationError(_("This assessment has already been sent."))
    with transaction.atomic():
        response = response_send(
            practice=program.practice,
            kind=Questionnaire.Kind.ASSESSMENT,
            client=program.client,
            occasion=occasion,
            program=program,
            stage=stage,
        )
    if response is None:
        raise ValidationError(_("Your practice has no published assessment yet."))
    return response


def feedback_send_for_session(*, session):
    """settings.SESSION_HELD_HOOKS: the client's short feedback on a session just held."""
    return response_send(
        practice=session.program.practice,
        kind=Questionnaire.Kind.FEEDBACK,
        client=session.client,
        occasion=f"feedback:{session.code}",
        program=session.program,
        session=session,
    )


# Three-way alignment ----------------------------------------------------------------------------


@transaction.atomic
def alignment_record(*, access, program, meeting):
    """The coach records a three-way meeting and its agreed goals; one per stage (start,
    end). meeting: an unsaved AlignmentMeeting built by the form (stage, date, who, goals)."""
    if not (access.is_coach and program.coach_id == access.user.pk):
        raise PermissionDenied
    if meeting.with_sponsor and not program.sponsor_id:
        raise ValidationError(_("This program has no sponsor."))
    if meeting.stakeholder_id and meeting.stakeholder.program_id != program.pk:
        raise ValidationError(_("Choose a stakeholder of this program."))
    if not (meeting.with_sponsor or meeting.stakeholder_id):
        raise ValidationError(_("A three-way meeting has the sponsor or a stakeholder too."))
    if not (meeting.agreed_goals or "").strip():
        raise ValidationError(_("Write the goals the three of you agreed."))
    if AlignmentMeeting.objects.filter(program=program, stage=meeting.stage).exists():
        raise ValidationError(_("This meeting is already recorded."))
    meeting.program = program
    meeting.author = access.user
    meeting.save()
    return meeting
