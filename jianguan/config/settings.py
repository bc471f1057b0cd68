"""Settings of jianguan, read from the environment (see `.env.example` for every variable).

Strict: a value of the wrong type stops start-up with the variable's name. Debug is off unless
`JIANGUAN_DEBUG=true` (for development only: `make demo` runs with it off).
"""

from __future__ import annotations

import base64
import secrets
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.utils.csp import CSP

from jianguan.core.env import Env, EnvError
from jianguan.core.hashing import ALGORITHMS
from jianguan.enforcement import procedure

env = Env()

PACKAGE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = env.path("JIANGUAN_VAR_DIR", PACKAGE_DIR.parent / "var")


def _secret_key() -> str:
    """From JIANGUAN_SECRET_KEY, or a key generated once into var/secret_key (mode 600)."""
    key = env.str("JIANGUAN_SECRET_KEY", "")
    if key:
        return key
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()


def _data_key() -> bytes:
    """The key that seals personal data (ID numbers) at rest: JIANGUAN_DATA_KEY (base64 of 32 bytes), or a key
    generated once into var/data_key (mode 600). Losing it makes sealed values unreadable: back it up
    (`jianguan backup` keeps it with the database and the files; `jianguan datakey rotate` replaces it)."""
    raw = env.str("JIANGUAN_DATA_KEY", "")
    path = DATA_KEY_FILE
    if not raw:
        if not path.exists():
            VAR_DIR.mkdir(parents=True, exist_ok=True)
            path.write_text(base64.b64encode(secrets.token_bytes(32)).decode())
            path.chmod(0o600)
        raw = path.read_text().strip()
    try:
        key = base64.b64decode(raw, validate=True)
    except ValueError:
        key = b""
    if len(key) != 32:
        raise EnvError("JIANGUAN_DATA_KEY", "32 字节密钥的 base64 编码", "base64 of 32 bytes", raw[:8] + "…")
    return key


DATA_KEY_FILE = VAR_DIR / "data_key"
JIANGUAN_DATA_KEY = _data_key()


def _checkpoint_key() -> tuple[bytes, str]:
    """The Ed25519 key that signs the audit chain's checkpoints (ADR 0023), kept outside the database:
    JIANGUAN_CHECKPOINT_KEY (base64 of the 32-byte private key), or a key generated once into
    var/checkpoint_key (mode 600). Returns the key and where it came from (said at start-up)."""
    raw = env.str("JIANGUAN_CHECKPOINT_KEY", "")
    path = VAR_DIR / "checkpoint_key"
    source = "JIANGUAN_CHECKPOINT_KEY"
    if not raw:
        if not path.exists():
            VAR_DIR.mkdir(parents=True, exist_ok=True)
            path.write_text(base64.b64encode(secrets.token_bytes(32)).decode())
            path.chmod(0o600)
        raw, source = path.read_text().strip(), str(path)
    try:
        key = base64.b64decode(raw, validate=True)
    except ValueError:
        key = b""
    if len(key) != 32:
        raise EnvError("JIANGUAN_CHECKPOINT_KEY", "32 字节 Ed25519 私钥的 base64 编码", "base64 of 32 bytes",
                       raw[:8] + "…")
    return key, source


JIANGUAN_CHECKPOINT_KEY, JIANGUAN_CHECKPOINT_KEY_SOURCE = _checkpoint_key()
# Public keys (base64) of earlier checkpoint keys, still trusted for the checkpoints they signed.
JIANGUAN_CHECKPOINT_PAST_KEYS = env.list("JIANGUAN_CHECKPOINT_PAST_KEYS", [])
# Where each checkpoint is also written as a file: the copy outside the database rows.
JIANGUAN_CHECKPOINT_DIR = env.path("JIANGUAN_CHECKPOINT_DIR", VAR_DIR / "checkpoints")
# Where the data key lives, said at start-up (`jianguan demo`, the WSGI server) so that it is backed up.
DATA_KEY_SOURCE = "JIANGUAN_DATA_KEY" if env.str("JIANGUAN_DATA_KEY", "") else str(DATA_KEY_FILE)
DEBUG = env.bool("JIANGUAN_DEBUG", False)
ALLOWED_HOSTS = env.list("JIANGUAN_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("JIANGUAN_CSRF_TRUSTED_ORIGINS", [])

DATABASES = {"default": env.database("JIANGUAN_DATABASE_URL", f"sqlite:///{VAR_DIR / 'jianguan.sqlite3'}")}
# Where pg_dump, pg_restore and psql are, for `jianguan backup` / `jianguan restore` on PostgreSQL (empty: Debian's
# /usr/lib/postgresql/<major>/bin, the server's version first, else PATH).
JIANGUAN_PG_BINDIR = env.str("JIANGUAN_PG_BINDIR", "")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "jianguan.core",
    "jianguan.audit",
    "jianguan.accounts",
    "jianguan.subjects",
    "jianguan.laws",
    "jianguan.catalog",
    "jianguan.behaviour",
    "jianguan.credit",
    "jianguan.discretion",
    "jianguan.complaints",
    "jianguan.redaction",
    "jianguan.risk",
    "jianguan.documents",
    "jianguan.enforcement",
    "jianguan.coercion",
    "jianguan.inspections",
    "jianguan.spotchecks",
    "jianguan.disclosure",
    "jianguan.joint",
    "jianguan.casebook",
    "jianguan.remote",
    "jianguan.chain",
    "jianguan.exchange",
    "jianguan.articles",
    "jianguan.opendata",
    "jianguan.evaluation",
    "jianguan.leaders",
    "jianguan.portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "jianguan.opendata.cors.PublicCors",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "jianguan.core.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "jianguan.core.middleware.InputLimitsMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "jianguan.core.middleware.PrivateResponseMiddleware",
    "jianguan.accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "jianguan.core.middleware.DomainErrorMiddleware",
]

ROOT_URLCONF = "jianguan.config.urls"
WSGI_APPLICATION = "jianguan.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "jianguan.portal.context.portal",
            ],
        },
    },
]

AUTH_USER_MODEL = "accounts.User"
# The region tree that scopes every read (a model with `code` and a materialised `path`).
JIANGUAN_REGION_MODEL = "accounts.Region"
LOGIN_URL = "portal:login"
LOGIN_REDIRECT_URL = "portal:dashboard"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "jianguan.accounts.passwords.NoOwnOrProductNameValidator"},
]
if env.bool("JIANGUAN_FAST_PASSWORD_HASHING", False):  # tests only: hashing is not what they measure
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
SESSION_COOKIE_AGE = 8 * 3600
SECURE_COOKIES = env.bool("JIANGUAN_SECURE_COOKIES", not DEBUG)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# HTTPS only in production: HSTS (a year, subdomains too), plain HTTP redirected. Behind a proxy that ends TLS, name
# the header it sets (e.g. X-Forwarded-Proto) so that requests it forwarded over HTTPS count as secure.
SECURE_HSTS_SECONDS = env.int("JIANGUAN_HSTS_SECONDS", 0 if DEBUG else 365 * 24 * 3600, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("JIANGUAN_HSTS_PRELOAD", not DEBUG)
SECURE_SSL_REDIRECT = env.bool("JIANGUAN_SSL_REDIRECT", not DEBUG)
_proxy_ssl_header = env.str("JIANGUAN_PROXY_SSL_HEADER", "")
if _proxy_ssl_header:
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + _proxy_ssl_header.upper().replace("-", "_"), "https")
# Browser features pages may use: the phone page of field inspections takes photos and the position, nothing else.
JIANGUAN_PERMISSIONS_POLICY = ("camera=(self), geolocation=(self), microphone=(), payment=(), usb=(), serial=(), "
                               "bluetooth=(), midi=(), display-capture=(), interest-cohort=()")

# Nothing is loaded from outside the server; scripts only with the per-response nonce.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:", "blob:"],
    "connect-src": [CSP.SELF],
    "font-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

LANGUAGE_CODE = env.choice("JIANGUAN_LANGUAGE", "zh-hans", ("zh-hans", "en"))
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = env.str("JIANGUAN_TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": VAR_DIR / "media"}},
    # Without debug: hashed and compressed names, ES module imports rewritten to them (config/staticfiles.py).
    "staticfiles": {"BACKEND": "jianguan.config.staticfiles.ProductionStaticFilesStorage" if not DEBUG
                    else "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = DEBUG

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "jianguan"}}

TASKS = {
    "default": {
        "BACKEND": {
            "database": "django_tasks_db.DatabaseBackend",
            "immediate": "django.tasks.backends.immediate.ImmediateBackend",
        }[env.choice("JIANGUAN_TASKS_BACKEND", "database", ("database", "immediate"))],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.choice("JIANGUAN_LOG_LEVEL", "INFO",
                                                          ("DEBUG", "INFO", "WARNING", "ERROR"))},
}

# --- jianguan's own ----------------------------------------------------------------------------------------
# The city this deployment serves (GB/T 2260); its regions come from accounts/data/regions_<code>.csv.
JIANGUAN_LOCALITY = env.str("JIANGUAN_LOCALITY", "421200")
JIANGUAN_AUDIT_HASH = env.choice("JIANGUAN_AUDIT_HASH", "sha256", ALGORITHMS)
JIANGUAN_LOGIN_MAX_FAILURES = env.int("JIANGUAN_LOGIN_MAX_FAILURES", 5, minimum=1)
JIANGUAN_LOGIN_WINDOW_MINUTES = env.int("JIANGUAN_LOGIN_WINDOW_MINUTES", 15, minimum=1)
JIANGUAN_LOGIN_LOCKOUT_MINUTES = env.int("JIANGUAN_LOGIN_LOCKOUT_MINUTES", 15, minimum=1)
# Failed sign-ins from one source address (any usernames) before that address must wait too.
JIANGUAN_LOGIN_MAX_FAILURES_PER_ADDRESS = env.int("JIANGUAN_LOGIN_MAX_FAILURES_PER_ADDRESS", 20, minimum=1)
# Administrators and heads sign in with a one-time code (TOTP) as well; on by default unless debug.
JIANGUAN_REQUIRE_SECOND_FACTOR = env.bool("JIANGUAN_REQUIRE_SECOND_FACTOR", not DEBUG)
JIANGUAN_TOKEN_TTL_HOURS = env.int("JIANGUAN_TOKEN_TTL_HOURS", 8, minimum=1)
# How long a bearer token's user (roles, scope) is reused before it is read again; 0 reads it on every request.
JIANGUAN_AUTH_CACHE_SECONDS = env.int("JIANGUAN_AUTH_CACHE_SECONDS", 60, minimum=0)
JIANGUAN_DEMO_PASSWORD = env.str("JIANGUAN_DEMO_PASSWORD", "Yanshi@2026")
JIANGUAN_API_PAGE_MAX = env.int("JIANGUAN_API_PAGE_MAX", 200, minimum=1)
# The input layer (core/inputs.py): the largest request body read (bytes; the default takes a full exchange batch of
# 64 MiB with its envelope), forms and JSON bodies held in memory (bytes), and the deepest JSON nesting accepted.
JIANGUAN_MAX_BODY_BYTES = env.int("JIANGUAN_MAX_BODY_BYTES", 65 * 1024 * 1024, minimum=1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("JIANGUAN_MAX_FORM_BYTES", 16 * 1024 * 1024, minimum=1024)
JIANGUAN_MAX_JSON_DEPTH = env.int("JIANGUAN_MAX_JSON_DEPTH", 32, minimum=2)
# Requests per source address without signing in: complaints by the public form per hour, token requests per
# minute (0 turns a limit off); and the hours within which the same complaint submitted again is not stored twice.
JIANGUAN_PUBLIC_COMPLAINTS_PER_HOUR = env.int("JIANGUAN_PUBLIC_COMPLAINTS_PER_HOUR", 10, minimum=0)
JIANGUAN_TOKEN_REQUESTS_PER_MINUTE = env.int("JIANGUAN_TOKEN_REQUESTS_PER_MINUTE", 20, minimum=0)
JIANGUAN_COMPLAINT_DEDUP_HOURS = env.int("JIANGUAN_COMPLAINT_DEDUP_HOURS", 24, minimum=0)
# Shown in page titles; empty means "<city name>互联网+监管平台".
JIANGUAN_SITE_NAME = env.str("JIANGUAN_SITE_NAME", "")
OTP_TOTP_ISSUER = JIANGUAN_SITE_NAME or "jianguan"  # the name authenticator apps show beside the code

# --- enforcement and field work ----------------------------------------------------------------------------
# Largest evidence file of a case, in bytes, and of a photo or video attached to an inspection, in MiB.
JIANGUAN_EVIDENCE_MAX_BYTES = env.int("JIANGUAN_EVIDENCE_MAX_BYTES", 50 * 1024 * 1024, minimum=1)
JIANGUAN_INSPECTION_EVIDENCE_MAX_BYTES = env.int("JIANGUAN_INSPECTION_EVIDENCE_MAX_BYTES", 50 * 1024 * 1024, minimum=1)
# Procedure rules per line (department kind=rule set: samr, mee, general); a line not named uses general.
try:
    JIANGUAN_PROCEDURE_RULES = procedure.parse_lines(env.list(
        "JIANGUAN_PROCEDURE_RULES", [f"{line}={key}" for line, key in procedure.DEFAULT_LINES.items()]))
except ValueError as error:
    _sets = ", ".join(procedure.RULE_SETS)
    raise EnvError("JIANGUAN_PROCEDURE_RULES", f"以逗号分隔的“条线=规则集”（规则集：{_sets}）",
                   f"comma-separated line=ruleset pairs ({_sets})", str(error)) from None

# --- joint supervision (jianguan.joint) -------------------------------------------------------------------------
# The 双随机 joint-meeting office that coordinates the city's 部门联合抽查 plan: a department's 统一社会信用代码, or
# its line (条线) code, meaning that line's department of JIANGUAN_LOCALITY (the 市场监管局 by default).
JIANGUAN_JOINT_OFFICE_DEPARTMENT = env.str("JIANGUAN_JOINT_OFFICE_DEPARTMENT", "scjg").strip()
# Days within which visits of the same entity planned by different departments are proposed for merging.
JIANGUAN_JOINT_MERGE_WINDOW_DAYS = env.int("JIANGUAN_JOINT_MERGE_WINDOW_DAYS", 30, minimum=0)
# Days within which two departments' visits of one entity that were not joint count as a repeat visit.
JIANGUAN_JOINT_REPEAT_DAYS = env.int("JIANGUAN_JOINT_REPEAT_DAYS", 30, minimum=1)
# Days after a joint visit within which its results stand for every participant (结果互认): a proposal of the same
# entity and item is refused as already checked.
JIANGUAN_JOINT_RECOGNITION_DAYS = env.int("JIANGUAN_JOINT_RECOGNITION_DAYS", 180, minimum=0)
# Days a joint task dispatched from above runs from its 任务开始时间 (the joint-task standard names no end).
JIANGUAN_JOINT_DISPATCH_DAYS = env.int("JIANGUAN_JOINT_DISPATCH_DAYS", 30, minimum=1)
# On-site visits per entity and year by credit-risk class (A–D) before a new task warns, as "A:1,B:2,C:3,D:4".
_budget = env.str("JIANGUAN_JOINT_VISIT_BUDGET", "A:1,B:2,C:3,D:4").strip()
try:
    JIANGUAN_JOINT_VISIT_BUDGET = {k.strip().upper(): int(v) for k, v in (p.split(":") for p in _budget.split(","))}
    if set(JIANGUAN_JOINT_VISIT_BUDGET) != {"A", "B", "C", "D"} or min(JIANGUAN_JOINT_VISIT_BUDGET.values()) < 0:
        raise ValueError
except ValueError:
    raise EnvError("JIANGUAN_JOINT_VISIT_BUDGET", "A–D 四类各一个非负整数，如 A:1,B:2,C:3,D:4",
                   "a count for each class A–D, e.g. A:1,B:2,C:3,D:4", _budget) from None

# --- risk early warning (jianguan.risk) -------------------------------------------------------------------------
# Files of observations: the most rows of one file, and the most processed while the uploader waits (larger ones go
# to the background task, the page showing their progress).
JIANGUAN_RISK_FILE_MAX_ROWS = env.int("JIANGUAN_RISK_FILE_MAX_ROWS", 20_000, minimum=1)
JIANGUAN_RISK_FILE_INLINE_ROWS = env.int("JIANGUAN_RISK_FILE_INLINE_ROWS", 500, minimum=0)
# Complaint clusters (fundraising): how many complaints with fundraising words about one subject, within how many days
# before an observation's capture, make a cross-line hit.
JIANGUAN_RISK_COMPLAINT_CLUSTER = env.int("JIANGUAN_RISK_COMPLAINT_CLUSTER", 3, minimum=1)
JIANGUAN_RISK_COMPLAINT_WINDOW_DAYS = env.int("JIANGUAN_RISK_COMPLAINT_WINDOW_DAYS", 90, minimum=1)

# --- 严重违法失信名单 (jianguan.credit.serious, SAMR 令第44号) ------------------------------------------------------
# Working days after the notice within which the party may state a defence and ask for a hearing (the penalty
# procedure's period, with which the notice is carried out).
JIANGUAN_CREDIT_SERIOUS_NOTICE_DAYS = env.int("JIANGUAN_CREDIT_SERIOUS_NOTICE_DAYS", 5, minimum=1)
# Years an entry stays on the list before the system removes it (3, [unconfirmed] in the domain reference).
JIANGUAN_CREDIT_SERIOUS_YEARS = env.int("JIANGUAN_CREDIT_SERIOUS_YEARS", 3, minimum=1)
# Levels of the deciding department whose decisions need the level above's agreement (county, city; the 2025 draft
# revision would drop it: set empty).
JIANGUAN_CREDIT_SERIOUS_UPPER_LEVELS = env.list("JIANGUAN_CREDIT_SERIOUS_UPPER_LEVELS", ["county", "city"])
if not set(JIANGUAN_CREDIT_SERIOUS_UPPER_LEVELS) <= {"county", "city", "province"}:
    raise EnvError("JIANGUAN_CREDIT_SERIOUS_UPPER_LEVELS", "以逗号分隔的 county、city、province",
                   "comma-separated county, city, province", ",".join(JIANGUAN_CREDIT_SERIOUS_UPPER_LEVELS))
# --- credit repair (jianguan.credit, ADR 0045) -----------------------------------------------------------------
# Which date picks the repair scheme in force: the penalty's decision date or the application's date [unconfirmed];
# the largest fine (yuan) still a 较低数额罚款, published 3 months (the province's amount; Hubei's unconfirmed); public
# repair applications per source address per hour (0 turns the limit off).
JIANGUAN_CREDIT_REPAIR_SCHEME_DATE = env.choice("JIANGUAN_CREDIT_REPAIR_SCHEME_DATE", "decision",
                                                ("decision", "application"))
JIANGUAN_CREDIT_LOW_FINE_YUAN = env.int("JIANGUAN_CREDIT_LOW_FINE_YUAN", 10_000, minimum=0)
JIANGUAN_PUBLIC_REPAIRS_PER_HOUR = env.int("JIANGUAN_PUBLIC_REPAIRS_PER_HOUR", 5, minimum=0)

# --- open data (jianguan.opendata, ADR 0051) ---------------------------------------------------------------------
# Requests to the public read API per client address and minute (0 turns the limit off); the folder of the daily bulk
# files and how many days of them are kept.
JIANGUAN_OPENDATA_REQUESTS_PER_MINUTE = env.int("JIANGUAN_OPENDATA_REQUESTS_PER_MINUTE", 120, minimum=0)
JIANGUAN_OPENDATA_DIR = env.path("JIANGUAN_OPENDATA_DIR", VAR_DIR / "opendata")
JIANGUAN_OPENDATA_KEEP_DAYS = env.int("JIANGUAN_OPENDATA_KEEP_DAYS", 7, minimum=1)

# --- data exchange (jianguan.exchange) ---------------------------------------------------------------------
# Our sender code (source) in batches pushed upward; empty means JIANGUAN_LOCALITY.
JIANGUAN_EXCHANGE_SOURCE = env.str("JIANGUAN_EXCHANGE_SOURCE", "")
JIANGUAN_EXCHANGE_MAX_RECORDS = env.int("JIANGUAN_EXCHANGE_MAX_RECORDS", 10_000, minimum=1)
JIANGUAN_EXCHANGE_MAX_BYTES = env.int("JIANGUAN_EXCHANGE_MAX_BYTES", 64 * 1024 * 1024, minimum=1024)
# The receiver (the city sharing platform): base URL (/api/batches is appended), bearer token, base64 Ed25519
# public key of its receipts (empty: receipts are not verified). An empty URL pushes nothing.
JIANGUAN_PUSH_URL = env.str("JIANGUAN_PUSH_URL", "")
JIANGUAN_PUSH_TOKEN = env.str("JIANGUAN_PUSH_TOKEN", "")
JIANGUAN_PUSH_RECEIVER_KEY = env.str("JIANGUAN_PUSH_RECEIVER_KEY", "")
JIANGUAN_PUSH_BATCH_SIZE = env.int("JIANGUAN_PUSH_BATCH_SIZE", 1000, minimum=1)
JIANGUAN_PUSH_RETRY_BASE_SECONDS = env.int("JIANGUAN_PUSH_RETRY_BASE_SECONDS", 10, minimum=1)
JIANGUAN_PUSH_RETRY_MAX_SECONDS = env.int("JIANGUAN_PUSH_RETRY_MAX_SECONDS", 3600, minimum=1)
JIANGUAN_PUSH_TIMEOUT_SECONDS = env.int("JIANGUAN_PUSH_TIMEOUT_SECONDS", 60, minimum=1)
JIANGUAN_PUSH_INTERVAL_SECONDS = env.int("JIANGUAN_PUSH_INTERVAL_SECONDS", 10, minimum=1)
JIANGUAN_PUSH_ON_INTAKE = env.bool("JIANGUAN_PUSH_ON_INTAKE", True)
# Days of records a department's quality score covers.
JIANGUAN_QUALITY_WINDOW_DAYS = env.int("JIANGUAN_QUALITY_WINDOW_DAYS", 30, minimum=1)
JIANGUAN_QUALITY_SNAPSHOT_MINUTES = env.int("JIANGUAN_QUALITY_SNAPSHOT_MINUTES", 60, minimum=1)
# Processes a spot-check draw hashes with (0: one per CPU); the result is the same whatever the number.
JIANGUAN_DRAW_WORKERS = env.int("JIANGUAN_DRAW_WORKERS", 0, minimum=0)
# How a hidden span reads in a published copy: partial (张**, 4206**********1234), full (every character *) or
# label (【已隐去：证件号码】); see jianguan/redaction/styles.py.
JIANGUAN_REDACTION_STYLE = env.choice("JIANGUAN_REDACTION_STYLE", "partial", ("partial", "full", "label"))
# Drawn objects up to which a draw writes their result rows itself; a larger draw leaves them to a background task.
JIANGUAN_DRAW_INLINE_RESULTS = env.int("JIANGUAN_DRAW_INLINE_RESULTS", 5000, minimum=0)
# Working days to decide a removal from the 经营异常名录 after the application (企业经营异常名录管理暂行办法
# 第十一条至第十四条: 5).
JIANGUAN_ABNORMAL_REMOVAL_WORKING_DAYS = env.int("JIANGUAN_ABNORMAL_REMOVAL_WORKING_DAYS", 5, minimum=1)

# --- disclosure (jianguan.disclosure) -----------------------------------------------------------------------------
# Working days to withdraw a published decision once it is changed, revoked or found illegal (《行政处罚法》第四十八条
# and SAMR 令第45号: 3; a provincial rule may allow 5).
JIANGUAN_DISCLOSURE_WITHDRAW_WORKING_DAYS = env.int("JIANGUAN_DISCLOSURE_WITHDRAW_WORKING_DAYS", 3, minimum=1)

# --- risk early warning (jianguan.risk) ----------------------------------------------------------------------
# Share of a month's observations that raised no alert drawn as the control sample (召回率的估计), 0–1.
try:
    JIANGUAN_RISK_CONTROL_SAMPLE_RATE = Decimal(env.str("JIANGUAN_RISK_CONTROL_SAMPLE_RATE", "0.01").strip())
    if not Decimal(0) <= JIANGUAN_RISK_CONTROL_SAMPLE_RATE <= Decimal(1):
        raise InvalidOperation
except InvalidOperation:
    raise EnvError("JIANGUAN_RISK_CONTROL_SAMPLE_RATE", "0 到 1 之间的小数", "a decimal between 0 and 1",
                   env.str("JIANGUAN_RISK_CONTROL_SAMPLE_RATE", "")) from None

# --- non-on-site supervision (jianguan.remote) -------------------------------------------------------------------
# Seconds a reading's time may lie ahead of the platform's clock (devices' clocks drift) before it is refused.
JIANGUAN_REMOTE_FUTURE_TOLERANCE_SECONDS = env.int("JIANGUAN_REMOTE_FUTURE_TOLERANCE_SECONDS", 300, minimum=0)
# Readings at most in one API batch.
JIANGUAN_REMOTE_BATCH_MAX = env.int("JIANGUAN_REMOTE_BATCH_MAX", 5000, minimum=1)

# --- credit-risk classes (jianguan.credit) --------------------------------------------------------------------
# Months a manual adjustment of an entity's class stays in force when the proposer names no expiry date.
JIANGUAN_CREDIT_ADJUSTMENT_MONTHS = env.int("JIANGUAN_CREDIT_ADJUSTMENT_MONTHS", 12, minimum=1)
# Largest evidence file of a manual adjustment, in bytes.
JIANGUAN_CREDIT_EVIDENCE_MAX_BYTES = env.int("JIANGUAN_CREDIT_EVIDENCE_MAX_BYTES", 20 * 1024 * 1024, minimum=1)

# --- articles: 监管动态 and 曝光台 (jianguan.articles, ADR 0049) -------------------------------------------------
JIANGUAN_ARTICLE_IMAGE_MAX_BYTES = env.int("JIANGUAN_ARTICLE_IMAGE_MAX_BYTES", 2 * 1024 * 1024, minimum=1024)

# --- non-on-site supervision: the protocol receivers (jianguan.remote, ADR 0058) --------------------------------
# The callable the receivers hand each delivery to (imported when `jianguan remote_receive` starts).
JIANGUAN_REMOTE_SINK = env.str("JIANGUAN_REMOTE_SINK", "jianguan.remote.intake.accept")
JIANGUAN_REMOTE_HJ212_HOST = env.str("JIANGUAN_REMOTE_HJ212_HOST", "127.0.0.1")
JIANGUAN_REMOTE_HJ212_PORT = env.int("JIANGUAN_REMOTE_HJ212_PORT", 9212, minimum=0)
JIANGUAN_REMOTE_HJ212_IDLE_SECONDS = env.int("JIANGUAN_REMOTE_HJ212_IDLE_SECONDS", 600, minimum=1)
JIANGUAN_REMOTE_MQTT_HOST = env.str("JIANGUAN_REMOTE_MQTT_HOST", "127.0.0.1")
JIANGUAN_REMOTE_MQTT_PORT = env.int("JIANGUAN_REMOTE_MQTT_PORT", 1883, minimum=1)
JIANGUAN_REMOTE_MQTT_CLIENT_ID = env.str("JIANGUAN_REMOTE_MQTT_CLIENT_ID", "jianguan-remote")
