"""Keeping a deployment: backup and restore (database, stored files and the data key together), and rotation of
the data key that seals personal numbers (ADR 0029).

A backup is one tar file: `manifest.json` (format, time, the database, the key's id, and each member's size and
SHA-256), the database — `database/jianguan.sqlite3` (a consistent copy by SQLite's backup API, taken while the
server runs) or `database/jianguan.pgdump` (pg_dump's custom format, one consistent snapshot; `pgdump.py`) — the
files of the var directory (evidence, media, the provincial simulator's data …; not the collected static files,
which are rebuilt) and `data_key`, the key in use whether it came from JIANGUAN_DATA_KEY or var/data_key. Without
the key every sealed ID number in the database is unreadable, so the three are never kept apart. The file holds
the key: store it like the key itself.

A restore goes into a fresh var directory only (nothing there but the secret and data keys a start-up may have
generated) and an empty database of the backup's kind (one with tables only with `replace`: its content is then
replaced whole); it checks every member against the manifest before writing anything, restores the database
(on PostgreSQL in one transaction) before the files, and then the command runs the audit chain's, the case
histories' and the coercive measures' checks.

Rotation re-seals every sealed value under a new key in one transaction: natural persons' ID numbers and their
keyed lookup hashes, exchange bodies kept sealed, sealed values inside outbox records and the repair queue. The new
key is written to var/data_key.next before the transaction and replaces var/data_key (an atomic rename) only after
it commits; a rotation interrupted between the two is finished by the next `jianguan datakey rotate`, which checks
which key opens the stored values.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import io
import json
import os
import secrets
import sqlite3
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connections, transaction
from django.db.models import TextField
from django.db.models.functions import Cast

from jianguan.audit.contracts import record
from jianguan.core.actors import Actor
from jianguan.core.protect import key_id, lookup_hash, seal, unseal
from jianguan.portal import pgdump

FORMAT = "jianguan-backup-1"
DATABASE_MEMBERS = {"sqlite": "database/jianguan.sqlite3", "postgresql": "database/jianguan.pgdump"}
KEY_MEMBER = "data_key"
FILES_PREFIX = "var/"
SKIPPED = {"static", "data_key", "data_key.next"}  # rebuilt, or carried as the key member


class KeepingError(Exception):
    """A backup, restore or rotation that cannot go on; the message says why, in Chinese."""


def key_location() -> str:
    """Where the key sealing personal numbers lives (said at start-up): lose it and they are unreadable for good."""
    return (f"个人信息加密密钥 {key_id()} 位于 {settings.DATA_KEY_SOURCE}（丢失即无法读取已加密的证件号码；"
            "jianguan backup 连同数据库与文件一起备份）")


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _database() -> tuple[str, Path | None]:
    """The configured database's kind, and its file when it is SQLite."""
    vendor = connections["default"].vendor
    if vendor not in DATABASE_MEMBERS:
        raise KeepingError(f"jianguan backup/restore 不支持 {vendor} 数据库：只支持 SQLite 与 PostgreSQL")
    return vendor, Path(settings.DATABASES["default"]["NAME"]) if vendor == "sqlite" else None


def _journals(database: Path | None) -> list[Path]:
    """The SQLite file's companions (write-ahead log, shared memory, rollback journal)."""
    return [database.with_name(database.name + s) for s in ("-wal", "-shm", "-journal")] if database else []


def _copy_sqlite(database: Path, scratch: Path) -> bytes:
    copy = scratch / "copy.sqlite3"
    source, target = sqlite3.connect(database), sqlite3.connect(copy)
    try:
        source.backup(target)  # a consistent copy, while others write
    finally:
        target.close()
        source.close()
    return copy.read_bytes()


def _dump_database(database: Path | None) -> tuple[bytes, dict[str, int]]:
    """The database's bytes for the backup, and (PostgreSQL) the versions its restore is checked against."""
    with tempfile.TemporaryDirectory() as scratch:
        if database is not None:
            return _copy_sqlite(database, Path(scratch)), {}
        try:
            made_with = pgdump.dump(Path(scratch) / "jianguan.pgdump")
        except pgdump.ToolError as error:
            raise KeepingError(str(error)) from None
        return (Path(scratch) / "jianguan.pgdump").read_bytes(), made_with


def _var_files(var_dir: Path, database: Path | None, exclude: Path | None) -> list[Path]:
    journals = {p.name for p in [*([database] if database else []), *_journals(database)]}
    files = []
    for path in sorted(var_dir.rglob("*")):
        relative = path.relative_to(var_dir)
        if not path.is_file() or relative.parts[0] in SKIPPED or path.name in journals:
            continue
        if exclude is not None and path.resolve() == exclude.resolve():
            continue
        files.append(path)
    return files


def backup(destination: Path) -> dict[str, Any]:
    """Write a backup to `destination` (a file, or a directory to put `jianguan-<time>.tar` in); the manifest."""
    vendor, database = _database()
    var_dir = Path(settings.VAR_DIR)
    if destination.is_dir():
        destination = destination / f"jianguan-{dt.datetime.now():%Y%m%d-%H%M%S}.tar"
    if destination.exists():
        raise KeepingError(f"备份文件已存在：{destination}")
    destination.parent.mkdir(parents=True, exist_ok=True)
    data, made_with = _dump_database(database)
    members = [(DATABASE_MEMBERS[vendor], data)]
    for path in _var_files(var_dir, database, destination):
        members.append((FILES_PREFIX + path.relative_to(var_dir).as_posix(), path.read_bytes()))
    members.append((KEY_MEMBER, base64.b64encode(settings.JIANGUAN_DATA_KEY)))
    manifest = {"format": FORMAT, "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "database": vendor, **({vendor: made_with} if made_with else {}), "data_key_id": key_id(),
                "members": [{"name": name, "size": len(data), "sha256": _sha256(data)} for name, data in members]}
    partial = destination.with_name(destination.name + ".partial")
    with tarfile.open(partial, "w") as archive:
        for name, data in [("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1).encode()),
                           *members]:
            info = tarfile.TarInfo(name)
            info.size, info.mode, info.mtime = len(data), 0o600, int(dt.datetime.now().timestamp())
            archive.addfile(info, io.BytesIO(data))
    partial.chmod(0o600)
    os.replace(partial, destination)  # a backup is whole or absent
    manifest["path"] = str(destination)
    return manifest


def _read(source: Path) -> tuple[dict[str, Any], dict[str, bytes]]:
    """The manifest and every member, each checked against the manifest (size, SHA-256, safe name)."""
    try:
        with tarfile.open(source, "r") as archive:
            contents = {}
            for info in archive.getmembers():
                if not info.isfile():
                    raise KeepingError(f"备份中有非普通文件：{info.name}")
                member = archive.extractfile(info)
                if member is None:  # a regular file always has its bytes; refused like any unreadable member
                    raise KeepingError(f"备份中的文件无法读取：{info.name}")
                contents[info.name] = member.read()
    except (OSError, tarfile.TarError) as error:
        raise KeepingError(f"无法读取备份文件 {source}：{error}") from None
    try:
        manifest = json.loads(contents.pop("manifest.json"))
    except (KeyError, ValueError):
        raise KeepingError("备份缺少 manifest.json 或其内容无效") from None
    if manifest.get("format") != FORMAT:
        raise KeepingError(f"备份格式不符：应为 {FORMAT}")
    listed = {m["name"]: m for m in manifest["members"]}
    if set(listed) != set(contents):
        raise KeepingError(f"备份内容与清单不符：{sorted(set(listed) ^ set(contents))[:5]}")
    for name, data in contents.items():
        if name.startswith("/") or ".." in Path(name).parts:
            raise KeepingError(f"备份中的文件名不安全：{name}")
        if len(data) != listed[name]["size"] or _sha256(data) != listed[name]["sha256"]:
            raise KeepingError(f"备份中的 {name} 与清单中的 SHA-256 不符（文件已损坏或被改动）")
    return manifest, contents


def _has_tables(database: Path) -> bool:
    if not database.exists():
        return False
    connection = sqlite3.connect(database)
    try:
        count: int = connection.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]
        return count > 0
    finally:
        connection.close()


@dataclass
class Restored:
    manifest: dict[str, Any]
    files: int
    key_source: str
    written: list[str] = field(default_factory=list)


def _backup_key(manifest: dict[str, Any], contents: dict[str, bytes]) -> bytes:
    """The backup's data key, checked against the manifest and against JIANGUAN_DATA_KEY when that is set."""
    try:
        key = base64.b64decode(contents[KEY_MEMBER], validate=True)
    except (KeyError, ValueError):
        key = b""
    if len(key) != 32 or key_id(key) != manifest.get("data_key_id"):
        raise KeepingError("备份中的数据密钥无效或与清单不符")
    from_env = os.environ.get("JIANGUAN_DATA_KEY", "")
    if from_env and from_env.strip() != contents[KEY_MEMBER].decode():
        raise KeepingError("环境变量 JIANGUAN_DATA_KEY 与备份中的数据密钥不同：恢复后已加密的个人证件号码将无法读取；"
                           "请取消该变量或设为备份中的密钥后重试")
    return key


def _check_fresh(var_dir: Path, database: Path | None, *, replace: bool) -> None:
    """Refuse a var directory holding stored files, or (without `replace`) an SQLite database with tables."""
    # What a start-up makes by itself (keys generated when unset, an empty database): replaced by the backup's.
    start_up = {"data_key", "secret_key", "checkpoint_key", *(p.name for p in [database, *_journals(database)] if p)}
    existing = [p for p in (var_dir.rglob("*") if var_dir.exists() else []) if p.is_file()
                and p.relative_to(var_dir).as_posix() not in start_up and p.relative_to(var_dir).parts[0] != "static"]
    if existing:
        raise KeepingError(f"目标目录 {var_dir} 不是空的（已有存储的文件）：恢复只能写入新的 var 目录")
    if database is not None and _has_tables(database) and not replace:
        raise KeepingError(f"目标数据库 {database} 不是空的（已有表）：恢复只写入空数据库；"
                           "确要以备份替换其中的全部内容，请加 --replace")


def _restore_database(vendor: str, database: Path | None, manifest: dict[str, Any], data: bytes,
                      *, replace: bool) -> None:
    """The backup's database in place of the configured one: the SQLite file written, or the dump restored by
    pg_restore in one transaction (which refuses a database in use without `replace`)."""
    connections["default"].close()
    if database is not None:
        for journal in _journals(database):  # an empty database's journal must not be applied to the restored one
            journal.unlink(missing_ok=True)
        database.parent.mkdir(parents=True, exist_ok=True)
        database.write_bytes(data)
        return
    with tempfile.TemporaryDirectory() as scratch:
        archive = Path(scratch) / "jianguan.pgdump"
        archive.write_bytes(data)
        try:
            pgdump.restore(archive, made_with=manifest.get(vendor, {}), replace=replace)
        except pgdump.ToolError as error:
            raise KeepingError(str(error)) from None


def restore(source: Path, *, replace: bool = False) -> Restored:
    """Restore a backup into the (fresh) var directory and the (empty, or with `replace` replaced) database of
    these settings."""
    vendor, database = _database()
    var_dir = Path(settings.VAR_DIR)
    manifest, contents = _read(source)
    made_on = manifest.get("database", "sqlite")
    if made_on != vendor:
        raise KeepingError(f"备份来自 {made_on} 数据库，而当前配置的是 {vendor}：只能恢复到同一种数据库")
    key = _backup_key(manifest, contents)
    _check_fresh(var_dir, database, replace=replace)
    _restore_database(vendor, database, manifest, contents[DATABASE_MEMBERS[vendor]], replace=replace)
    var_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in contents.items():
        if name == DATABASE_MEMBERS[vendor]:
            continue
        target = var_dir / ("data_key" if name == KEY_MEMBER else name[len(FILES_PREFIX):])
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        if name in (KEY_MEMBER, FILES_PREFIX + "secret_key", FILES_PREFIX + "checkpoint_key"):
            target.chmod(0o600)
        written.append(str(target))
    settings.JIANGUAN_DATA_KEY = key  # this process goes on with the restored keys
    signing = contents.get(FILES_PREFIX + "checkpoint_key")
    if signing is not None and not os.environ.get("JIANGUAN_CHECKPOINT_KEY"):
        settings.JIANGUAN_CHECKPOINT_KEY = base64.b64decode(signing.strip(), validate=True)
    from_env = bool(os.environ.get("JIANGUAN_DATA_KEY"))
    return Restored(manifest=manifest, files=len(contents), written=written,
                    key_source="JIANGUAN_DATA_KEY" if from_env else str(var_dir / "data_key"))


# Rotation of the data key -----------------------------------------------------------------------------------------

def _staged() -> Path:
    return Path(settings.VAR_DIR) / "data_key.next"


def _write_key(path: Path, key: bytes) -> None:
    partial = path.with_name(path.name + ".partial")
    partial.write_text(base64.b64encode(key).decode())
    partial.chmod(0o600)
    os.replace(partial, path)


def _opens(key: bytes) -> bool | None:
    """Whether `key` opens a stored sealed ID number (None when nothing is sealed)."""
    from jianguan.subjects.models import Person

    sample = Person.objects.values_list("id_sealed", flat=True).first()
    if sample is None:
        return None
    try:
        unseal(sample, key=key)
    except Exception:
        return False
    return True


def _reseal_json(value: Any, old: bytes, new: bytes) -> tuple[Any, int]:
    from jianguan.exchange.contracts import PREFIX

    if isinstance(value, str) and value.startswith(PREFIX):
        return PREFIX + seal(unseal(value[len(PREFIX):], key=old), key=new), 1
    if isinstance(value, dict):
        out, total = {}, 0
        for k, v in value.items():
            out[k], n = _reseal_json(v, old, new)
            total += n
        return out, total
    if isinstance(value, list):
        pairs = [_reseal_json(v, old, new) for v in value]
        return [v for v, _ in pairs], sum(n for _, n in pairs)
    return value, 0


def _reseal(old: bytes, new: bytes) -> dict[str, int]:
    from jianguan.exchange.contracts import PREFIX, open_body, seal_body
    from jianguan.exchange.models import ExchangeCall, OutboxRecord, RepairItem
    from jianguan.subjects.models import Person

    counts = {"persons": 0, "exchange_bodies": 0, "outbox_values": 0, "repair_values": 0}
    for pk, sealed in Person.objects.select_for_update().values_list("pk", "id_sealed").order_by("pk"):
        number = unseal(sealed, key=old)
        Person.objects.filter(pk=pk).update(id_sealed=seal(number, key=new), id_lookup=lookup_hash(number, key=new))
        counts["persons"] += 1
    for pk, raw in ExchangeCall.objects.values_list("pk", "raw").order_by("pk").iterator(chunk_size=200):
        raw = bytes(raw)
        if raw.startswith(b"jgx1"):
            ExchangeCall.objects.filter(pk=pk).update(raw=seal_body(open_body(raw, key=old), key=new))
            counts["exchange_bodies"] += 1
    for model, column, name in ((OutboxRecord, "data", "outbox_values"), (RepairItem, "payload", "repair_values")):
        rows = model.objects.annotate(text=Cast(column, TextField())).filter(text__contains=PREFIX)
        for pk, value in rows.values_list("pk", column).order_by("pk").iterator(chunk_size=500):
            resealed, n = _reseal_json(value, old, new)
            if n:
                model.objects.filter(pk=pk).update(**{column: resealed})
                counts[name] += n
    return counts


@dataclass
class Rotation:
    old_id: str
    new_id: str
    counts: dict[str, int]
    key_file: Path | None  # None: the key comes from JIANGUAN_DATA_KEY, which the operator must set to `staged`
    staged: Path


def rotate(*, actor: Actor, new_key: bytes | None = None) -> Rotation:
    """Re-seal every sealed value under a new key in one transaction; then the new key replaces the old one."""
    from_env = bool(os.environ.get("JIANGUAN_DATA_KEY", ""))
    key_file = None if from_env else Path(settings.DATA_KEY_FILE)
    old = settings.JIANGUAN_DATA_KEY
    staged = _staged()
    if staged.exists():  # a rotation interrupted after its transaction committed, or before
        pending = base64.b64decode(staged.read_text().strip())
        if _opens(pending) and not _opens(old):
            if key_file is None:
                raise KeepingError(f"上次轮换已完成但尚未启用新密钥：请把 JIANGUAN_DATA_KEY 设为 {staged} 中的值")
            os.replace(staged, key_file)
            settings.JIANGUAN_DATA_KEY = pending
            return Rotation(old_id=key_id(old), new_id=key_id(pending), counts={}, key_file=key_file,
                            staged=staged)
        staged.unlink()
    if _opens(old) is False:
        raise KeepingError("当前数据密钥打不开已存储的个人证件号码：请先找回正确的密钥（备份中的 data_key）再轮换")
    new = new_key or secrets.token_bytes(32)
    if len(new) != 32 or new == old:
        raise KeepingError("新密钥应为 32 字节且不同于当前密钥")
    _write_key(staged, new)  # kept beside the old key until the database is re-sealed
    with transaction.atomic():
        counts = _reseal(old, new)
        record(actor=actor, verb="core.data_key_rotated", data={"from": key_id(old), "to": key_id(new), **counts})
    if key_file is not None:
        os.replace(staged, key_file)
    settings.JIANGUAN_DATA_KEY = new  # this process goes on with the new key
    return Rotation(old_id=key_id(old), new_id=key_id(new), counts=counts, key_file=key_file, staged=staged)
