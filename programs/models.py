"""The coaching program and its theme. Proposal, contract, chemistry and graduation build on it.

A Program is the engagement between one client and one chosen coach in one practice.
Content fields (theme, aims, CSoB/FSoB, objectives) are coaching content: read them only
through the gate, and never put them in __str__.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.timezone import now
from django.utils.translation import gettext_lazy as _

from coaching.accounts.models import Practice


class Program(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        PAUSED = "paused", _("Paused")
        GRADUATED = "graduated", _("Graduated")
        TERMINATED = "terminated", _("Terminated")
        CANCELLED = "cancelled", _("Cancelled")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="programs")
    client = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="programs_as_client"
    )
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="programs_as_coach"
    )
    sponsor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="programs_as_sponsor",
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ACTIVE)
    theme = models.TextField(_("theme"), blank=True)
    aims = models.TextField(_("aims"), blank=True)
    current_state = models.TextField(_("current state of being (CSoB)"), blank=True)
    future_state = models.TextField(_("desired future state of being (FSoB)"), blank=True)
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    created_at = models.DateTimeField(default=now)

    class Meta:
        indexes = [
            # Dashboards list a coach's and a client's programs in a practice.
            models.Index(fields=["practice", "coach"], name="program_practice_coach"),
            models.Index(fields=["practice", "client"], name="program_practice_client"),
        ]

    def __str__(self):
        return f"Program {self.code}"


class Objective(models.Model):
    """One objective of a program, with how its achievement will be judged."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="objectives")
    position = models.PositiveSmallIntegerField(default=0)
    text = models.TextField(_("objective"))
    measure = models.TextField(_("how it will be judged"), blank=True)
    is_retired = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return f"Objective {self.code}"
