"""`field__among=[...]`: a field equal to one of many values, given to the database as one parameter.

`__in` writes one placeholder per value; with thousands of values (a search's candidates, a draw's drawn objects)
the driver's parsing of those placeholders and the ORM's preparing of each value cost more than the query itself.
Here the values travel as one array (PostgreSQL, `= ANY(%s)`) or one JSON text (SQLite, `IN (SELECT value FROM
json_each(%s))`). Registered on every field by `CoreConfig.ready`; meant for keys, codes and names (values JSON
can carry).
"""

from __future__ import annotations

import json
from typing import Any

from django.db.models import Lookup


class Among(Lookup):
    lookup_name = "among"
    prepare_rhs = False

    def get_prep_lookup(self) -> list[Any]:
        return [self.lhs.output_field.get_prep_value(value) for value in self.rhs]

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, Any]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s)", [*lhs_params, self.rhs]
        return f"{lhs} IN (SELECT value FROM json_each(%s))", [*lhs_params, json.dumps(self.rhs)]  # noqa: S608
