from tests.disclosure.world import clock  # noqa: F401
from tests.enforcement_fixtures import world_fixture  # noqa: F401
