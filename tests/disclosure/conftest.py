from tests.disclosure.world import clock  # noqa: F401
