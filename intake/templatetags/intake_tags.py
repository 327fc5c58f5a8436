from django import template

from ethics import access as gate
from intake.selectors import intake_for_session

register = template.Library()


@register.inclusion_tag("intake/_session_intake.html")
def session_intake(access, session):
    """{% load intake_tags %}{% session_intake access session %}: the answered intake on the
    preparation page of session 1 (read through the gate, logged)."""
    return {"intake": intake_for_session(access, session), "access": access}


@register.inclusion_tag("intake/_sponsor_links.html")
def sponsor_intake_links(access, program):
    """{% sponsor_intake_links access program %}: on the sponsor's program page, links to the
    360 report and the alignment meetings, only when the sponsor may read them."""
    return {"access": access, "program": program, **gate.sponsor_page_links(access, program)}
