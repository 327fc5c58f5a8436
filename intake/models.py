"""Questionnaires a practice builds (versioned), the clients' answers, program stakeholders and
360 feedback. Answers are coaching content: encrypted at rest and read only through the gate
(ethics.access, its "Questionnaires" section)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.timezone import localdate, now
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from coaching.accounts.models import Practice
from ethics.fields import EncryptedCharField, EncryptedJSONField, EncryptedTextField
from programs.models import Contract, Program
from sessions.models import Session

TEXT_MAX_LENGTH = 4000
# Never below 3: with fewer answers in a group, one rater could be recognised.
MIN_RATER_THRESHOLD = 3


def _in(language, english, indonesian):
    """The text in the reader's language, falling back to the other one."""
    if (language or get_language() or "en").startswith("id"):
        return indonesian or english
    return english or indonesian


class IntakeSettings(models.Model):
    """A practice's rules for questionnaires (one row; defaults when there is none)."""

    practice = models.OneToOneField(Practice, on_delete=models.CASCADE, related_name="+")
    rater_threshold = models.PositiveSmallIntegerField(
        _("answers needed before a rater group is shown"), default=MIN_RATER_THRESHOLD
    )
    feedback_hidden_from_coach = models.BooleanField(
        _("hide the clients' session feedback from their coach"), default=False
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rater_threshold__gte=MIN_RATER_THRESHOLD),
                name="intakesettings_threshold_min_3",
            )
        ]

    def __str__(self):
        return f"IntakeSettings {self.practice_id}"

    @classmethod
    def for_practice(cls, practice: Practice) -> "IntakeSettings":
        return IntakeSettings.objects.filter(practice=practice).first() or cls(practice=practice)


class Questionnaire(models.Model):
    class Kind(models.TextChoices):
        INTAKE = "intake", _("Intake")
        ASSESSMENT = "assessment", _("Assessment")
        FEEDBACK = "feedback", _("Session feedback")
        RATER = "rater", _("360 feedback")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_id = models.CharField(_("title (Indonesian)"), max_length=200)
    created_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ["kind", "created_at", "id"]

    def __str__(self):
        return f"Questionnaire {self.code}"

    def title(self, language=None):
        return _in(language, self.title_en, self.title_id)


class QuestionnaireVersion(models.Model):
    """The questions as asked. A published version is frozen: a change is a new version, and
    every response points at the version it answered."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveSmallIntegerField()
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "number"], name="qversion_once")
        ]

    def __str__(self):
        return f"QuestionnaireVersion {self.code}"

    @property
    def is_frozen(self):
        return self.published_at is not None


class Question(models.Model):
    class Type(models.TextChoices):
        TEXT = "text", _("Short text")
        LONG_TEXT = "long_text", _("Long text")
        SCALE = "scale", _("Scale")
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple choice")
        DATE = "date", _("Date")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    version = models.ForeignKey(
        QuestionnaireVersion, on_delete=models.CASCADE, related_name="questions"
    )
    position = models.PositiveSmallIntegerField(default=0)
    type = models.CharField(_("type"), max_length=16, choices=Type.choices)
    text_en = models.CharField(_("question (English)"), max_length=500)
    text_id = models.CharField(_("question (Indonesian)"), max_length=500)
    # Choices, one per line, in the same order in both languages.
    choices_en = models.TextField(_("choices (English, one per line)"), blank=True)
    choices_id = models.TextField(_("choices (Indonesian, one per line)"), blank=True)
    scale_min = models.PositiveSmallIntegerField(_("scale from"), default=1)
    scale_max = models.PositiveSmallIntegerField(_("scale to"), default=5)
    anchor_low_en = models.CharField(_("low anchor (English)"), max_length=100, blank=True)
    anchor_low_id = models.CharField(_("low anchor (Indonesian)"), max_length=100, blank=True)
    anchor_high_en = models.CharField(_("high anchor (English)"), max_length=100, blank=True)
    anchor_high_id = models.CharField(_("high anchor (Indonesian)"), max_length=100, blank=True)
    required = models.BooleanField(_("required"), default=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(scale_min__lt=models.F("scale_max"), scale_max__lte=10),
                name="question_scale_range",
            )
        ]

    def __str__(self):
        return f"Question {self.code}"

    @property
    def key(self):
        return str(self.pk)

    def text(self, language=None):
        return _in(language, self.text_en, self.text_id)

    def choices(self, language=None):
        english = [c.strip() for c in self.choices_en.splitlines() if c.strip()]
        indonesian = [c.strip() for c in self.choices_id.splitlines() if c.strip()]
        if len(indonesian) != len(english):
            indonesian = english
        return [
            (str(i), _in(language, en, ind))
            for i, (en, ind) in enumerate(zip(english, indonesian, strict=True))
        ]

    def anchors(self, language=None):
        return (
            _in(language, self.anchor_low_en, self.anchor_low_id),
            _in(language, self.anchor_high_en, self.anchor_high_id),
        )

    def in_words(self, value, language=None):
        """An answer as a reader reads it: a choice's label, a list of labels, the text."""
        if value in (None, "", []):
            return ""
        if self.type in (self.Type.SINGLE, self.Type.MULTIPLE):
            labels = dict(self.choices(language))
            values = value if isinstance(value, list) else [value]
            return ", ".join(labels.get(str(v), str(v)) for v in values)
        return str(value)


class Response(models.Model):
    """One questionnaire sent to a client (intake, assessment, session feedback) and their
    answers ({question pk: value}), encrypted. Unique per client and occasion, so sending
    twice makes one row."""

    class Stage(models.TextChoices):
        NONE = "", _("-")
        START = "start", _("Start")
        MIDPOINT = "midpoint", _("Midpoint")
        GRADUATION = "graduation", _("Graduation")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="+")
    version = models.ForeignKey(QuestionnaireVersion, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=16, choices=Questionnaire.Kind.choices)
    client = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    contract = models.ForeignKey(
        Contract, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    program = models.ForeignKey(
        Program, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    session = models.ForeignKey(
        Session, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    stage = models.CharField(max_length=16, choices=Stage.choices, blank=True, default="")
    occasion = models.CharField(max_length=120)
    language = models.CharField(max_length=8, blank=True)
    answers = EncryptedJSONField(null=True, blank=True)
    created_at = models.DateTimeField(default=now)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["client", "occasion"], name="response_once")]

    def __str__(self):
        return f"Response {self.code}"


class Stakeholder(models.Model):
    """Besides the sponsor, someone with a stake in the program (logistics, not content)."""

    class Role(models.TextChoices):
        LINE_MANAGER = "line_manager", _("Line manager")
        HR_PARTNER = "hr_partner", _("HR partner")
        MENTOR = "mentor", _("Mentor")
        OTHER = "other", _("Other")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="+")
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    name = models.CharField(_("name"), max_length=120)
    email = models.EmailField(_("email"), blank=True)
    created_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"Stakeholder {self.code}"


class RaterRound(models.Model):
    """A program's 360 feedback: the questionnaire the raters answer, and whether the client
    let the sponsor see the report."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    program = models.OneToOneField(Program, on_delete=models.CASCADE, related_name="+")
    version = models.ForeignKey(QuestionnaireVersion, on_delete=models.PROTECT, related_name="+")
    shared_with_sponsor_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=now)

    def __str__(self):
        return f"RaterRound {self.code}"


class RaterGroup(models.TextChoices):
    MANAGER = "manager", _("Manager")
    PEER = "peer", _("Peers")
    DIRECT_REPORT = "direct_report", _("Direct reports")
    OTHER = "other", _("Others")


class RaterInvitation(models.Model):
    """One rater invited by the client. The link's token is stored hashed; the link works once.
    The rater's answers are not linked back to this row (RaterAnswer has only the group)."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    round = models.ForeignKey(RaterRound, on_delete=models.CASCADE, related_name="+")
    group = models.CharField(_("group"), max_length=16, choices=RaterGroup.choices)
    email = EncryptedCharField(_("email"), max_length=254)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=now)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"RaterInvitation {self.code}"


class RaterAnswer(models.Model):
    """One rater's answers, kept only with their group: shown only as aggregates of a group
    with enough answers."""

    round = models.ForeignKey(RaterRound, on_delete=models.CASCADE, related_name="+")
    group = models.CharField(max_length=16, choices=RaterGroup.choices)
    answers = EncryptedJSONField()
    # The day only: a time of day next to a group's few invitations could tell who answered.
    answered_on = models.DateField(default=localdate)

    class Meta:
        indexes = [models.Index(fields=["round", "group"], name="rateranswer_round_group")]

    def __str__(self):
        return f"RaterAnswer {self.pk}"


class AlignmentMeeting(models.Model):
    """A three-way meeting (client, coach, and the sponsor or a manager) at the start or the
    end of a program, and the goals the three agreed: coaching content, encrypted, read by the
    program's coach and client, and by the sponsor who took part while the client's consent to
    share is in force (ethics.access.alignment_meetings_visible_to)."""

    class Stage(models.TextChoices):
        START = "start", _("Start of the program")
        END = "end", _("End of the program")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    stage = models.CharField(_("when"), max_length=8, choices=Stage.choices)
    held_on = models.DateField(_("held on"))
    with_sponsor = models.BooleanField(_("the sponsor took part"), default=False)
    stakeholder = models.ForeignKey(
        Stakeholder,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("stakeholder who took part"),
    )
    agreed_goals = EncryptedTextField(_("agreed goals"))
    created_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ["held_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["program", "stage"], name="alignment_once_per_stage")
        ]

    def __str__(self):
        return f"AlignmentMeeting {self.code}"
