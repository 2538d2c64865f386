"""Settings for Scale Playground.

Embedded defaults (SQLite, in-memory channel layer) serve one machine; DATABASE_URL and
REDIS_URL switch to PostgreSQL and channels_redis for the scale-out setup.
"""

import os
import tempfile
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.core.management.utils import get_random_secret_key

from playground.env import envbool, envint, envlist, envstr

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = envbool("DEBUG", True)
# A fresh random key in development keeps a fresh clone runnable; production sets SECRET_KEY.
SECRET_KEY = envstr("SECRET_KEY", "") or get_random_secret_key()
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])

# Production is served over HTTPS: the load balancer ends TLS and says so in X-Forwarded-Proto.
# HTTPS=false serves plain HTTP, as `make cluster` does on 127.0.0.1.
HTTPS = envbool("HTTPS", not DEBUG)
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    # The load balancer asks for these over plain HTTP on the private network.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^metrics$"]
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", True)

INSTALLED_APPS = [
    "daphne",
    "csp",
    "django.contrib.contenttypes",
    "django.contrib.staticfiles",
    "channels",
    # The project's own migrations hold the history of the tables from before the split into apps.
    "playground",
    "playground.ops",
    "playground.topologies",
    "playground.sim",
    "playground.classes",
    "playground.lessons",
    "playground.front",
]

MIDDLEWARE = [
    "playground.ops.request_ids.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "playground.ops.outages.DatabaseUnavailableMiddleware",
]

# Only this site's own scripts, styles and connections: text from a topology can never run as code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_REFERRER_POLICY = "same-origin"

ROOT_URLCONF = "playground.urls"
ASGI_APPLICATION = "playground.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
    }
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=envint("DB_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers queue for the lock instead of failing with "database is locked", and the tests use
    # a file so that threads share one database as they do in the server.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    DATABASES["default"]["TEST"] = {"NAME": str(Path(tempfile.gettempdir()) / f"playground-test-{os.getpid()}.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = envstr("REDIS_URL", "")
REDIS_SOCKET_TIMEOUT_S = envint("REDIS_SOCKET_TIMEOUT_S", 30)
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            # redis-py 8 times out socket reads after 5 s by default, which tears down every idle
            # consumer in the middle of its blocking receive (django/channels_redis#422); the
            # layer's blocking pops last 5 s, so reads may take longer than that.
            "CONFIG": {"hosts": [{"address": REDIS_URL, "socket_timeout": REDIS_SOCKET_TIMEOUT_S}]},
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# Django's cache holds the rate-limit counters: in Redis, shared by every process, when REDIS_URL
# is set; in this process's memory otherwise. CACHE_KEY_PREFIX keeps two deployments (or two test
# clusters) on one Redis from sharing counters.
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": envstr("CACHE_KEY_PREFIX", ""),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Per client address: topologies and live classes created or forked, saves (versions, restores,
# publishing), and WebSockets opened. A classroom behind one address stays well inside them.
RATE_LIMITS = {
    "create": envstr("RATE_LIMIT_CREATE", "300/h"),
    "save": envstr("RATE_LIMIT_SAVE", "3000/h"),
    "socket": envstr("RATE_LIMIT_SOCKET", "600/10m"),
    # Class codes looked up (join page, class page, QR code): a class behind one address joins once each.
    "join": envstr("RATE_LIMIT_JOIN", "600/10m"),
    # "Run 20 seeds": each costs up to SIM_REPLICATION_REQUESTS simulated requests of one core.
    "replicate": envstr("RATE_LIMIT_REPLICATE", "60/h"),
}
# Simulations one process runs at once (one per open editor page and live class); more are refused.
MAX_SIMULATIONS_PER_PROCESS = envint("MAX_SIMULATIONS_PER_PROCESS", 400)
# Messages one WebSocket may send: this many a second on average, in bursts of up to WS_MESSAGE_BURST
# (playground/ops/throttle.py). A page sends a few a second; dragging a slider sends a burst.
WS_MESSAGES_PER_SECOND = envint("WS_MESSAGES_PER_SECOND", 30)
WS_MESSAGE_BURST = envint("WS_MESSAGE_BURST", 120)

LANGUAGE_CODE = "en"
# The browser's Accept-Language picks one of these unless the person chose with the language switch.
LANGUAGES = [("en", "English"), ("ko", "한국어")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# Browser libraries come from the npm registry (package-lock.json); `make setup` runs npm ci.
# Libraries the page loads when it needs them, from npm (package-lock.json), outside the bundle.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/uplot", BASE_DIR / "node_modules" / "uplot" / "dist"),
    ("vendor/svgcanvas", BASE_DIR / "node_modules" / "svgcanvas" / "dist"),
    ("vendor/gifenc", BASE_DIR / "node_modules" / "gifenc" / "dist"),
]
STATIC_ROOT = Path(envstr("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
if not DEBUG:
    # `manage.py collectstatic` writes compressed copies with hashed names that browsers may cache forever.
    STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
# In development WhiteNoise serves straight from the finders, so no collectstatic is needed.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

# Largest request body the API accepts; a topology of 200 nodes is far below it.
DATA_UPLOAD_MAX_MEMORY_SIZE = envint("DATA_UPLOAD_MAX_MEMORY_SIZE", 512 * 1024)

# Frames a simulation sends each wall-clock second over its WebSocket.
SIM_FRAMES_PER_SECOND = envint("SIM_FRAMES_PER_SECOND", 10)
# The most requests one frame simulates: a step's cost is bounded whatever the topology and speed
# ask, and past it the simulation runs slower than real time times speed (playground/sim/simulation.py).
# 100,000 at 10 frames a second lets a million requests a second play in real time (the whole path
# of lesson 15 costs one core 40 to 90 ms a frame).
SIM_STEP_REQUESTS = envint("SIM_STEP_REQUESTS", 100_000)
# "Run 20 seeds" simulates at most this many requests in all (20 runs of 70 s: up to about 28,000
# rps), at about two million a second of one core: a run of 20 seeds takes at most half a minute.
SIM_REPLICATION_REQUESTS = envint("SIM_REPLICATION_REQUESTS", 40_000_000)
# Engine memory all of one process's simulations may hold together, in MB; a load past it is refused.
SIM_MEMORY_MB = envint("SIM_MEMORY_MB", 4096)
# Of it, what the simulations of one client address may hold together: a script opening socket
# after socket cannot take the memory every other page needs. A classroom behind one address
# loads small topologies, far below it.
SIM_MEMORY_PER_ADDRESS_MB = envint("SIM_MEMORY_PER_ADDRESS_MB", 1024)
# A live class with no teacher connected for this long ends, and its students are told.
LIVE_TEACHER_TIMEOUT_S = envint("LIVE_TEACHER_TIMEOUT_S", 600)
# Warm the engine's compiled kernels when the ASGI application starts.
SIM_WARM_ON_START = envbool("SIM_WARM_ON_START", True)

# One JSON object a line in production, for the log collector; readable text in development.
# Every line carries the id of its HTTP request or WebSocket connection.
LOG_FORMAT = envstr("LOG_FORMAT", "text" if DEBUG else "json")
if LOG_FORMAT not in ("text", "json"):
    raise ImproperlyConfigured(f"LOG_FORMAT must be text or json, got {LOG_FORMAT!r}.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "playground.ops.request_ids.RequestIdFilter"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(request_id)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["request_id"]}},
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "INFO")},
}
