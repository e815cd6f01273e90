"""Settings for the ISP Portal, read from environment variables (see .env.example)."""

import sys
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)
# Demo mode: an embedded SQLite database with demo partners and demo people. Never in production.
DEMO_MODE = env.bool("DEMO_MODE", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off (set DEBUG=1 for local development)."
        )
    SECRET_KEY = "insecure-development-key-only-used-when-debug-is-on"  # noqa: S105

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "guardian",
    "pgtrigger",
    "csp",
    "django_q",
    # Sign-in lockout after repeated failures (governance.accounts.lockout).
    "axes",
    # The second factor (ADR 0006): authenticator apps (TOTP), recovery codes, passkeys.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "ui",
    "documents",
    "governance.people",
    "governance.audit",
    "governance.outbox",
    "governance.breaches",
    "governance.oversight",
    "governance.accounts",
    "requests_app",
    "consent",
    "isp_portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): the session passed the second factor (ADR 0006).
    "django_otp.middleware.OTPMiddleware",
    "governance.accounts.sessions.NoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "governance.accounts.sessions.SessionLifetimeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "governance.audit.middleware.AuditRequestContextMiddleware",
    # After the password, only the second-factor pages until it is passed (ADR 0006).
    "governance.accounts.second_factor.SecondFactorRequiredMiddleware",
    # Last, as django-axes requires; it marks nothing itself (see AXES_LOCKOUT_CALLABLE).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "isp_portal.urls"
WSGI_APPLICATION = "isp_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "isp_portal.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
# Persistent connections: opening a PostgreSQL connection dominates a small page's cost.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # The portal's queries are short: PostgreSQL's JIT compiler only adds latency to them.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
elif DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # `make run`: the web server and the task worker share the file. WAL lets pages read while
    # a worker writes; IMMEDIATE takes the write lock at the start of a transaction rather than
    # failing half-way; a writer waits up to 20 s for the other.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )
# Two PostgreSQL roles (docs/security.md): the portal connects as its own role (DATABASE_URL),
# which may not change or delete the audit trail or the write-once records and owns no table;
# `manage.py migrate` connects as the schema's owner (DATABASE_OWNER_URL, same database).
# DATABASE_APP_ROLE names the portal's role for the grants (governance.audit 0005): by default
# the role the URL switches to (`?assume_role=`, as the test suite does) or, with an owner URL,
# DATABASE_URL's user. Empty: one role for everything, and no grants are made.
DATABASE_OWNER_URL = env.str("DATABASE_OWNER_URL", default="")
DATABASE_APP_ROLE = env.str(
    "DATABASE_APP_ROLE",
    default=DATABASES["default"].get("OPTIONS", {}).get("assume_role")
    or (DATABASES["default"].get("USER", "") if DATABASE_OWNER_URL else ""),
)

AUTH_USER_MODEL = "governance.User"
AUTHENTICATION_BACKENDS = [
    # First: django-axes' AxesBackend, which refuses a locked-out account or address before any
    # password is checked (a subclass that also accepts code authenticating without a request).
    "governance.accounts.lockout.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
# Guardian's anonymous user row is not needed: anonymous people see nothing.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = True

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Argon2id (OWASP ASVS 2.4.4, the password storage cheat sheet's first choice): memory-hard,
# and on a 2-CPU server a sign-in costs tens of milliseconds rather than PBKDF2's hundreds.
# Passwords stored with PBKDF2 are still accepted and rehashed with Argon2 at the next sign-in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sign-in lockout (ASVS 2.2.1, django-axes; governance.accounts.lockout): after
# SIGN_IN_FAILURE_LIMIT failed sign-ins for one email address, and separately from one IP
# address, sign-in is refused whatever the password until SIGN_IN_LOCKOUT_MINUTES after the last
# failure, or until the person's SPOC or an administrator unlocks it.
SIGN_IN_FAILURE_LIMIT = env.int("SIGN_IN_FAILURE_LIMIT", default=5)
SIGN_IN_LOCKOUT_MINUTES = env.int("SIGN_IN_LOCKOUT_MINUTES", default=15)
AXES_FAILURE_LIMIT = SIGN_IN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=SIGN_IN_LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_HANDLER = "governance.accounts.lockout.AuditedLockoutHandler"
# The attempts table holds a keyed hash of the typed address, never the address: it may be a
# password typed into the wrong box.
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "governance.accounts.lockout.lockout_key_for_request"
# REMOTE_ADDR, checked, as the audit trail reads it (no client-supplied forwarding header).
AXES_CLIENT_IP_CALLABLE = "governance.accounts.lockout.client_ip"
# A locked-out attempt gets the sign-in page's one message, like any failed sign-in.
AXES_LOCKOUT_CALLABLE = "governance.accounts.lockout.lockout_response"
# A success does not clear failures: it would clear every failure from the same address, so an
# insider could reset a colleague's count by signing in between guesses.
AXES_RESET_ON_SUCCESS = False
# Attempts while locked out do not extend the lockout, so "wait 15 minutes" stays true.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# Sign-ins are in the audit trail: no second log, and no admin pages that unlock unaudited.
AXES_DISABLE_ACCESS_LOG = True
AXES_ENABLE_ADMIN = False
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "csrfmiddlewaretoken"]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Attachments hold personal data: stored outside the web root, served only through a
# permission-checked, audited view.
MEDIA_ROOT = Path(env.str("PRIVATE_FILES_ROOT", default=str(BASE_DIR / "private_files")))
# No URL serves MEDIA_ROOT; this prefix exists only because Django requires one.
MEDIA_URL = "/private-files-are-not-served/"
# The audit chain's daily anchors (governance.audit.anchors). In production a place the portal
# cannot rewrite: an object store with retention, another host (docs/security.md).
AUDIT_ANCHOR_DIR = Path(env.str("AUDIT_ANCHOR_DIR", default=str(MEDIA_ROOT / "audit-anchors")))
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 10_485_760

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CRISPY_ALLOWED_TEMPLATE_PACKS = ("govuk",)
CRISPY_TEMPLATE_PACK = "govuk"

EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
# For the file-based backend (EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend).
EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH", default=str(BASE_DIR / "sent-emails"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="isp-portal@localhost")
# protocol 9.2 "an agreed timescale": the partnership's, in working days (England and Wales
# bank holidays excluded). The due date is this from receipt, or "required by" if earlier.
ISP_TIMESCALE_STANDARD_WORKING_DAYS = env.int("ISP_TIMESCALE_STANDARD_WORKING_DAYS", default=10)
ISP_TIMESCALE_URGENT_WORKING_DAYS = env.int("ISP_TIMESCALE_URGENT_WORKING_DAYS", default=2)
# Lists tag a request "Due soon" this many working days ahead; the assigned officer is reminded
# then too.
ISP_DUE_SOON_WORKING_DAYS = env.int("ISP_DUE_SOON_WORKING_DAYS", default=2)
# An urgent request nobody has taken after this many hours is escalated to the SPOCs.
ISP_URGENT_ESCALATION_HOURS = env.int("ISP_URGENT_ESCALATION_HOURS", default=4)

# The task engine (ADR 0005): django-q2 with the database as its queue, so PostgreSQL in
# production and SQLite under `make run` need nothing else; start workers with
# `manage.py qcluster` on as many machines as needed. Tests run tasks inline (sync) unless a
# test starts a real worker.
TASK_MAX_ATTEMPTS = env.int("TASK_MAX_ATTEMPTS", default=5)
TASK_TIMEOUT_SECONDS = env.int("TASK_TIMEOUT_SECONDS", default=60)
Q_CLUSTER = {
    "name": "isp_portal",
    "orm": "default",
    "workers": env.int("TASK_WORKERS", default=2),
    "timeout": TASK_TIMEOUT_SECONDS,
    # A task that failed or whose worker died is handed out again after this many seconds,
    # up to TASK_MAX_ATTEMPTS times (failed tasks are not acknowledged until then).
    "retry": env.int("TASK_RETRY_SECONDS", default=TASK_TIMEOUT_SECONDS * 2),
    "max_attempts": TASK_MAX_ATTEMPTS,
    "ack_failures": False,
    "poll": env.float("TASK_POLL_SECONDS", default=1.0),
    "catch_up": False,
    "save_limit": 1000,
    "label": "Tasks",
    "sync": env.bool("TASKS_SYNC", default="pytest" in sys.modules),
}

# The address used in links inside notification emails.
PORTAL_BASE_URL = env.str("PORTAL_BASE_URL", default="http://127.0.0.1:8000")

# Passkeys (WebAuthn, django-otp-webauthn) are bound to the portal's domain, taken from
# PORTAL_BASE_URL. Browsers refuse an IP address as that domain and allow plain http only on
# localhost, so the demo's 127.0.0.1 becomes localhost: open the demo at http://localhost:PORT
# to use a passkey. A passkey is a second factor only, never a way in without the password.
_portal_address = urlsplit(PORTAL_BASE_URL)
_passkey_host = (
    "localhost"
    if _portal_address.hostname in ("127.0.0.1", "::1")
    else _portal_address.hostname or "localhost"
)
_passkey_port = f":{_portal_address.port}" if _portal_address.port else ""
OTP_WEBAUTHN_RP_ID = _passkey_host
OTP_WEBAUTHN_RP_NAME = "ISP Portal"
OTP_WEBAUTHN_ALLOWED_ORIGINS = [f"{_portal_address.scheme}://{_passkey_host}{_passkey_port}"]
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False
# Why py_webauthn refused a ceremony (wrong origin, bad signature) is logged: no personal data.
OTP_WEBAUTHN_EXCEPTION_LOGGER_NAME = "django_otp_webauthn"

# Security headers and cookies.
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
if SESSION_COOKIE_SECURE:
    # The __Host- prefix makes the browser refuse the cookie unless it is Secure, for this host
    # only (no Domain) and for every path: a sibling subdomain cannot set or overwrite it.
    # Nothing reads the CSRF cookie by name (forms carry the token; CSRF_COOKIE_HTTPONLY).
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
# Sessions (governance.accounts.sessions): they end after 30 minutes without a request (the
# timeout warning offers to stay signed in), SESSION_ABSOLUTE_SECONDS after sign-in whatever
# the activity, and when the browser closes.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=30 * 60)
SESSION_ABSOLUTE_SECONDS = env.int("SESSION_ABSOLUTE_SECONDS", default=12 * 60 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# HTTPS: with DEBUG off every default is the strict one (redirect to https, HSTS for a year on
# this host and its subdomains); with DEBUG on (the demo, `make run`) plain http keeps working.
# The test suite, which runs with DEBUG off over http, sets SECURE_SSL_REDIRECT=0 explicitly.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
# Preloading is a browser-wide, hard-to-undo commitment for the whole domain: only on request.
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
# security.W021 ("SECURE_HSTS_PRELOAD is not True") is deliberate: preloading is the domain
# owner's decision (submission to hstspreload.org), set with SECURE_HSTS_PRELOAD=1, not ours.
SILENCED_SYSTEM_CHECKS = ["security.W021"]
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # The inbox's covering index (req_inbox_received) is for PostgreSQL; SQLite builds it
    # without its extra columns, which is all `make run` needs.
    SILENCED_SYSTEM_CHECKS.append("models.W040")


def _proxy_ssl_header(value: str) -> tuple[str, str] | None:
    """Parse SECURE_PROXY_SSL_HEADER ("HTTP_X_FORWARDED_PROTO,https"); empty means not trusted."""
    if not value.strip():
        return None
    parts = [part.strip() for part in value.split(",")]
    if len(parts) != 2 or not parts[0].startswith("HTTP_") or not parts[1]:
        raise ImproperlyConfigured(
            "SECURE_PROXY_SSL_HEADER must be a request header and its https value, "
            'e.g. "HTTP_X_FORWARDED_PROTO,https".'
        )
    return (parts[0], parts[1])


# Trust a proxy's "this was https" header only when the deployment says its proxy sets it (and
# strips it from clients' requests); otherwise a client could claim https by sending it.
SECURE_PROXY_SSL_HEADER = _proxy_ssl_header(env.str("SECURE_PROXY_SSL_HEADER", default=""))

# Strict Content Security Policy: no inline scripts or styles anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}

# Audit: the working day outside which access to personal details is highlighted to SPOCs.
AUDIT_WORKING_HOURS = (
    env.int("AUDIT_WORKDAY_START", default=7),
    env.int("AUDIT_WORKDAY_END", default=19),
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # WeasyPrint reports each rendering step at INFO: noise in production logs. django-axes
    # reports each failure and lockout at WARNING, with the address and the IP masked.
    "loggers": {"weasyprint.progress": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}
