"""The WhatsApp channel's part of the client's rights (see ethics/README.md).

settings.DATA_EXPORTERS += ["coaching.whatsapp.privacy.export"]
settings.ERASURE_STEPS += ["coaching.whatsapp.privacy.erase"]
"""

from django.utils.timezone import now
from django.utils.translation import gettext as _

from coaching.accounts.models import Membership

from .models import WhatsAppOptIn


def _when(moment):
    return moment.isoformat() if moment else ""


def export(*, user, practice):
    """Every WhatsApp opt-in the person gave: the number, the text agreed to, when, withdrawn."""
    rows = [
        {
            "phone": o.phone,
            "text": o.text,
            "text_version": o.text_version,
            "given_at": _when(o.given_at),
            "withdrawn_at": _when(o.withdrawn_at),
        }
        for o in WhatsAppOptIn.objects.filter(user=user)
    ]
    return {"key": "whatsapp_opt_ins", "title": _("WhatsApp reminders"), "rows": rows}


def erase(*, user, practice):
    """The opt-in is the person's, not the practice's: while they belong to another practice
    it stays; otherwise it is withdrawn and every number removed (the dates stay as proof)."""
    elsewhere = Membership.objects.filter(user=user, deactivated_at=None).exclude(practice=practice)
    if elsewhere.exists():
        return
    WhatsAppOptIn.objects.filter(user=user, withdrawn_at=None).update(withdrawn_at=now())
    # An encrypted column cannot be filtered on: each row is read and blanked.
    for opt_in in WhatsAppOptIn.objects.filter(user=user):
        if not opt_in.phone:
            continue
        opt_in.phone = ""
        opt_in.text = _("(erased)")
        opt_in.save(update_fields=["phone", "text"])
