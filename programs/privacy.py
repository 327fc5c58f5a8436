"""The programs app's part of erasure (settings.ERASURE_STEPS; see ethics/README.md).

What the program was about (theme, aims, states of being, objectives, reviews, earlier
versions, chemistry impressions, the need in the client's words) is blanked; the rows stay,
so the contract's record (dates, states, sessions used) remains whole.
"""

from django.db import transaction

from ethics import access as gate

from .models import ContractResponse


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
