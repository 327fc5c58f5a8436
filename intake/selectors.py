"""Reads of the intake app for one reader (content through the gate)."""

from django.core.paginator import Paginator
from django.utils.translation import get_language

from coaching.access import PracticeAccess
from ethics import access as gate

from .charts import assessment_chart
from .models import Question, Questionnaire, RaterGroup, RaterInvitation


def answer_rows(response, language=None):
    """[(question, answer in words)] of a response, with the questions as they were asked."""
    language = language or get_language()
    answers = response.answers or {}
    return [
        (q.text(language), q.in_words(answers.get(q.key), language))
        for q in response.version.questions.all()
    ]


# The practice's questionnaires, a page at a time: each new version of the practice's forms
# is a questionnaire kept for the answers given to it (#11).
QUESTIONNAIRES_PER_PAGE = 50


def questionnaire_page(*, access: PracticeAccess, page_number=1, per_page=QUESTIONNAIRES_PER_PAGE):
    """A page of the practice's questionnaires by kind and age (the count and the page)."""
    questionnaires = Questionnaire.objects.filter(practice=access.practice).order_by(
        "kind", "created_at", "id"
    )
    page = Paginator(questionnaires, per_page).get_page(page_number)
    page.object_list = list(page.object_list)
    return page


# A coach's list of their clients' answers grows with the caseload (an intake, assessments and
# session feedback per program): a page at a time, 25 rows like the other lists (#11: it was
# 50, and rendering the page was about half of its time at the bench's scale 1).
RESPONSES_PER_PAGE = 25
# What the list shows of a response: its questionnaire's title, when it was sent and
# answered, the client (a coach's list) and the link (its code).
LISTED_COLUMNS = (
    "code",
    "client_id",
    "created_at",
    "submitted_at",
    "version__questionnaire__title_en",
    "version__questionnaire__title_id",
    "client__full_name",
    "client__email",
)


def responses_of(access: PracticeAccess, page_number=1, per_page=RESPONSES_PER_PAGE):
    """A page of the reader's responses: a client's own (waiting and answered), a coach's
    clients' answered ones; newest first. The answers are not loaded (the list shows the
    questionnaire and the dates): two queries, the count and the page, with only the columns
    the list shows (#11: the full rows of the response, its version, questionnaire and client
    were a third of the page's model work)."""
    responses = (
        gate.responses_listed_to(access).only(*LISTED_COLUMNS).order_by("-created_at", "-pk")
    )
    page = Paginator(responses, per_page).get_page(page_number)
    page.object_list = list(page.object_list)
    return page


def intake_for_session(access: PracticeAccess, session):
    """The answered intake of the session's program, with its rows, for the preparation page
    of session 1; None otherwise (a later session, no intake, or not answered yet)."""
    if session.number != 1:
        return None
    response = (
        gate.responses_visible_to(access, programs=[session.program])
        .filter(kind=Questionnaire.Kind.INTAKE)
        .exclude(submitted_at=None)
        .prefetch_related("version__questions")
        .order_by("-submitted_at")
        .first()
    )
    if response is None:
        return None
    return {"response": response, "rows": answer_rows(response)}


def rater_report(access: PracticeAccess, rater_round, *, texts: bool):
    """Per rater group: how many answered and, for a group with enough answers, the average of
    each scale question, the count of each choice and (texts=True: the client and the coach)
    the group's comments in a fixed order that says nothing of who wrote which."""
    language = get_language()
    counts = gate.rater_answer_counts(access, rater_round)
    answers = list(gate.rater_answers_visible_to(access, rater_round))
    threshold = gate.rater_threshold_for(access)
    questions = list(rater_round.version.questions.all())
    invited = {}
    for invitation in RaterInvitation.objects.filter(round=rater_round).only("group"):
        invited[invitation.group] = invited.get(invitation.group, 0) + 1
    groups = []
    for value, label in RaterGroup.choices:
        rows = [a.answers for a in answers if a.group == value]
        group = {
            "label": label,
            "invited": invited.get(value, 0),
            "answered": counts.get(value, 0),
            "shown": bool(rows),
            "questions": [],
        }
        for q in questions if rows else []:
            given = [r[q.key] for r in rows if r.get(q.key) not in (None, "", [])]
            item = {"text": q.text(language), "type": q.type, "n": len(given)}
            if q.type == Question.Type.SCALE:
                item["mean"] = round(sum(given) / len(given), 1) if given else None
                item["range"] = (q.scale_min, q.scale_max)
            elif q.type in (Question.Type.SINGLE, Question.Type.MULTIPLE):
                tally = {}
                for v in given:
                    for one in v if isinstance(v, list) else [v]:
                        tally[one] = tally.get(one, 0) + 1
                item["tally"] = [(lbl, tally.get(k, 0)) for k, lbl in q.choices(language)]
            elif texts:
                item["texts"] = sorted(str(v) for v in given)
            else:
                continue
            group["questions"].append(item)
        groups.append(group)
    return {"rater_round": rater_round, "threshold": threshold, "groups": groups}


def assessments_of(access: PracticeAccess, program):
    """The program's assessments the reader reads, per stage (the latest of each), and the
    chart of the change per dimension."""
    responses = list(
        gate.responses_visible_to(access, programs=[program])
        .filter(kind=Questionnaire.Kind.ASSESSMENT, program=program)
        .prefetch_related("version__questions")
        .order_by("created_at", "pk")
    )
    stages = {}
    for response in responses:
        stages[response.stage] = response
    answered = [r for r in responses if r.submitted_at is not None]
    return {
        "stages": stages,
        "chart": assessment_chart(answered, get_language()),
    }
