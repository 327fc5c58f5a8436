from django import template

from messaging.selectors import unread_total

register = template.Library()


@register.simple_tag
def unread_messages(access):
    """{% load messaging_tags %}{% unread_messages nav_access as n %}: one query."""
    return unread_total(access) if access is not None else 0
