"""The coaching mindset, completed (#17): coaching supervision and mentor coaching, which ICF
counts toward a credential's continuing education (CCE). What a coach writes about a
supervision is theirs alone: encrypted at rest, read by its coach only (selectors.py)."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.timezone import now
from django.utils.translation import gettext_lazy as _

from coaching.accounts.models import Practice
from ethics.fields import EncryptedTextField


class SupervisionEntry(models.Model):
    class Kind(models.TextChoices):
        SUPERVISION = "supervision", _("Coaching supervision")
        MENTOR_COACHING = "mentor", _("Mentor coaching")

    class Format(models.TextChoices):
        INDIVIDUAL = "individual", _("Individual")
        GROUP = "group", _("Group")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="+")
    coach = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    format = models.CharField(
        _("individual or group"), max_length=16, choices=Format.choices, default=Format.INDIVIDUAL
    )
    date = models.DateField(_("date"))
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=2)
    with_whom = models.CharField(_("supervisor or mentor coach"), max_length=150)
    notes = EncryptedTextField(_("what you took from it (only you read this)"), blank=True)
    created_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name_plural = "supervision entries"
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gt=0) & Q(hours__lte=100), name="supervision_hours_sane"
            )
        ]
        indexes = [
            # The coach's own log, newest first.
            models.Index(fields=["coach", "practice", "-date"], name="supervision_coach_date")
        ]

    def __str__(self):
        return f"Supervision entry {self.code}"
