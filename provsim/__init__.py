"""Provincial platform simulator (省级平台模拟器): a small separate service that stands in for the city sharing
platform and the province, for tests and the demo. See README.md."""
