"""A reminder kind with a WhatsApp template, for the WhatsApp integration test.

Imported by the test process and by the worker (celery worker --include)."""

from coaching.notifications import registry
from coaching.whatsapp import channel

KIND = "it_whatsapp_ping"

registry.register(
    registry.Kind(
        name=KIND,
        label="Integration WhatsApp ping",
        describe=lambda obj, recipient: registry.Description(
            practice=obj, label="ping", path=f"/p/{obj.slug}/"
        ),
        text=lambda reminder: f"Ping {reminder.occasion}",
    )
)
channel.register_template(KIND, channel.Template("it_ping", channel._practice_and_label))
