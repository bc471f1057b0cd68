"""Fixtures of the spot-check tests that need a published classification (the credit tests' world)."""

from tests.credit.world import head, published, risky, today  # noqa: F401
