"""The supervision log's part of a client's erasure (see ethics/README.md).

settings.ERASURE_STEPS += ["supervision.privacy.erase"]

A supervision entry is the coach's, not the client's, so it is in no client's export; but a
coach may have named the client in it, and erasure takes the name out as it does from the
reflective journal (ethics.services.erase_ethics_records).
"""

import re

from django.db import transaction

from .models import SupervisionEntry


def _scrub(text, needles):
    for needle in needles:
        pattern = r"(?<!\w)" + re.escape(needle) + r"(?!\w)"
        text = re.sub(pattern, "[erased client]", text, flags=re.IGNORECASE)
    return text


@transaction.atomic
def erase(*, user, practice):
    # The full name and the email address; single first names would scrub ordinary words.
    needles = sorted(
        {n.strip() for n in [user.full_name, user.email] if n.strip()}, key=len, reverse=True
    )
    for entry in SupervisionEntry.objects.filter(practice=practice).exclude(notes=""):
        scrubbed = _scrub(entry.notes, needles)
        if scrubbed != entry.notes:
            entry.notes = scrubbed
            entry.save(update_fields=["notes"])
