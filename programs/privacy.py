"""The programs app's part of erasure (settings.ERASURE_STEPS; see ethics/README.md).

What the program was about (theme, aims, states of being, objectives, reviews, earlier
versions, chemistry impressions, the need in the client's words) is blanked, and so are the
reasons in the lifecycle log about the client; the rows stay, so the contract's record (dates,
states, sessions used) remains whole.
"""

from contextlib import nullcontext

import pgtrigger
from django.db import connection, transaction
from django.db.models import Q

from ethics import access as gate

from .models import ContractResponse, ProgramEvent


@transaction.atomic
def erase(*, user, practice):
    for queryset, blanks in gate.program_content_for_erasure(user=user, practice=practice):
        if blanks is None:
            queryset.delete()
        else:
            queryset.update(**blanks)
    # Their comments on a contract's terms are their own words: blanked, the answer stays.
    ContractResponse.objects.filter(user=user, version__contract__practice=practice).update(
        comment=""
    )
    _erase_event_reasons(user=user, practice=practice)


def _erase_event_reasons(*, user, practice):
    """The lifecycle log keeps who, when and which states; the free-text reasons of its events
    about the client (a pause, a decline, "another coach, please") are blanked. The log is
    append-only: its trigger is lifted for this statement's transaction and this model only
    (pgtrigger.ignore), as key rotation does for its re-encryption."""
    about_client = Q(program__client=user) | Q(contract__client=user) | Q(proposal__client=user)
    events = ProgramEvent.objects.filter(about_client, practice=practice).exclude(reason="")
    lifted = (
        pgtrigger.ignore("programs.ProgramEvent:program_event_append_only")
        if connection.vendor == "postgresql"
        else nullcontext()
    )
    with lifted:
        events.update(reason="")
