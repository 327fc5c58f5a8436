from django import template

from intake.selectors import intake_for_session

register = template.Library()


@register.inclusion_tag("intake/_session_intake.html")
def session_intake(access, session):
    """{% load intake_tags %}{% session_intake access session %}: the answered intake on the
    preparation page of session 1 (read through the gate, logged)."""
    return {"intake": intake_for_session(access, session), "access": access}
