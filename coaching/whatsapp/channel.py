"""The WhatsApp channel of reminders: which channel a reminder takes, and its WhatsApp send.

dispatch.deliver() asks `channel_for()` and, for "whatsapp", calls `deliver()`; a False answer
(the API refused, or an earlier send of this reminder failed) makes dispatch send the email
instead: the fallback, once, because the email is recorded by `emailed_at` as always.

Delivery guarantee (the same design as email, see coaching/notifications/dispatch.py)
-----------------------------------------------------------------------------------
* dispatch's claim (a conditional UPDATE, one token per row) lets one worker at a time hold a
  reminder. Before the POST, this module records the attempt on the reminder's single
  WhatsAppMessage row (`attempts` + 1); after the API accepts, it records the wamid. A row
  with a wamid is never sent again.
* Duplicate window: between the API accepting the message and the UPDATE that records its
  wamid committing (one autocommitted UPDATE). A worker killed inside it leaves the row with
  `attempts` >= 1 and no wamid, and the next claim sends again. Every attempt carries the same
  biz_opaque_callback_data (the reminder key's SHA-1, as in the email's Message-ID), so the
  duplicate is recognisable in the API's record and in the status webhooks. Measured by
  tests/integration/test_whatsapp_delivery.py (500 reminders, a worker with 2 pool processes
  SIGKILLed mid-batch: 1 duplicate measured; the bound is one per killed pool process).
* A failed status webhook (the API accepted, the phone never got it) puts the reminder back to
  pending once, also while a worker still holds it (the claim is taken away; see
  services.status_webhook_apply), and the next dispatch sends the email: the WhatsApp
  message is not tried again.

Templates carry no coaching content: the practice's name, a label that is never content
(a session number, a sender's name) and the link's path. Another app adds a kind with
register_template() (e.g. invoices).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import F
from django.utils.timezone import now

from . import client
from .models import ChannelPreference, PracticeChannelDefault, WhatsAppMessage, WhatsAppOptIn

EMAIL = "email"
WHATSAPP = "whatsapp"
IN_APP = "in_app"


def _practice_only(reminder, recipient):
    return [reminder.practice.name]


def _practice_and_label(reminder, recipient):
    return [reminder.practice.name, reminder.object_label or "-"]


@dataclass(frozen=True)
class Template:
    name: str  # the pre-approved template's name in WhatsApp Manager
    # (reminder, recipient) -> the body's parameters, in order; never coaching content
    parameters: Callable = _practice_only


_TEMPLATES: dict[str, Template] = {}


def register_template(kind, template):
    _TEMPLATES[kind] = template
    return template


def template_for(kind):
    return _TEMPLATES.get(kind)


def whatsapp_kinds():
    """The kinds that may go by WhatsApp: those with a pre-approved template."""
    return sorted(_TEMPLATES)


register_template("session_upcoming", Template("session_upcoming", _practice_and_label))
register_template("task_due", Template("task_due"))
register_template("message_received", Template("message_waiting", _practice_and_label))
register_template("action_waiting", Template("action_waiting"))


def opt_in_for(user):
    return WhatsAppOptIn.objects.in_force().filter(user=user).first()


def chosen_whatsapp_kinds(user, practice):
    preference = ChannelPreference.objects.filter(user=user).first()
    if preference is not None:
        return set(preference.whatsapp_kinds)
    default = PracticeChannelDefault.objects.filter(practice=practice).first()
    return set(default.whatsapp_kinds) if default is not None else set()


def channel_for(reminder, recipient, preference):
    """ "email", "whatsapp" or "in_app" for this reminder. WhatsApp only when the channel is
    configured, the kind has a template, the recipient chose it (or their practice does and
    they chose nothing) and their opt-in is in force; otherwise their email choice decides.
    With the channel off this costs no query."""
    by_email = reminder.kind not in (preference.email_off_kinds or [])
    if (
        client.enabled()
        and reminder.kind in _TEMPLATES
        and reminder.kind in chosen_whatsapp_kinds(recipient, reminder.practice)
        and opt_in_for(recipient) is not None
    ):
        return WHATSAPP
    return EMAIL if by_email else IN_APP


def message_key(reminder):
    """The reminder key's id, as in the email's Message-ID: the same on every attempt."""
    return reminder.message_id.strip("<>").split("@", 1)[0]


def language_code(recipient, practice):
    return "id" if (recipient.language or practice.default_language) == "id" else "en"


def deliver(reminder, recipient):
    """Sends the reminder by WhatsApp unless it was accepted before. True when WhatsApp has
    it; False when the email must go instead (the API refused now, or the message failed)."""
    record, _created = WhatsAppMessage.objects.get_or_create(
        reminder=reminder, defaults={"message_key": message_key(reminder)}
    )
    if record.status == WhatsAppMessage.Status.FAILED:
        return False
    if record.wamid:
        return True
    opt_in = opt_in_for(recipient)
    if opt_in is None or not opt_in.phone:
        return False
    template = _TEMPLATES[reminder.kind]
    body = client.template_body(
        to=opt_in.phone.lstrip("+"),
        template=template.name,
        language=language_code(recipient, reminder.practice),
        body_parameters=template.parameters(reminder, recipient),
        url_suffix=reminder.path.lstrip("/"),
        callback_data=record.message_key,
    )
    mine = WhatsAppMessage.objects.filter(pk=record.pk, wamid=None)
    # The attempt is on record before the POST: attempts > 1 later means "maybe twice".
    mine.update(attempts=F("attempts") + 1, started_at=now())
    try:
        wamid = client.send(body)
    except client.ApiError as exc:
        mine.update(
            status=WhatsAppMessage.Status.FAILED,
            error=exc.code,
            status_at=now(),
            fallback_at=now(),
        )
        return False
    # The duplicate window closes when this UPDATE commits (see the module docstring).
    mine.update(wamid=wamid, status=WhatsAppMessage.Status.ACCEPTED, accepted_at=now())
    return True
