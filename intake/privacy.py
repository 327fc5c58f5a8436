"""The intake app's part of the client's rights (see ethics/README.md).

settings.DATA_EXPORTERS += ["intake.privacy.export"]
settings.ERASURE_STEPS += ["intake.privacy.erase"]
"""

from django.db import transaction
from django.utils.translation import gettext as _

from ethics import access as gate

from . import selectors
from .models import Stakeholder


def export(*, user, practice):
    """The client's questionnaires with their answers, in words and as asked; and the 360
    reports of their programs as they read them (groups with enough answers only)."""
    access = gate.client_access(user, practice)
    rows = []
    for response in (
        gate.responses_visible_to(access)
        .filter(client=user)
        .exclude(submitted_at=None)
        .prefetch_related("version__questions")
    ):
        rows.append(
            {
                "questionnaire": response.version.questionnaire.title(),
                "kind": response.kind,
                "at": response.submitted_at.isoformat(),
                "answers": [
                    {"question": q, "answer": a} for q, a in selectors.answer_rows(response)
                ],
            }
        )
    for rater_round in gate.rater_rounds_of(access, gate.programs_for(access).filter(client=user)):
        report = selectors.rater_report(access, rater_round, texts=True)
        for group in report["groups"]:
            if not group["shown"]:
                continue
            answers = []
            for item in group["questions"]:
                if "mean" in item:
                    value = f"{item['mean']} ({item['n']})"
                elif "tally" in item:
                    value = ", ".join(f"{label}: {n}" for label, n in item["tally"])
                else:
                    value = " / ".join(item.get("texts", []))
                answers.append({"question": item["text"], "answer": value})
            rows.append(
                {
                    "questionnaire": _("360 feedback: %(group)s") % {"group": group["label"]},
                    "kind": "rater",
                    "at": rater_round.created_at.isoformat(),
                    "answers": answers,
                }
            )
    return {
        "key": "questionnaires",
        "title": _("Your questionnaires and 360 feedback"),
        "rows": rows,
    }


@transaction.atomic
def erase(*, user, practice):
    """The client's answers, their programs' 360 rounds (invitations and raters' answers),
    alignment meetings and stakeholders are deleted."""
    gate.responses_for_erasure(user=user, practice=practice).delete()
    gate.rater_rounds_for_erasure(user=user, practice=practice).delete()
    gate.alignment_meetings_for_erasure(user=user, practice=practice).delete()
    Stakeholder.objects.filter(program__practice=practice, program__client=user).delete()


def export_alignment(*, user, practice):
    """The three-way alignment meetings of the client's programs and their agreed goals."""
    access = gate.client_access(user, practice)
    rows = [
        {
            "stage": m.stage,
            "held_on": m.held_on.isoformat(),
            "agreed_goals": m.agreed_goals,
        }
        for m in gate.alignment_meetings_visible_to(access).filter(program__client=user)
    ]
    return {"key": "alignment_meetings", "title": _("Three-way alignment"), "rows": rows}
