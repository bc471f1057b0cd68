"""jianguan — a city's 互联网+监管 (Internet + Supervision) platform."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("jianguan")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+source"
