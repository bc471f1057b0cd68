"""The project's settings plus a bare view to measure against (benchmarks only)."""

from jianguan.config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
ALLOWED_HOSTS = ["*"]
LOGGING = {"version": 1, "disable_existing_loggers": True, "root": {"handlers": [], "level": "ERROR"}}
