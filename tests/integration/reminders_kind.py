"""A reminder kind for the integration tests, about a practice, with no further lookups.

Imported by the test process and by the worker (celery worker --include)."""

from coaching.notifications import registry

KIND = "it_ping"

registry.register(
    registry.Kind(
        name=KIND,
        label="Integration ping",
        describe=lambda obj, recipient: registry.Description(
            practice=obj, label="ping", path=f"/p/{obj.slug}/"
        ),
        text=lambda reminder: f"Ping {reminder.occasion}",
    )
)
