from django import template

from coaching.notifications.selectors import notification_unread_count

register = template.Library()


@register.inclusion_tag("notifications/_nav_inbox.html", takes_context=True)
def inbox_link(context):
    """The navbar's inbox link and unread count.

    {% load notification_tags %}{% inbox_link %}
    """
    request = context["request"]
    return {"unread": notification_unread_count(reader=request.user, request=request)}
