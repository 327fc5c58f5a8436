"""Every email is a subject/text/html triple under templates/emails/, rendered by send().

Rendering happens in the recipient's language, never the sender's. Emails link into the
app; they carry no coaching content.
"""

import zoneinfo

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import Context, engines
from django.template.loader import render_to_string
from django.utils import timezone, translation


def _plain(name, context):
    """A plain-text template rendered without HTML escaping: "A & B" stays "A & B" (only the
    HTML part is escaped; nothing in a text/plain body is interpreted as markup)."""
    engine = engines["django"].engine
    return engine.get_template(name).render(Context(context, autoescape=False))


def render(name, context, *, language, timezone_name="Asia/Jakarta"):
    with translation.override(language), timezone.override(zoneinfo.ZoneInfo(timezone_name)):
        context = {"site_url": settings.SITE_URL, **context}
        subject = _plain(f"emails/{name}-subject.txt", context).strip()
        text = _plain(f"emails/{name}-body.txt", context)
        html = render_to_string(f"emails/{name}-body.html", context)
    return " ".join(subject.split()), text, html


def send(name, *, to, context, language, timezone_name="Asia/Jakarta", headers=None):
    subject, text, html = render(name, context, language=language, timezone_name=timezone_name)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers=headers or {},
    )
    message.attach_alternative(html, "text/html")
    message.send()
    return message
