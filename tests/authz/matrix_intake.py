"""The intake app's URLs: the questionnaire builder (admins), answers (the client; their
coach reads), stakeholders, 360 feedback and the rater's public page. Answers and 360
reports are the program's client's and coach's: another coach gets 404 (the gate), the
sponsor 404 on a report the client has not shared."""

from intake.models import (
    Question,
    Questionnaire,
    QuestionnaireVersion,
    RaterInvitation,
    RaterRound,
    Response,
    Stakeholder,
)
from intake.services import response_send, response_submit
from tests.authz.spec import Entry, everyone, only, practice
from tests.intake.builders import access_of, invite, keyed, questionnaire
from tests.sessions.factories import program_for


def _questionnaire(*, publish):
    def kwargs(world):
        q = questionnaire(world, publish=publish)
        return {"slug": world.practice.slug, "code": q.code}

    return kwargs


def _question(world):
    q = questionnaire(world, publish=False)
    return {"slug": world.practice.slug, "code": q.versions.get().questions.first().code}


def _response(*, submitted):
    def kwargs(world):
        questionnaire(world)
        program = program_for(world)
        response = response_send(
            practice=world.practice,
            kind=Questionnaire.Kind.INTAKE,
            client=world.client,
            occasion="matrix",
            program=program,
        )
        if submitted:
            response_submit(
                access=access_of(world, "client"),
                response=response,
                data=keyed(response.version, "An answer", 3, "0"),
                language="en",
            )
        return {"slug": world.practice.slug, "code": response.code}

    return kwargs


def _program(world):
    return {"slug": world.practice.slug, "code": program_for(world).code}


def _program_with_rater_form(world):
    questionnaire(world, Questionnaire.Kind.RATER)
    return _program(world)


def _program_with_round(world):
    questionnaire(world, Questionnaire.Kind.RATER)
    program = program_for(world)
    invite(world, program, "peer", "peer@example.test")
    return {"slug": world.practice.slug, "code": program.code}


def _stakeholder(world):
    s = Stakeholder.objects.create(program=program_for(world), role="mentor", name="Pak Budi")
    return {"slug": world.practice.slug, "code": s.code}


def _token(world):
    questionnaire(world, Questionnaire.Kind.RATER)
    return {"token": invite(world, program_for(world), "peer", "peer@example.test")}


def _program_with_assessment_form(world):
    questionnaire(world, Questionnaire.Kind.ASSESSMENT)
    return _program(world)


# Effects: (world, kwargs) -> a snapshot of what the POST changes (tests/authz/spec.py)


def versions_published(world, kwargs):
    return QuestionnaireVersion.objects.filter(
        questionnaire__code=kwargs["code"], published_at__isnull=False
    ).count()


def versions(world, kwargs):
    return QuestionnaireVersion.objects.filter(questionnaire__code=kwargs["code"]).count()


def question_exists(world, kwargs):
    return Question.objects.filter(code=kwargs["code"]).exists()


def stakeholder_exists(world, kwargs):
    return Stakeholder.objects.filter(code=kwargs["code"]).exists()


def invitations(world, kwargs):
    return RaterInvitation.objects.filter(round__program__code=kwargs["code"]).count()


def assessments_sent(world, kwargs):
    return Response.objects.filter(program__code=kwargs["code"], kind="assessment").count()


def shared(world, kwargs):
    return RaterRound.objects.get(program__code=kwargs["code"]).shared_with_sponsor_at


ADMIN = only(["admin"])
PARTIES = only(["coach", "client"], other_coach=404)

ENTRIES = [
    Entry("questionnaire_list", ADMIN, kwargs=practice),
    Entry("intake_settings", ADMIN, kwargs=practice),
    Entry("questionnaire_detail", ADMIN, kwargs=_questionnaire(publish=False)),
    Entry(
        "questionnaire_publish",
        only(["admin"], 302),
        kwargs=_questionnaire(publish=False),
        method="post",
        effect=versions_published,
    ),
    Entry(
        "questionnaire_new_version",
        only(["admin"], 302),
        kwargs=_questionnaire(publish=True),
        method="post",
        effect=versions,
    ),
    Entry(
        "question_delete",
        only(["admin"], 302),
        kwargs=_question,
        method="post",
        effect=question_exists,
    ),
    # Another coach of the practice reads the page: an empty list (no client of theirs).
    Entry("response_list", only(["coach", "other_coach", "client"]), kwargs=practice),
    Entry("response_detail", PARTIES, kwargs=_response(submitted=True)),
    Entry("response_answer", only(["client"]), kwargs=_response(submitted=False)),
    Entry("stakeholders", only(["admin", "coach", "client"], other_coach=404), kwargs=_program),
    Entry(
        "stakeholder_remove",
        only(["admin", "coach"], 302, other_coach=404),
        kwargs=_stakeholder,
        method="post",
        effect=stakeholder_exists,
    ),
    # The sponsor: 404 until the client shares the report (tests/intake/test_360.py).
    Entry("feedback360", only(["coach", "client"], other_coach=404, sponsor=404), kwargs=_program),
    Entry(
        "rater_invite",
        only(["client"], 302),
        kwargs=_program_with_rater_form,
        method="post",
        data={"group": "peer", "email": "rater@example.test", "language": "id"},
        effect=invitations,
    ),
    Entry(
        "feedback360_share",
        only(["client"], 302),
        kwargs=_program_with_round,
        method="post",
        data={"share": "on"},
        effect=shared,
    ),
    # The rater's page needs no account: whoever holds the link reads the form.
    Entry(
        "rater_answer",
        everyone(200, anonymous=200),
        kwargs=_token,
        public=True,
        practice_scoped=False,
    ),
    Entry("assessments", PARTIES, kwargs=_program),
    Entry(
        "assessment_send",
        only(["coach"], 302, other_coach=404),
        kwargs=_program_with_assessment_form,
        method="post",
        data={"stage": "start"},
        effect=assessments_sent,
    ),
    # The sponsor: 404 without a meeting they took part in under consent (test_alignment.py).
    Entry("alignment", PARTIES | {"sponsor": 404}, kwargs=_program),
]
