"""Fixtures of the credit tests, defined in world.py with the helpers the tests share."""

from tests.credit.world import card_folder, clock, head, people, published, risky, today  # noqa: F401
