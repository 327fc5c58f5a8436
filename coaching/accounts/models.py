import uuid
import zoneinfo

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils.timezone import now
from django.utils.translation import gettext_lazy as _

TIMEZONE_CHOICES = [(name, name) for name in sorted(zoneinfo.available_timezones())]
LANGUAGE_CHOICES = [("", _("Practice default"))] + list(settings.LANGUAGES)


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("Users need an email address.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person. Sign-in is by email; what they may do depends on their memberships."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(_("email"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    language = models.CharField(
        _("language"), max_length=8, choices=LANGUAGE_CHOICES, blank=True, default=""
    )
    timezone = models.CharField(
        _("time zone"), max_length=64, choices=TIMEZONE_CHOICES, blank=True, default=""
    )
    is_staff = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=now)
    # Set when an operator (Django admin, `manage.py changepassword`) set the password, cleared
    # when the user sets their own: meanwhile every read of content by this account is in the
    # access log, their own writing included (#12 finding 14; ethics.access._log_rows).
    password_set_by_operator_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        indexes = [
            # The member list's order (coaching.accounts.selectors.member_list): its first page
            # is read in name order, checking each person's membership, instead of sorting all
            # of the practice's people (#11).
            models.Index(fields=["full_name", "email", "id"], name="user_member_list_order"),
        ]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.display_name

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email


class Practice(models.Model):
    """A coaching practice: a solo coach, an institute or a firm's internal coaching team."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("short name in addresses"), max_length=60, unique=True)
    timezone = models.CharField(
        _("time zone"), max_length=64, choices=TIMEZONE_CHOICES, default="Asia/Jakarta"
    )
    currency = models.CharField(_("currency"), max_length=3, default="IDR")
    default_language = models.CharField(
        _("default language"), max_length=8, choices=settings.LANGUAGES, default="id"
    )
    require_mfa_for_staff = models.BooleanField(
        _("require two-factor authentication for staff (admins, coaches, schedulers)"),
        default=False,
    )
    min_session_spacing_days = models.PositiveSmallIntegerField(
        _("minimum days between sessions"), default=7
    )
    # The letterhead of the practice's documents (contract, certificate, invoice PDFs).
    address = models.TextField(_("address"), max_length=500, blank=True)
    # A small PNG or JPEG kept in the row, not in media storage: the PDFs embed it as a data:
    # URL, so rendering reads no file and no URL (coaching/pdf.py), on any number of servers.
    logo = models.BinaryField(_("logo"), blank=True, default=b"")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Membership(models.Model):
    """One role of one person in one practice. A person holds one row per role.

    Deactivation keeps the row (and so the history of who did what); only rows with
    deactivated_at unset grant access.
    """

    class Role(models.TextChoices):
        ADMIN = "admin", _("Admin")
        COACH = "coach", _("Coach")
        CLIENT = "client", _("Client")
        SPONSOR = "sponsor", _("Sponsor")
        # Support staff: logistics only (pipeline, schedule, sessions, reminders), never
        # coaching content, the access log, erasure or the members.
        SCHEDULER = "scheduler", _("Scheduler")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    organisation = models.CharField(
        _("organisation"), max_length=150, blank=True, help_text=_("For sponsors: the employer.")
    )
    created_at = models.DateTimeField(default=now)
    deactivated_at = models.DateTimeField(null=True, blank=True)
    deactivated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["practice", "user", "role"], name="membership_one_row_per_role"
            )
        ]
        indexes = [
            # The gate looks up a user's active roles on every practice page.
            models.Index(fields=["user", "practice"], name="membership_user_practice"),
            # The practice's active members: counted by role (the admin dashboard) and by
            # person (the member list's total), from the index alone.
            models.Index(
                fields=["practice", "role", "user"],
                condition=Q(deactivated_at__isnull=True),
                name="membership_active_by_role",
            ),
            # The admin dashboard's count of active members of each role, from this narrower
            # index alone: with only the one above, PostgreSQL read the 5,300 rows of the
            # bench's largest practice through the practice_id index (1.2 ms, #11).
            models.Index(
                fields=["practice", "role"],
                condition=Q(deactivated_at__isnull=True),
                name="membership_active_role_count",
            ),
        ]

    def __str__(self):
        return f"{self.user_id}@{self.practice_id}:{self.role}"

    @property
    def is_active(self):
        return self.deactivated_at is None


class InvitationQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(accepted_at=None, revoked_at=None)

    def unsent(self):
        return self.pending().filter(sent_at=None, expires_at__gt=now())


class Invitation(models.Model):
    """An invitation by email to a role in a practice, redeemed once through a signed link.

    The link carries the code signed with SECRET_KEY (coaching.accounts.services.invitation_token),
    so nothing secret is stored; accepted_at makes it one-time and expires_at makes it expire.
    """

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("email"))
    role = models.CharField(_("role"), max_length=16, choices=Membership.Role.choices)
    organisation = models.CharField(_("organisation"), max_length=150, blank=True)
    full_name = models.CharField(_("name"), max_length=150, blank=True)
    language = models.CharField(max_length=8, choices=settings.LANGUAGES)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=now)
    expires_at = models.DateTimeField()
    # Outbox fields: the email is claimed (claimed_at) before it is sent and marked sent after,
    # so a crash between the two re-sends it rather than losing it.
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["practice", "email", "role"],
                condition=Q(accepted_at=None, revoked_at=None),
                name="invitation_one_pending_per_role",
            )
        ]

    def __str__(self):
        return f"Invitation {self.code}"

    @property
    def is_expired(self):
        return self.expires_at <= now()

    @property
    def status(self):
        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "revoked"
        if self.is_expired:
            return "expired"
        return "pending"
