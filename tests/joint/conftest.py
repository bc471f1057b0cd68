from tests.joint.world import world  # noqa: F401
