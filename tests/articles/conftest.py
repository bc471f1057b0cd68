"""Fixtures of the articles tests, defined in world.py with the helpers the tests share."""

from tests.articles.world import author, publisher  # noqa: F401
from tests.enforcement_fixtures import world_fixture  # noqa: F401
