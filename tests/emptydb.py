"""The freshly migrated test database kept empty before the session's seed, so that a test can seed another scale
into a copy of it (migrating a new database again would cost half a minute): a SQLite file, or on PostgreSQL a
database used as the copies' template."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

from django.db import connection


def keep(directory: Path) -> str:
    """Keep the migrated, still empty test database; answer the SQLite file or the PostgreSQL database name."""
    if connection.vendor == "sqlite":
        path = directory / "empty.sqlite3"
        with connection.cursor() as cursor:
            cursor.execute("VACUUM INTO %s", [str(path)])
        return str(path)
    name, source = f"{connection.settings_dict['NAME']}_empty", connection.settings_dict["NAME"]
    connection.close()  # a template may have no other session
    with connection._nodb_cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}" TEMPLATE "{source}"')
    return name


def copy(kept: str, directory: Path) -> tuple[str, Callable[[], None]]:
    """A database URL of a new copy of the kept database, and how to drop the copy."""
    if connection.vendor == "sqlite":
        path = directory / "copy.sqlite3"
        shutil.copyfile(kept, path)
        return f"sqlite:///{path}", path.unlink
    name = f"{kept}_{uuid.uuid4().hex[:8]}"
    with connection._nodb_cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}" TEMPLATE "{kept}"')

    def drop() -> None:
        with connection._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return urlsplit(os.environ["JIANGUAN_DATABASE_URL"])._replace(path=f"/{name}").geturl(), drop
