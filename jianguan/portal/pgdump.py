"""The PostgreSQL side of `jianguan backup` / `jianguan restore` (ADR 0029): the configured database dumped by
pg_dump (custom format) and such a dump restored into it, with the server's own tools, found and checked first.

The tools come from JIANGUAN_PG_BINDIR when it is set; else from Debian's /usr/lib/postgresql/<major>/bin, the
server's own major version first, then the nearest newer one; else from PATH. pg_dump cannot dump a server newer
than itself and pg_restore cannot read an archive written by a newer pg_dump: both are checked before anything
runs, and the message says what to install.

A restore is one transaction: pg_restore turns the archive into a script (owners and grants left out: the objects
belong to the configured user) and psql runs it with --single-transaction, after, when `replace` is given, the
drop of every table, view, sequence and function of the schemas on the search path (the application's). If any
statement fails, the database is as it was. Without `replace`, a database holding any table, sequence or function
is refused.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from glob import glob
from pathlib import Path

from django.conf import settings
from django.db import connections
from psycopg import pq
from psycopg.conninfo import make_conninfo

DEBIAN = "/usr/lib/postgresql/*/bin"

# Objects outside PostgreSQL's own schemas (relations, and routines that no extension brought).
IN_USE = r"""
SELECT (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
           AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\_%')
     + (SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
         WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\_%'
           AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e'))
"""

# What `replace` drops, in the restore's transaction: the application's schemas emptied, the schemas kept.
DROP_ALL = """
DO $$
DECLARE r record;
BEGIN
    FOR r IN SELECT n.nspname, c.relname, CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
                    WHEN 'f' THEN 'FOREIGN TABLE' WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END AS kind
             FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = ANY (current_schemas(false)) AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
             ORDER BY c.relkind = 'S'
    LOOP
        EXECUTE format('DROP %s IF EXISTS %I.%I CASCADE', r.kind, r.nspname, r.relname);
    END LOOP;
    FOR r IN SELECT p.oid::regprocedure AS routine FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
             WHERE n.nspname = ANY (current_schemas(false))
               AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
    LOOP
        EXECUTE format('DROP ROUTINE IF EXISTS %s CASCADE', r.routine);
    END LOOP;
END $$;
"""


class ToolError(Exception):
    """The tools are missing, too old for the server or the archive, or failed; the message says why, in Chinese."""


@dataclass(frozen=True)
class Target:
    """The configured database as the tools reach it: libpq keywords without the password, which goes in the
    environment (never on a command line)."""

    name: str
    conninfo: str
    env: dict[str, str]
    server_major: int


def target() -> Target:
    connection = connections["default"]
    params = connection.get_connection_params()
    keywords = {option.keyword.decode() for option in pq.Conninfo.get_defaults()}
    password = params.pop("password", None)
    env = dict(os.environ)
    if password:
        env["PGPASSWORD"] = str(password)
    connection.ensure_connection()
    version: int = connection.pg_version  # type: ignore[attr-defined]  # the PostgreSQL wrapper's; the stubs type the base
    return Target(name=str(params.get("dbname", "")), env=env, server_major=version // 10000,
                  conninfo=make_conninfo(**{k: str(v) for k, v in params.items() if k in keywords and v is not None}))


def _major(directory: str) -> int:
    return int(Path(directory).parent.name) if Path(directory).parent.name.isdigit() else 0


def _bindir(name: str, *, at_least: int, prefer: int) -> Path | None:
    if settings.JIANGUAN_PG_BINDIR:
        return Path(settings.JIANGUAN_PG_BINDIR)
    fitting = [d for d in glob(DEBIAN) if _major(d) >= at_least and (Path(d) / name).exists()]
    if fitting:
        return Path(min(fitting, key=lambda d: (_major(d) != prefer, _major(d))))
    found = shutil.which(name)
    return Path(found).parent if found else None


def tool(name: str, *, at_least: int, prefer: int, why: str) -> tuple[Path, int]:
    """The tool `name` of major version `at_least` or newer (`prefer` first) and its major version."""
    directory = _bindir(name, at_least=at_least, prefer=prefer)
    path = directory / name if directory else None
    if path is None or not path.is_file():
        where = f"（JIANGUAN_PG_BINDIR={settings.JIANGUAN_PG_BINDIR} 中没有）" if settings.JIANGUAN_PG_BINDIR else ""
        raise ToolError(f"未找到 PostgreSQL 客户端工具 {name}{where}：请安装 PostgreSQL {at_least} 或更高版本的客户端"
                        f"工具（Debian：postgresql-client-{at_least}），或用 JIANGUAN_PG_BINDIR 指定其所在目录")
    try:
        said = subprocess.run([str(path), "--version"],  # noqa: S603 (the configured or installed tool)
                              capture_output=True, text=True, timeout=60).stdout
    except OSError as error:
        raise ToolError(f"无法运行 {path}：{error}") from None
    version = re.search(r"\(PostgreSQL\) (\d+)", said)
    major = int(version.group(1)) if version else 0
    if major < at_least:
        raise ToolError(f"{path} 的版本（{major or '未知'}）低于所需的 PostgreSQL {at_least}（{why}）："
                        f"请安装 PostgreSQL {at_least} 或更高版本的客户端工具，或用 JIANGUAN_PG_BINDIR 指定其所在目录")
    return path, major


def _run(command: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)  # noqa: S603 (our tools)
    if done.returncode != 0:
        raise ToolError(f"{Path(command[0]).name} 失败（退出码 {done.returncode}）：{done.stderr.strip()[-2000:]}")


def dump(into: Path) -> dict[str, int]:
    """Dump the configured database into the file `into` (custom format, one consistent snapshot); the versions
    the restore will be checked against."""
    database = target()
    pg_dump, major = tool("pg_dump", at_least=database.server_major, prefer=database.server_major,
                          why=f"数据库服务器为 PostgreSQL {database.server_major}")
    _run([str(pg_dump), "--format=custom", "--no-password", f"--file={into}", f"--dbname={database.conninfo}"],
         database.env)
    return {"server_major": database.server_major, "pg_dump_major": major}


def objects_in_use() -> int:
    """How many tables, views, sequences and functions the configured database holds."""
    with connections["default"].cursor() as cursor:
        cursor.execute(IN_USE)
        row = cursor.fetchone()
        return int(row[0]) if row else 0


def restore(archive: Path, *, made_with: dict[str, int], replace: bool) -> None:
    """Restore the dump `archive` into the configured database, in one transaction; refused when the database is
    not empty unless `replace`."""
    database = target()
    source_major = int(made_with.get("server_major", 0))
    if database.server_major < source_major:
        raise ToolError(f"备份来自 PostgreSQL {source_major}，目标数据库服务器为 {database.server_major}："
                        "只能恢复到相同或更高主版本的服务器")
    in_use = objects_in_use()
    if in_use and not replace:
        raise ToolError(f"目标数据库 {database.name} 不是空的（已有 {in_use} 个表、序列或函数）：恢复只写入空数据库；"
                        "确要以备份替换其中的全部内容，请加 --replace")
    why = f"备份由 pg_dump {made_with.get('pg_dump_major')} 写成"
    at_least, prefer = int(made_with.get("pg_dump_major", 0)), database.server_major
    pg_restore, major = tool("pg_restore", at_least=at_least, prefer=prefer, why=why)
    psql, _ = tool("psql", at_least=major, prefer=major, why=f"运行 pg_restore {major} 写出的脚本")
    connections["default"].close()  # nothing of this process holds the tables the script drops or creates
    with tempfile.TemporaryDirectory() as scratch:
        script = Path(scratch) / "restore.sql"
        _run([str(pg_restore), "--no-owner", "--no-acl", f"--file={script}", str(archive)], database.env)
        drop = ["--command", DROP_ALL] if in_use else []
        _run([str(psql), "--no-psqlrc", "--quiet", "--no-password", "--set=ON_ERROR_STOP=1", "--single-transaction",
              *drop, f"--file={script}", f"--dbname={database.conninfo}"], database.env)
