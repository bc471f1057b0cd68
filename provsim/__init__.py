"""Provincial platform simulator: a separate small service that stands in for the city sharing platform and the province."""
