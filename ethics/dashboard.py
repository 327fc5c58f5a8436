"""Dashboard panels: the coach's referral follow-ups and yearly attestation; admins' open
erasure requests. (The client's pages are linked from the client navigation.)"""

from django.utils.timezone import now

from coaching.access import Role
from coaching.accounts.models import Practice
from coaching.queries import counts_in_one_query

from . import selectors
from .consent_texts import consent_text
from .models import Consent, EthicsAttestation


def counts_wanted(access, role):
    """The coach's and the admin's numbers, read with the other panels' (coaching.dashboards)."""
    if role == Role.COACH:
        return {
            "referrals_due": selectors.referrals_due(access=access),
            "attestations": EthicsAttestation.objects.filter(
                practice=access.practice, coach=access.user, year=now().year
            ),
        }
    if role == Role.ADMIN:
        return {
            "erasure_waiting": selectors.erasure_request_list(access=access).filter(
                completed_at=None
            )
        }
    if role == Role.CLIENT:  # #11: a query of its own on every client dashboard
        return {"processing_consent": selectors.processing_consents(access=access)}
    return {}


def panels(access, role, counts=None):
    if counts is None:
        counts = counts_in_one_query(
            Practice.objects.filter(pk=access.practice.pk), counts_wanted(access, role)
        )
    if role == Role.COACH:
        due = counts["referrals_due"]
        attested = counts["attestations"] > 0
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
    if role == Role.CLIENT:
        # Asked at the client's first sign-in in the practice, before any notes (UU PDP
        # 27/2022, GDPR: a lawful basis recorded before processing). Once answered (given,
        # or given and withdrawn) the consents page is where it changes.
        if counts["processing_consent"]:
            return []
        version, text = consent_text(Consent.Kind.DATA_PROCESSING, practice=access.practice)
        return [{"template": "ethics/_panel_client_consent.html", "aside": True, "text": text}]
    # The sponsor's attendance and reports: the first panel, sessions.today (#14).
    if role == Role.ADMIN:
        waiting = counts["erasure_waiting"]
        if not waiting:
            return []
        return [{"template": "ethics/_panel_admin.html", "aside": True, "erasure_waiting": waiting}]
    return []
