"""Settings for Scale Playground.

Embedded defaults (SQLite, in-memory channel layer) serve one machine; DATABASE_URL and
REDIS_URL switch to PostgreSQL and channels_redis for the scale-out setup.
"""

import os
import tempfile
from pathlib import Path

import dj_database_url
from django.core.management.utils import get_random_secret_key

from playground.env import envbool, envint, envlist, envstr

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = envbool("DEBUG", True)
# A fresh random key in development keeps a fresh clone runnable; production sets SECRET_KEY.
SECRET_KEY = envstr("SECRET_KEY", "") or get_random_secret_key()
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "daphne",
    "django.contrib.contenttypes",
    "django.contrib.staticfiles",
    "channels",
    "playground",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

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

LANGUAGE_CODE = "en"
# The browser's Accept-Language picks one of these unless the person chose with the language switch.
LANGUAGES = [("en", "English"), ("ko", "한국어")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# Browser libraries come from the npm registry (package-lock.json); `make setup` runs npm ci.
STATICFILES_DIRS = [BASE_DIR / "static", ("vendor/uplot", BASE_DIR / "node_modules" / "uplot" / "dist")]
STATIC_ROOT = BASE_DIR / "staticfiles"
# In development WhiteNoise serves straight from the finders, so no collectstatic is needed.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

# Largest request body the API accepts; a topology of 200 nodes is far below it.
DATA_UPLOAD_MAX_MEMORY_SIZE = envint("DATA_UPLOAD_MAX_MEMORY_SIZE", 512 * 1024)

# Frames a simulation sends each wall-clock second over its WebSocket.
SIM_FRAMES_PER_SECOND = envint("SIM_FRAMES_PER_SECOND", 10)
# A live class with no teacher connected for this long ends, and its students are told.
LIVE_TEACHER_TIMEOUT_S = envint("LIVE_TEACHER_TIMEOUT_S", 600)
# Warm the engine's compiled kernels when the ASGI application starts.
SIM_WARM_ON_START = envbool("SIM_WARM_ON_START", True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "INFO")},
}
