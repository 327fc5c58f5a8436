"""The "questionnaire_waiting" reminder kind (registered in IntakeConfig.ready()).

One reminder per response: it tells the client that their practice asks them to answer a
questionnaire and links to the form. It never names what is asked, nor any answer.
"""

from django.utils.timezone import now
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from coaching.notifications import registry
from coaching.notifications.services import reminder_schedule

from .models import Response

QUESTIONNAIRE_WAITING = "questionnaire_waiting"


def _describe(response, recipient):
    return registry.Description(
        practice=response.practice,
        label="",
        path=registry.reverse_first(
            [("response_answer", {"slug": response.practice.slug, "code": response.code})]
        ),
    )


def _text(reminder):
    return gettext("%(practice)s asks you to answer a short questionnaire.") % {
        "practice": reminder.practice.name
    }


def _still_waiting(reminder):
    return Response.objects.filter(code=reminder.object_code, submitted_at=None).exists()


def questionnaire_waiting_schedule(response):
    """Inside the transaction that sends the questionnaire: the client's notification."""
    return reminder_schedule(
        kind=QUESTIONNAIRE_WAITING,
        recipient=response.client,
        obj=response,
        occasion="sent",
        due_at=now(),
    )


registry.register(
    registry.Kind(
        name=QUESTIONNAIRE_WAITING,
        label=_("A questionnaire is waiting for your answers"),
        describe=_describe,
        text=_text,
        is_current=_still_waiting,
    )
)
