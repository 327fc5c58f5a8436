"""Words several apps share, defined once at the bottom so that no app imports another's
models for them: who may read a piece of content (Scope) and how people meet (Format)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    """Who may read a piece of coaching content; ethics/access.py enforces it (with consent
    and the access log on top)."""

    PRIVATE = "private", _("Private to the author")
    CLIENT = "client", _("Shared with the client")
    SPONSOR = "sponsor", _("Shared with the client and the sponsor")


def widens(before, after):
    """Whether scope `after` lets more people read than `before` (private < client < sponsor)."""
    order = list(Scope.values)
    return bool(after) and bool(before) and order.index(after) > order.index(before)


class Format(models.TextChoices):
    """How a session or a chemistry meeting takes place."""

    FACE_TO_FACE = "face_to_face", _("Face to face")
    PHONE = "phone", _("Phone")
    VIDEO = "video", _("Video call")
    OTHER_VIRTUAL = "other_virtual", _("Other virtual")
