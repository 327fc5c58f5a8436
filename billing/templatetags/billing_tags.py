from django import template

from billing import selectors

register = template.Library()


@register.simple_tag
def schedule_rows(version):
    """{% schedule_rows version as rows %}: [(instalment, amount)] of its payment schedule."""
    return selectors.schedule_rows(version) if version is not None else []
