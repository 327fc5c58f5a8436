"""Settings shared by every run mode. dev, test and prod import this and adjust."""

from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from .env import envbool, envint, envlist, envstr

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(envstr("COACHING_VAR_DIR", str(BASE_DIR / "var")))

SECRET_KEY = envstr("SECRET_KEY")
DEBUG = envbool("DEBUG", False)
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "pgtrigger",
    "django.contrib.admin",
    # Before django.contrib.auth so that its `changepassword` command (which tells the user an
    # operator set their password) is the one manage.py runs.
    "coaching.accounts",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "crispy_forms",
    "crispy_bootstrap5",
    "coaching.notifications",
    "programs.apps.ProgramsConfig",
    "sessions.apps.CoachingSessionsConfig",
    "ethics.apps.EthicsConfig",
    "messaging.apps.MessagingConfig",
    "billing.apps.BillingConfig",
    "paylinks.apps.PaylinksConfig",
    "intake.apps.IntakeConfig",
    "session_templates.apps.SessionTemplatesConfig",
    "supervision.apps.SupervisionConfig",
    "coaching.whatsapp",
]

MIDDLEWARE = [
    # First: nothing may read a form body declared in another charset (it would be a 500).
    "coaching.accounts.middleware.FormCharsetMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # allauth's UserSessionsMiddleware, refreshing "last seen" at most every 5 minutes (#11).
    "coaching.accounts.middleware.UserSessionActivityMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "coaching.accounts.middleware.SessionTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "coaching.accounts.middleware.UserPreferencesMiddleware",
    "coaching.accounts.middleware.PracticeAccessMiddleware",
    "coaching.accounts.middleware.PrivateByDefaultMiddleware",
    "coaching.accounts.middleware.SecurityHeadersMiddleware",
    "ethics.middleware.AccessLogMiddleware",
]

# Sent by SecurityHeadersMiddleware on every response. No inline script or style anywhere
# (static/js/app.js binds the page behaviour); data: images for allauth's TOTP QR code.
CONTENT_SECURITY_POLICY = envstr(
    "CONTENT_SECURITY_POLICY",
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'",
)
PERMISSIONS_POLICY = envstr(
    "PERMISSIONS_POLICY",
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=()",
)

# `make bench` only (scripts/bench.py): an outermost middleware reports the time inside Django
# and the queries of each request in response headers, and the floor pages F0-F2 are served.
BENCH_TIMING = envbool("BENCH_TIMING", False)
if BENCH_TIMING:
    MIDDLEWARE = ["coaching.benchkit.ServerTimingMiddleware", *MIDDLEWARE]

ROOT_URLCONF = "coaching.urls"
WSGI_APPLICATION = "coaching.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "coaching.accounts.context_processors.navigation",
            ],
            # coaching/ is a package, not an app: its tag libraries are named here.
            "libraries": {"rowurls": "coaching.templatetags.rowurls"},
        },
    },
]

# SQLite by default (the embedded run mode); DATABASE_URL switches to PostgreSQL.
DATABASES = {
    "default": dj_database_url.parse(
        envstr("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=envint("DATABASE_CONN_MAX_AGE", 0),
        # A kept connection is checked before a request reuses it, so that after a database
        # restart the first request of each process reconnects instead of failing.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Worker, beat and web share the file; wait for a lock instead of failing at once.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}

REDIS_URL = envstr("REDIS_URL")

# A cache shared by every process: allauth's login rate limits count failures in it, and a
# per-process cache would let an attacker spread attempts across gunicorn workers.
if REDIS_URL:
    CACHES = {
        "default": {
            # Fails open while Redis is down rather than answering 500 (coaching/cache.py).
            "BACKEND": "coaching.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # ASVS L2: at least 12 characters; no upper limit, so long passphrases are welcome.
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "account_login"

# allauth: email and password, no usernames; verification before the first sign-in.
ACCOUNT_ADAPTER = "coaching.accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_FORMS = {"signup": "coaching.accounts.forms.SignupForm"}
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_REAUTHENTICATION_REQUIRED = True
# Seconds a sign-in (or re-authentication) counts as recent for exports, erasure, widening a
# scope and role changes (coaching/accounts/reauth.py).
ACCOUNT_REAUTHENTICATION_TIMEOUT = envint("REAUTHENTICATION_TIMEOUT", 300)
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Coaching] "
# The client's address behind the reverse proxy (README: deployment). allauth's rate limits
# and the "from where" of a contract acceptance read it. Count the proxies that append to
# X-Forwarded-For (1 for one nginx), or name a header a single proxy sets (X-Real-IP);
# 0 and empty: REMOTE_ADDR, right only when nothing sits in front of gunicorn.
ALLAUTH_TRUSTED_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", 0)
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = envstr("TRUSTED_CLIENT_IP_HEADER", "") or None
# login_failed's "key" is the account AND the client address (coaching.accounts.adapter), so
# wrong passwords from elsewhere never lock the owner out.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reauthenticate": "10/m/user",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
# One period either side: phones drift, and a code typed at the turn of a period still works.
MFA_TOTP_TOLERANCE = 1
MFA_TOTP_ISSUER = envstr("MFA_TOTP_ISSUER", "Coaching")
USERSESSIONS_TRACK_ACTIVITY = True  # the sessions page shows "last seen"
USERSESSIONS_TRACK_EVERY = envint("USERSESSIONS_TRACK_EVERY", 300)
# ASVS L2 for confidential data (coaching.accounts.middleware.SessionTimeoutMiddleware):
# coaches and admins are signed out after 30 minutes without a request; everyone 12 hours
# after signing in, and the session cookie and row do not outlive that.
SESSION_IDLE_TIMEOUT = envint("SESSION_IDLE_TIMEOUT", 30 * 60)
SESSION_ABSOLUTE_TIMEOUT = envint("SESSION_ABSOLUTE_TIMEOUT", 12 * 60 * 60)
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

LANGUAGE_CODE = "en"
LANGUAGES = [("id", _("Indonesian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["coaching.formats"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True
DEFAULT_CURRENCY = "IDR"

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
# Uploaded files (billing's proofs of payment), served only through views that check access.
MEDIA_ROOT = Path(envstr("COACHING_MEDIA_ROOT", str(VAR_DIR / "media")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

EMAIL_BACKEND = envstr("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_FILE_PATH = envstr("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
EMAIL_HOST = envstr("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = envstr("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = envstr("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL", "Coaching <no-reply@localhost>")
# Seconds each blocking SMTP step may take: a server that hangs fails the attempt (retried
# with backoff) instead of blocking every reminder until the task's hard time limit.
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", 20)
SITE_URL = envstr("SITE_URL", "http://127.0.0.1:8000")

# Payment links (paylinks/, Midtrans Snap): off unless the server key is set.
MIDTRANS_SERVER_KEY = envstr("MIDTRANS_SERVER_KEY", "")
MIDTRANS_IS_PRODUCTION = envbool("MIDTRANS_IS_PRODUCTION", False)
MIDTRANS_SNAP_URL = envstr(
    "MIDTRANS_SNAP_URL",
    "https://app.midtrans.com/snap/v1/transactions"
    if MIDTRANS_IS_PRODUCTION
    else "https://app.sandbox.midtrans.com/snap/v1/transactions",
)
# WhatsApp reminders (coaching/whatsapp): off unless the token, the phone number id and the
# app secret are all set. README.md "WhatsApp reminders" lists them.
WHATSAPP_TOKEN = envstr("WHATSAPP_TOKEN", "")
WHATSAPP_PHONE_NUMBER_ID = envstr("WHATSAPP_PHONE_NUMBER_ID", "")
WHATSAPP_APP_SECRET = envstr("WHATSAPP_APP_SECRET", "")
WHATSAPP_VERIFY_TOKEN = envstr("WHATSAPP_VERIFY_TOKEN", "")
WHATSAPP_API_BASE = envstr("WHATSAPP_API_BASE", "https://graph.facebook.com")
WHATSAPP_API_VERSION = envstr("WHATSAPP_API_VERSION", "v21.0")
WHATSAPP_TIMEOUT = envint("WHATSAPP_TIMEOUT", 10)

# Fernet keys for coaching content at rest, newest first; older keys still decrypt until
# `manage.py reencrypt_content` has moved everything to the newest (README: key handling).
CONTENT_ENCRYPTION_KEYS = envlist("CONTENT_ENCRYPTION_KEYS")

INVITATION_VALID_DAYS = envint("INVITATION_VALID_DAYS", 14)

# Celery: Redis when REDIS_URL is set, otherwise kombu's filesystem transport, which needs no
# server, so the embedded run mode still has a real worker and beat.
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
else:
    _broker_dir = VAR_DIR / "celery"
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "control_folder": str(_broker_dir / "control"),
    }
# One queue per deployment; a test run names its own so that concurrent runs sharing a Redis
# do not take each other's tasks.
CELERY_TASK_DEFAULT_QUEUE = envstr("CELERY_TASK_DEFAULT_QUEUE", "celery")
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 120
CELERY_TASK_SOFT_TIME_LIMIT = 100
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Ride out a broker outage of any length: reconnect with backoff, never give up.
CELERY_BROKER_CONNECTION_RETRY = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "invitations-send-due": {"task": "accounts.invitations_send_due", "schedule": 60.0},
    # Expiring: ticks queued while no worker runs are dropped, not run in a pile afterwards.
    "notifications-dispatch-due": {
        "task": "notifications.dispatch_due",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    # The daily digests (#14): each user's after 07:00 their time, claimed once a day.
    "notifications-send-digests": {
        "task": "notifications.send_digests",
        "schedule": 900.0,
        "options": {"expires": 840},
    },
    "notifications-scan-upcoming-sessions": {
        "task": "notifications.scan_upcoming_sessions",
        "schedule": 300.0,
        "options": {"expires": 290},
    },
    "notifications-scan-session-reminders": {
        "task": "notifications.scan_session_reminders",
        "schedule": 900.0,
        "options": {"expires": 890},
    },
    "notifications-scan-referral-follow-ups": {
        "task": "notifications.scan_referral_follow_ups",
        "schedule": 3600.0,
        "options": {"expires": 3500},
    },
    "notifications-scan-notes-retention": {
        "task": "notifications.scan_notes_retention",
        "schedule": 86400.0,
        "options": {"expires": 3600},
    },
    "programs-expire-proposals": {
        "task": "notifications.expire_proposals",
        "schedule": 3600.0,
        "options": {"expires": 3500},
    },
    "billing-scan-due": {
        "task": "billing.scan_due",
        "schedule": 3600.0,
        "options": {"expires": 3500},
    },
    # The client's prepared data exports: expired ones deleted, lost requests sent again.
    "ethics-data-exports-sweep": {
        "task": "ethics.data_exports_sweep",
        "schedule": 600.0,
        "options": {"expires": 590},
    },
}

# Beat-driven tasks sweep outboxes in the database ("due and not done") and expire: a
# redelivered tick serves nothing, so they are acknowledged when they start. This also keeps
# the worker alive through a broker outage: kombu 5.7.0's redis transport raises
# AttributeError ('NoneType' object has no attribute 'hostname') while restoring an unacked
# message on a lost connection, and the worker exits ("Unrecoverable error").
CELERY_TASK_ANNOTATIONS = {
    entry["task"]: {"acks_late": False} for entry in CELERY_BEAT_SCHEDULE.values()
}
# A reminder claim is a lease renewed while its batch is being delivered (dispatch.py).
NOTIFICATIONS_CLAIM_LEASE = envint("NOTIFICATIONS_CLAIM_LEASE", 90)
# Emails sent before their `emailed_at` is recorded in one commit: the most a killed worker
# process sends twice (dispatch.py's docstring; 1 = a commit per email).
NOTIFICATIONS_EMAIL_RECORD_GROUP = envint("NOTIFICATIONS_EMAIL_RECORD_GROUP", 10)

# The client's data export and erasure: each app that holds data about a client adds a step.
DATA_EXPORTERS = [
    "sessions.privacy.export",
    "sessions.privacy.export_move_requests",
    "messaging.privacy.export",
    "billing.privacy.export",
    "intake.privacy.export",
    "intake.privacy.export_alignment",
    "coaching.whatsapp.privacy.export",
]
ERASURE_STEPS = [
    "sessions.privacy.erase",
    "messaging.privacy.erase",
    "intake.privacy.erase",
    "supervision.privacy.erase",
    "programs.privacy.erase",
    "coaching.whatsapp.privacy.erase",
    "ethics.prepared_exports.erase",
]
# Called as hook(contract=...) in the transaction that makes a contract active.
CONTRACT_ACTIVATED_HOOKS = ["intake.services.intake_send_for_contract"]
# Called as hook(session=...) in the transaction that marks a session held.
SESSION_HELD_HOOKS = ["intake.services.feedback_send_for_session"]

# Each app's dashboard panels, in the order they appear on a role's dashboard.
DASHBOARD_PANEL_MODULES = [
    "sessions.today",  # first: what needs doing today (#14)
    "coaching.accounts.dashboard",
    "programs.dashboard",
    "sessions.dashboard",
    "coaching.notifications.dashboard",
    "ethics.dashboard",
]

# Steps `manage.py demo` runs after creating the practice and its people, in order.
DEMO_EXTENSIONS = [
    "programs.demo.build",
    "sessions.demo.build",
    "sessions.demo_reminders.demo",
    "ethics.demo.demo",
    "intake.demo.demo",
    "billing.demo.build",
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # WeasyPrint tells each step of every PDF at INFO; its warnings (a refused URL) stay.
        "weasyprint": {"level": "WARNING"},
    },
}
