"""Pages of the intake app: the admins' questionnaire builder, the clients' answers, program
stakeholders and 360 feedback (the client's, the coach's and, when shared, the sponsor's view),
and the rater's page without an account."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from coaching.access import Role
from coaching.viewkit import practice_view, run_service
from ethics import access as gate

from . import selectors, services
from .forms import (
    AlignmentMeetingForm,
    AnswerForm,
    IntakeSettingsForm,
    QuestionForm,
    QuestionnaireForm,
    RaterInviteForm,
    ShareForm,
    StakeholderForm,
)
from .models import IntakeSettings, Question, Questionnaire, Response, Stakeholder

# The questionnaire builder (admins) ----------------------------------------------------------


def _questionnaire(access, code):
    return get_object_or_404(Questionnaire, practice=access.practice, code=code)


@practice_view(roles=[Role.ADMIN])
def questionnaire_list(request, access):
    form = QuestionnaireForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            request,
            lambda: services.questionnaire_create(access=access, **form.cleaned_data),
            success=_("Questionnaire created. Add its questions, then publish it."),
            form=form,
        )
        if done:
            return redirect("questionnaire_detail", slug=access.practice.slug, code=done.value.code)
    questionnaires = selectors.questionnaire_page(
        access=access, page_number=request.GET.get("page")
    )
    return render(
        request,
        "intake/questionnaire_list.html",
        {"access": access, "form": form, "questionnaires": questionnaires},
    )


@practice_view(roles=[Role.ADMIN])
def questionnaire_detail(request, access, code):
    questionnaire = _questionnaire(access, code)
    draft = services.draft_of(questionnaire)
    form = QuestionForm(request.POST or None)
    if request.method == "POST":
        if draft is None:
            raise Http404
        if form.is_valid() and run_service(
            request,
            lambda: services.question_add(
                access=access, version=draft, question=form.save(commit=False)
            ),
            success=_("Question added."),
            form=form,
        ):
            return redirect("questionnaire_detail", slug=access.practice.slug, code=code)
    versions = list(questionnaire.versions.prefetch_related("questions"))
    return render(
        request,
        "intake/questionnaire_detail.html",
        {
            "access": access,
            "questionnaire": questionnaire,
            "versions": versions,
            "draft": draft,
            "form": form,
            "language": get_language(),
        },
    )


@require_POST
@practice_view(roles=[Role.ADMIN])
def questionnaire_publish(request, access, code):
    questionnaire = _questionnaire(access, code)
    run_service(
        request,
        lambda: services.version_publish(access=access, questionnaire=questionnaire),
        success=_("Published. Answers from now on use this version."),
    )
    return redirect("questionnaire_detail", slug=access.practice.slug, code=code)


@require_POST
@practice_view(roles=[Role.ADMIN])
def questionnaire_new_version(request, access, code):
    questionnaire = _questionnaire(access, code)
    run_service(
        request,
        lambda: services.version_new(access=access, questionnaire=questionnaire),
        success=_("A new draft version holds the questions of the latest one."),
    )
    return redirect("questionnaire_detail", slug=access.practice.slug, code=code)


@require_POST
@practice_view(roles=[Role.ADMIN])
def question_delete(request, access, code):
    question = get_object_or_404(
        Question.objects.select_related("version__questionnaire"),
        version__questionnaire__practice=access.practice,
        code=code,
    )
    run_service(
        request,
        lambda: services.question_delete(access=access, question=question),
        success=_("Question removed."),
    )
    return redirect(
        "questionnaire_detail",
        slug=access.practice.slug,
        code=question.version.questionnaire.code,
    )


@practice_view(roles=[Role.ADMIN])
def intake_settings(request, access):
    form = IntakeSettingsForm(
        request.POST or None, instance=IntakeSettings.for_practice(access.practice)
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and run_service(
            request,
            lambda: services.intake_settings_save(access=access, **form.cleaned_data),
            success=_("Saved."),
            form=form,
        )
    ):
        return redirect("intake_settings", slug=access.practice.slug)
    return render(request, "intake/settings.html", {"access": access, "form": form})


# Answers (clients; their coaches read them) ---------------------------------------------------


@practice_view(roles=[Role.CLIENT, Role.COACH])
def response_list(request, access):
    # The programs the user is the client or the coach of (an admin who coaches too: only
    # their own), filtered in the query: a coach's page read every program in reach (#11).
    own = Q(pk__in=[])
    if access.is_client:
        own |= Q(client=access.user)
    if access.is_coach:
        own |= Q(coach=access.user)
    # Only what the list shows of a program: its code (the links) and the other party's name.
    programs = list(
        gate.programs_for(access)
        .filter(own, status__in=["active", "paused", "graduated"])
        .select_related("client", "coach")
        .only("code", "client__full_name", "client__email", "coach__full_name", "coach__email")
    )
    return render(
        request,
        "intake/response_list.html",
        {
            "access": access,
            "responses": selectors.responses_of(access, page_number=request.GET.get("page")),
            "programs": programs,
        },
    )


@practice_view(roles=[Role.CLIENT])
def response_answer(request, access, code):
    response = gate.get_response_for(access, code, write=True)
    if response.submitted_at is not None:
        messages.info(request, _("You have already sent these answers."))
        return redirect("response_detail", slug=access.practice.slug, code=code)
    language = get_language()
    questions = list(response.version.questions.all())
    form = AnswerForm(request.POST or None, questions=questions, language=language)
    if (
        request.method == "POST"
        and form.is_valid()
        and run_service(
            request,
            lambda: services.response_submit(
                access=access, response=response, data=form.cleaned_data, language=language
            ),
            success=_("Thank you: your answers are sent to your coach."),
            form=form,
        )
    ):
        return redirect("response_detail", slug=access.practice.slug, code=code)
    return render(
        request,
        "intake/response_answer.html",
        {"access": access, "response": response, "form": form, "language": language},
    )


@practice_view(roles=[Role.CLIENT, Role.COACH])
def response_detail(request, access, code):
    response = gate.get_response_for(access, code)
    return render(
        request,
        "intake/response_detail.html",
        {"access": access, "response": response, "rows": selectors.answer_rows(response)},
    )


# Stakeholders ---------------------------------------------------------------------------------


@practice_view(roles=[Role.ADMIN, Role.COACH, Role.CLIENT])
def stakeholders(request, access, code):
    program = gate.get_program_for(access, code)
    if access.is_coach and not access.is_admin and program.coach_id != access.user.pk:
        raise Http404
    can_edit = access.is_admin or program.coach_id == access.user.pk
    form = StakeholderForm(request.POST or None)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid() and run_service(
            request,
            lambda: services.stakeholder_add(
                access=access, program=program, stakeholder=form.save(commit=False)
            ),
            success=_("Stakeholder added."),
            form=form,
        ):
            return redirect("stakeholders", slug=access.practice.slug, code=code)
    return render(
        request,
        "intake/stakeholders.html",
        {
            "access": access,
            "program": program,
            "stakeholders": Stakeholder.objects.filter(program=program),
            "form": form,
            "can_edit": can_edit,
        },
    )


@require_POST
@practice_view(roles=[Role.ADMIN, Role.COACH])
def stakeholder_remove(request, access, code):
    stakeholder = get_object_or_404(
        Stakeholder.objects.select_related("program"),
        program__practice=access.practice,
        code=code,
    )
    program = gate.get_program_for(access, stakeholder.program.code)
    run_service(
        request,
        lambda: services.stakeholder_remove(
            access=access, stakeholder=stakeholder, program=program
        ),
        success=_("Stakeholder removed."),
    )
    return redirect("stakeholders", slug=access.practice.slug, code=program.code)


# 360 feedback ---------------------------------------------------------------------------------


def _program_360(access, code):
    """The program of a 360 page: its client and coach; its sponsor when the client shared
    the report under consent; 404 for everybody else."""
    program = gate.get_program_for(access, code)
    user = access.user
    if (access.is_client and program.client_id == user.pk) or (
        access.is_coach and program.coach_id == user.pk
    ):
        return program, gate.rater_round_for(access, program)
    rater_round = gate.rater_round_for(access, program)
    if rater_round is None:
        raise Http404
    return program, rater_round


@practice_view(roles=[Role.CLIENT, Role.COACH, Role.SPONSOR])
def feedback360(request, access, code):
    return _feedback360_page(request, access, code)


def _feedback360_page(request, access, code, form=None):
    program, rater_round = _program_360(access, code)
    is_client = access.is_client and program.client_id == access.user.pk
    reads_texts = is_client or (access.is_coach and program.coach_id == access.user.pk)
    report = selectors.rater_report(access, rater_round, texts=reads_texts) if rater_round else None
    return render(
        request,
        "intake/feedback360.html",
        {
            "access": access,
            "program": program,
            "round": rater_round,
            "report": report,
            "is_client": is_client,
            "form": form or (RaterInviteForm() if is_client else None),
            "sponsor_consent": gate.has_sponsor_consent(program.client, program.sponsor, program),
        },
        status=400 if form is not None else 200,
    )


@require_POST
@practice_view(roles=[Role.CLIENT])
def rater_invite(request, access, code):
    program = gate.get_program_for(access, code, role=Role.CLIENT)
    form = RaterInviteForm(request.POST)
    if form.is_valid() and run_service(
        request,
        lambda: services.rater_invite(access=access, program=program, **form.cleaned_data),
        success=_("Invitation sent. The link works once."),
        form=form,
    ):
        return redirect("feedback360", slug=access.practice.slug, code=code)
    return _feedback360_page(request, access, code, form=form)


@require_POST
@practice_view(roles=[Role.CLIENT])
def feedback360_share(request, access, code):
    program = gate.get_program_for(access, code, role=Role.CLIENT)
    rater_round = gate.rater_round_for(access, program)
    if rater_round is None:
        raise Http404
    form = ShareForm(request.POST)
    share = form.is_valid() and form.cleaned_data["share"]
    run_service(
        request,
        lambda: services.rater_report_share(access=access, rater_round=rater_round, share=share),
        success=_("Your sponsor can now read the report's numbers.")
        if share
        else _("Your sponsor no longer sees the report."),
    )
    return redirect("feedback360", slug=access.practice.slug, code=code)


@never_cache
def rater_answer(request, token):
    """A rater's page: no account; the link works once, then answers 404 like any bad link."""
    invitation = services.rater_invitation_by_token(token)
    if invitation is None:
        return render(request, "intake/rater_gone.html", status=404)
    language = invitation.language
    with translation.override(language):
        questions = list(invitation.round.version.questions.all())
        form = AnswerForm(request.POST or None, questions=questions, language=language)
        if (
            request.method == "POST"
            and form.is_valid()
            and run_service(
                request,
                lambda: services.rater_answer_submit(invitation=invitation, data=form.cleaned_data),
                form=form,
            )
        ):
            return render(request, "intake/rater_thanks.html", {"language": language})
        return render(
            request,
            "intake/rater_answer.html",
            {
                "form": form,
                "practice": invitation.round.program.practice,
                "group": invitation.get_group_display(),
                "language": language,
            },
        )


# Assessments ----------------------------------------------------------------------------------


def _assessed_program(access, code):
    """A program whose assessments the user reads: its coach and its client; 404 otherwise."""
    program = gate.get_program_for(access, code)
    user = access.user
    if not (
        (access.is_coach and program.coach_id == user.pk)
        or (access.is_client and program.client_id == user.pk)
    ):
        raise Http404
    return program


@practice_view(roles=[Role.COACH, Role.CLIENT])
def assessments(request, access, code):
    program = _assessed_program(access, code)
    context = selectors.assessments_of(access, program)
    sent = gate.assessment_stages(access, program)
    stages = [
        {"value": value, "label": label, "sent": value in sent, "answered": sent.get(value, False)}
        for value, label in Response.Stage.choices
        if value
    ]
    return render(
        request,
        "intake/assessments.html",
        {
            **context,
            "access": access,
            "program": program,
            "stage_rows": stages,
            "is_coach": access.is_coach and program.coach_id == access.user.pk,
        },
    )


@require_POST
@practice_view(roles=[Role.COACH])
def assessment_send(request, access, code):
    program = _assessed_program(access, code)
    run_service(
        request,
        lambda: services.assessment_send(
            access=access, program=program, stage=request.POST.get("stage", "")
        ),
        success=_("The assessment is sent to your client."),
    )
    return redirect("assessments", slug=access.practice.slug, code=code)


# Three-way alignment ----------------------------------------------------------------------------


@practice_view(roles=[Role.COACH, Role.CLIENT, Role.SPONSOR])
def alignment(request, access, code):
    """The program's alignment meetings: its coach records them (a form), its client reads
    them, its sponsor reads those they took part in under the client's consent; 404 for
    anybody else."""
    program = gate.get_program_for(access, code)
    user = access.user
    is_coach = access.is_coach and program.coach_id == user.pk
    is_party = is_coach or (access.is_client and program.client_id == user.pk)
    meetings = list(gate.alignment_meetings_visible_to(access, programs=[program]))
    if not is_party and not meetings:
        raise Http404
    form = AlignmentMeetingForm(request.POST or None, program=program) if is_coach else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid() and run_service(
            request,
            lambda: services.alignment_record(
                access=access, program=program, meeting=form.save(commit=False)
            ),
            success=_("The meeting and its agreed goals are recorded."),
            form=form,
        ):
            return redirect("alignment", slug=access.practice.slug, code=code)
    return render(
        request,
        "intake/alignment.html",
        {"access": access, "program": program, "meetings": meetings, "form": form},
    )
