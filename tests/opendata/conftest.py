"""Fixtures of the open-data tests, defined in world.py with the helpers the tests share."""

from tests.credit.world import head, published, risky, today  # noqa: F401
from tests.disclosure.world import clock  # noqa: F401
from tests.opendata.world import bulk_dir, world  # noqa: F401
