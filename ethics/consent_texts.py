"""The consent texts a client agrees to, with their versions. A change of wording is a new
version: the text and version stored on each Consent say exactly what was agreed."""

from django.utils.translation import gettext_lazy as _

from .models import Consent

CURRENT = {
    Consent.Kind.SPONSOR_SHARING: (
        "2026-1",
        _(
            "I agree that %(sponsor)s, who sponsors my coaching, may read the session "
            "content my coach marks as shared with the sponsor, and my progress reports once "
            "I have approved them. My private notes and anything not marked for the sponsor "
            "stay between my coach and me. I can withdraw this consent at any time; it takes "
            "effect at once."
        ),
    ),
    Consent.Kind.DATA_PROCESSING: (
        "2026-1",
        _(
            "I agree that %(practice)s stores and processes my personal data and the content "
            "of my coaching sessions to run my coaching program, encrypted and readable only "
            "by the people the confidentiality rules allow. I can export my data or ask for "
            "its erasure at any time."
        ),
    ),
}


def consent_text(kind, *, practice, sponsor=None):
    version, template = CURRENT[kind]
    values = {"practice": practice.name, "sponsor": sponsor.display_name if sponsor else ""}
    return version, str(template) % values
