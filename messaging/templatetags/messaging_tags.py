from django import template

from messaging.selectors import nav_unread

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_messages(context, access):
    """{% load messaging_tags %}{% unread_messages nav_access as n %}: one query, which also
    counts the unread in-app notifications for the inbox link rendered after it (#11)."""
    if access is None or not (access.is_coach or access.is_client):
        return 0
    return nav_unread(access, request=context.get("request"))
