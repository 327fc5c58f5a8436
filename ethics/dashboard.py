"""Dashboard panels: the coach's referral follow-ups and yearly attestation; admins' open
erasure requests. (The client's pages are linked from the client navigation.)"""

from django.utils.timezone import now

from coaching.access import Role

from . import selectors
from .models import EthicsAttestation


def panels(access, role):
    if role == Role.COACH:
        due = selectors.referrals_due(access=access).count()
        attested = EthicsAttestation.objects.filter(
            practice=access.practice, coach=access.user, year=now().year
        ).exists()
        if not due and attested:
            return []
        return [
            {
                "template": "ethics/_panel_coach.html",
                "aside": True,
                "referrals_due": due,
                "attested": attested,
                "year": now().year,
            }
        ]
    if role == Role.SPONSOR:
        programs = selectors.sponsored_programs(access=access)
        if not programs:
            return []
        return [{"template": "ethics/_panel_sponsor.html", "programs": programs}]
    if role == Role.ADMIN:
        waiting = selectors.erasure_request_list(access=access).filter(completed_at=None).count()
        if not waiting:
            return []
        return [{"template": "ethics/_panel_admin.html", "aside": True, "erasure_waiting": waiting}]
    return []
