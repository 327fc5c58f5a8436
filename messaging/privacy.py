"""The messaging app's part of the client's rights (see ethics/README.md).

settings.DATA_EXPORTERS += ["messaging.privacy.export"]
settings.ERASURE_STEPS += ["messaging.privacy.erase"]
"""

from django.db import transaction
from django.utils.translation import gettext as _

from ethics import access as gate


def export(*, user, practice):
    """The messages of the client's programs (through the gate, as the client reads them)."""
    access = gate.client_access(user, practice)
    files = {
        a.message_id: a.content
        for a in gate.message_attachments_visible_to(access).filter(message__program__client=user)
    }
    rows = [
        {
            "author": m.author.display_name,
            "at": m.created_at.isoformat(),
            "edited_at": m.edited_at.isoformat() if m.edited_at else "",
            "deleted": bool(m.deleted_at),
            "text": m.body,
            # The attached file: its name, its type, and its bytes in base64.
            "attachment": m.attachment_name,
            "attachment_type": m.attachment_type,
            "attachment_base64": files.get(m.pk, ""),
        }
        for m in gate.messages_visible_to(access).filter(program__client=user)
    ]
    return {"key": "messages", "title": _("Messages with your coach"), "rows": rows}


@transaction.atomic
def erase(*, user, practice):
    """The messages of the client's programs are deleted (both sides of the thread), their
    files with them (MessageAttachment cascades)."""
    gate.messages_for_erasure(user=user, practice=practice).delete()
