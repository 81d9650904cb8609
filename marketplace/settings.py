"""The one settings module, driven by environment variables (see README "Configuration").

Production-safe by default: DEBUG is off unless switched on, and with DEBUG off a SECRET_KEY must be given.
`make run` and the tests switch DEBUG on themselves.
"""

import os
from pathlib import Path
from urllib.parse import unquote, urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from marketplace import address_settings, localdb
from marketplace.env import env_bool, env_float, env_int, env_list, load_dotenv

BASE_DIR = Path(__file__).resolve().parent.parent


# Local development settings (git-ignored, written by `make`); real environment variables win.
load_dotenv(BASE_DIR / ".env")

DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off (e.g. SECRET_KEY=$(openssl rand -hex 32))."
        )
    SECRET_KEY = "insecure-development-key-only-used-with-DEBUG-on"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django.contrib.syndication",
    "django_filters",
    "django_htmx",
    "marketplace.apps.MarketplaceConfig",
    "municipalities",
    "solutions",
    "pilots",
    "solutions.agreements.apps.AgreementsConfig",
    "marketplace.inquiries.apps.InquiriesConfig",
    "marketplace.procurement.apps.ProcurementConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "marketplace.faults.DatabaseUnavailableMiddleware",
    "marketplace.middleware.PermissionsPolicyMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "marketplace.opendata.discovery.LanguageParameterMiddleware",  # ?lang=en: hreflang needs an address
    "django.middleware.common.CommonMiddleware",
    "marketplace.middleware.AllowedMethodsMiddleware",  # before the CSRF check: a PUT gets 405, not 403
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "marketplace.urls"
WSGI_APPLICATION = "marketplace.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "marketplace.context_processors.site",
                # canonical_url, alternate_urls (hreflang), page_description, og_locale
                "marketplace.opendata.discovery.context",
                # my_municipality (lazy: no query unless a template reads it)
                "municipalities.choice.context",
            ],
        },
    },
]

# Database: DATABASE_URL, else the project-local cluster under .pg/ (marketplace/localdb.py).
if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"])}
    if not DATABASES["default"]["ENGINE"].endswith("postgresql"):
        raise ImproperlyConfigured(
            "DATABASE_URL must point to PostgreSQL (postgres://user:pass@host:port/name)."
        )
else:
    if localdb.find_binary("pg_ctl") is None:
        raise ImproperlyConfigured(
            "No DATABASE_URL is set and no PostgreSQL server binaries were found: "
            "install PostgreSQL (apt-get install postgresql) or set DATABASE_URL=postgres://user:pass@host:port/name."
        )
    DATABASES = {"default": localdb.connection_settings()}
# psycopg 3 connection pool per process; CONN_MAX_AGE must stay 0 with a pool.
# While the database is down every request waits DB_POOL_TIMEOUT seconds for a connection before it gets the
# 503 page (marketplace/faults.py), so keep it short; a healthy pool hands out a connection in microseconds.
# The pool retries a lost connection with growing pauses (1, 2, 4, ... s) until DB_POOL_RECONNECT_TIMEOUT,
# then gives up and starts afresh at the next request: psycopg's default of 300 s let the site stay down
# for up to minutes after a long outage had ended (19 s after a 40 s outage; under 1 s with 10 s).
if env_bool("DB_POOL", True):
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": env_int("DB_POOL_MIN", 1),
        "max_size": env_int("DB_POOL_MAX", 10),
        "timeout": env_float("DB_POOL_TIMEOUT", 1.0),
        "reconnect_timeout": env_float("DB_POOL_RECONNECT_TIMEOUT", 10.0),
    }
DATABASES["default"]["CONN_MAX_AGE"] = 0
# Behind PgBouncer in transaction mode a server-side cursor cannot outlive its transaction:
# DB_PGBOUNCER_TRANSACTION=1 makes Django read large results (the streamed exports) with client-side cursors.
DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = env_bool("DB_PGBOUNCER_TRANSACTION", False)
# With a pool this makes the pool check each connection before handing it out, so connections that died with
# a database restart are replaced instead of failing the next requests.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"]["TEST"] = {"NAME": os.environ.get("TEST_DATABASE_NAME") or None}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Internationalisation: German first, English complete.
LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("Deutsch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

# Static files and uploads. Uploads go through the storage API so object storage can replace the disk.
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# E-mail: EMAIL_URL (smtp://user:pass@host:587, smtps://user:pass@host:465, console://) or the
# EMAIL_* variables (EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS,
# EMAIL_USE_SSL). Django 6.1 configures mail through MAILERS; the EMAIL_* names survive here only as
# environment variables.
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Smart-City-Marktplatz <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
_CONSOLE_MAILER = {"BACKEND": "django.core.mail.backends.console.EmailBackend"}


def _smtp_mailer(host, port, username, password, use_tls, use_ssl) -> dict:
    return {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": host,
            "port": port,
            "username": username,
            "password": password,
            "use_tls": use_tls,
            "use_ssl": use_ssl,
            "timeout": 20,
        },
    }


_email_url = os.environ.get("EMAIL_URL")
if _email_url:
    _parts = urlsplit(_email_url)
    if _parts.scheme == "console":
        _mailer = _CONSOLE_MAILER
    elif _parts.scheme in {"smtp", "smtps"}:
        _mailer = _smtp_mailer(
            _parts.hostname or "localhost",
            _parts.port or (465 if _parts.scheme == "smtps" else 587),
            unquote(_parts.username or ""),
            unquote(_parts.password or ""),
            use_tls=_parts.scheme == "smtp" and (_parts.port or 587) != 25,
            use_ssl=_parts.scheme == "smtps",
        )
    else:
        raise ImproperlyConfigured(
            f"EMAIL_URL scheme {_parts.scheme!r} is not supported (smtp, smtps, console)."
        )
elif os.environ.get("EMAIL_HOST"):
    _mailer = _smtp_mailer(
        os.environ["EMAIL_HOST"],
        env_int("EMAIL_PORT", 587),
        os.environ.get("EMAIL_HOST_USER", ""),
        os.environ.get("EMAIL_HOST_PASSWORD", ""),
        use_tls=env_bool("EMAIL_USE_TLS", True),
        use_ssl=env_bool("EMAIL_USE_SSL", False),
    )
elif DEBUG:
    _mailer = _CONSOLE_MAILER
else:
    _mailer = _smtp_mailer("localhost", 25, "", "", use_tls=False, use_ssl=False)
MAILERS = {"default": _mailer}

# Security. The CSP holds in every mode; the transport rules only without DEBUG (no TLS in development).
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads no cookie; the token travels in the form
LANGUAGE_COOKIE_SAMESITE = "Lax"

if env_bool("TRUST_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

SITE_NAME = "Smart-City-Marktplatz"
# Scheme and host the public uses (https://marktplatz.example.de): e-mail links and structured data are
# built from it, never from the request's Host header (defaults: marketplace/address_settings.py).
SITE_URL = address_settings.canonical_site_url(
    os.environ.get("SITE_URL", ""), debug=DEBUG, allowed_hosts=ALLOWED_HOSTS, port=env_int("PORT", 8000)
)
# The admin lives under a configurable path so it is not where scanners look first.
ADMIN_PATH = os.environ.get("ADMIN_PATH", "admin/").strip("/") + "/"

# ---------- Vendor portal (accounts, lockout, background mail, uploads) ----------
INSTALLED_APPS += ["axes", "django_tasks_db"]
# Axes wants its middleware last: it turns a lockout flagged during authentication into the lockout page.
MIDDLEWARE.append("axes.middleware.AxesMiddleware")
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Failed logins count twice. Per account name and address (AXES_FAILURE_LIMIT): one address gets a few
# guesses. Per account name from all addresses together (AXES_ACCOUNT_FAILURE_LIMIT, higher): guesses
# spread over many addresses (a botnet, an IPv6 range) stop too, while a stranger needs many addresses to
# lock a vendor out on purpose. Axes 8 knows one limit for every combination of AXES_LOCKOUT_PARAMETERS;
# the handler in marketplace/accounts/lockout.py applies the higher one to the name alone. Attempts made while
# locked are not recorded, so one address adds at most AXES_FAILURE_LIMIT to an account's count.
AXES_HANDLER = "marketplace.accounts.lockout.AccountLockoutHandler"
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_ACCOUNT_FAILURE_LIMIT = env_int("AXES_ACCOUNT_FAILURE_LIMIT", 50)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_HOURS", 1)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "username"]
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Behind a reverse proxy every request comes from the proxy. TRUSTED_PROXIES lists the proxies' addresses
# or networks; only a request from one of them may name the client in CLIENT_IP_HEADER (X-Forwarded-For
# unless set), read from the right past every trusted proxy. From anywhere else the header is ignored, so
# nobody can pick an address to escape a lockout or a rate limit (marketplace/ratelimit.py).
TRUSTED_PROXIES = address_settings.networks("TRUSTED_PROXIES", env_list("TRUSTED_PROXIES"))
CLIENT_IP_HEADER = address_settings.client_ip_header(
    os.environ.get("CLIENT_IP_HEADER"), trusted_proxies=TRUSTED_PROXIES
)
AXES_CLIENT_IP_CALLABLE = "marketplace.ratelimit.client_address"
# Lockouts are still logged as warnings; this only drops the start banner and per-login info lines.
AXES_VERBOSE = env_bool("AXES_VERBOSE", False)

# Mail and other slow work leave the request through Django's tasks framework; the database backend
# keeps the queue in PostgreSQL and a worker runs it (`manage.py db_worker`). With DEBUG on (make run)
# tasks run at once unless TASKS_BACKEND says otherwise, so the console shows the mail without a worker.
_DEFAULT_TASKS_BACKEND = (
    "django.tasks.backends.immediate.ImmediateBackend" if DEBUG else "django_tasks_db.DatabaseBackend"
)
TASKS = {"default": {"BACKEND": os.environ.get("TASKS_BACKEND", _DEFAULT_TASKS_BACKEND)}}

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "vendor:dashboard"
LOGOUT_REDIRECT_URL = "home"
# The e-mail verification link and the password reset link stay valid for three days.
PASSWORD_RESET_TIMEOUT = 3 * 24 * 3600

# Rate limits (forms that send mail) count in the default cache. The local-memory cache counts per
# process; with several workers point CACHE_BACKEND/CACHE_LOCATION at a shared cache in production.
CACHES = {
    "default": {
        "BACKEND": os.environ.get("CACHE_BACKEND", "django.core.cache.backends.locmem.LocMemCache"),
        "LOCATION": os.environ.get("CACHE_LOCATION", "marketplace"),
    }
}
# Catalog pages and the home page are kept rendered per content version (marketplace/catalog/pagecache.py);
# PAGE_CACHE=0 renders every request (to compare, or to look for a page that differs from its kept copy).
PAGE_CACHE = env_bool("PAGE_CACHE", True)
# (attempts, window in seconds) per client address, and per account where one is logged in.
PORTAL_SIGNUP_RATE = (env_int("PORTAL_SIGNUP_LIMIT", 5), 3600)
PORTAL_PASSWORD_RESET_RATE = (env_int("PORTAL_PASSWORD_RESET_LIMIT", 5), 3600)
PORTAL_VERIFY_RESEND_RATE = (env_int("PORTAL_VERIFY_RESEND_LIMIT", 3), 3600)
PORTAL_JOIN_REQUEST_RATE = (env_int("PORTAL_JOIN_REQUEST_LIMIT", 10), 3600)
ENQUIRY_RATE = (env_int("ENQUIRY_LIMIT", 10), 3600)
# Requests for information from the Merkliste (docs/inquiries.md), per client address and account.
INQUIRY_RATE = (env_int("INQUIRY_LIMIT", 5), 3600)
# Joint-buying declarations on a solution page (docs/procurement.md), per client address and account; and how
# many confirmed municipalities of one Land make a group the editors hear of (once).
JOINT_BUYING_RATE = (env_int("JOINT_BUYING_LIMIT", 10), 3600)
JOINT_BUYING_GROUP_SIZE = env_int("JOINT_BUYING_GROUP_SIZE", 3)
# Merkliste changes (add, remove, note, adopt) per client address and account.
SHORTLIST_RATE = (env_int("SHORTLIST_LIMIT", 120), 600)
# Markterkundung PDFs of the Merkliste (seconds of CPU for a long list), per client address and account.
SHORTLIST_PDF_RATE = (env_int("SHORTLIST_PDF_LIMIT", 20), 600)
# The municipality search and its autocomplete (a request per pause in typing), per address and minute.
MUNICIPALITY_FIND_RATE = (env_int("MUNICIPALITY_FIND_LIMIT", 600), 60)
# Open-data exports (marketplace/opendata/): each streams a whole catalog, so a client gets a few a minute.
OPEN_DATA_EXPORT_RATE = (env_int("OPEN_DATA_EXPORT_LIMIT", 30), 60)
# The read-only API (/api/v1/) per client address and minute; over it a 429 with Retry-After.
API_RATE = (env_int("API_LIMIT", 120), 60)
# E-mails the forms may send to one address, whoever asks from wherever: the forms cannot be turned into a
# way to flood someone's inbox. Counted over every form together (sign-up, reset, resend, enquiries).
MAIL_RECIPIENT_RATE = (env_int("MAIL_RECIPIENT_LIMIT", 5), 3600)

# Upload limits of the vendor portal (bytes), checked by the forms before any file is decoded.
PORTAL_LOGO_MAX_BYTES = env_int("PORTAL_LOGO_MAX_BYTES", 2 * 1024 * 1024)
PORTAL_LOGO_MAX_PIXELS = 512
# Width × height an uploaded logo may declare, checked from its header before any pixel is decoded:
# decoding needs up to 16 bytes per pixel (WebP), so 2048 × 2048 keeps a worker's growth under 100 MB.
PORTAL_LOGO_MAX_SOURCE_PIXELS = env_int("PORTAL_LOGO_MAX_SOURCE_PIXELS", 2048 * 2048)
PORTAL_DOCUMENT_MAX_BYTES = env_int("PORTAL_DOCUMENT_MAX_BYTES", 10 * 1024 * 1024)
PORTAL_DOCUMENTS_PER_SOLUTION = 5
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
# Addresses told about new submissions (comma-separated); empty: the staff users' addresses.
EDITOR_EMAILS = env_list("EDITOR_EMAILS")
# The link check never connects to loopback, private, link-local or other non-public addresses. For tests
# and local development only: networks exempted from that rule (comma-separated CIDR, e.g. 127.0.0.1/32).
# Leave empty in production: an entry here lets vendor links reach services inside the server's network.
LINKCHECK_ALLOWED_NETWORKS = env_list("LINKCHECK_ALLOWED_NETWORKS")

# ---------- Editorial history and data exchange ----------
# pghistory records every change to the tracked models through database triggers, so bulk updates and
# raw SQL are captured too; its middleware attaches the request's user and URL to each event.
INSTALLED_APPS += ["pgtrigger", "pghistory", "import_export"]
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
    "pghistory.middleware.HistoryMiddleware",
)
# HEAD as well as GET, so both load the user alike and answer with the same headers (Vary: Cookie).
PGHISTORY_MIDDLEWARE_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")

# ---------- Editor security: second factor for the admin ----------
# django-otp with TOTP devices (authenticator apps). The admin site (marketplace/admin_site.py) asks for the
# one-time code whenever ADMIN_REQUIRE_OTP is on, which it is by default whenever DEBUG is off. Staff enrol
# a device with `manage.py add_totp <username>` (prints the otpauth:// URI and the secret).
INSTALLED_APPS[INSTALLED_APPS.index("django.contrib.admin")] = "marketplace.admin_apps.EditorAdminConfig"
INSTALLED_APPS += ["django_otp", "django_otp.plugins.otp_totp"]
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
    "django_otp.middleware.OTPMiddleware",
)
ADMIN_REQUIRE_OTP = env_bool("ADMIN_REQUIRE_OTP", not DEBUG)
OTP_TOTP_ISSUER = SITE_NAME
