"""Keeping a deployment: backup and restore (database, stored files and the data key together), and rotation of
the data key that seals personal numbers (ADR 0029).

A backup is one tar file: `manifest.json` (format, time, the key's id, and each member's size and SHA-256),
`database/jianguan.sqlite3` (a consistent copy by SQLite's backup API, taken while the server runs), the files of
the var directory (evidence, media, the provincial simulator's data …; not the collected static files, which are
rebuilt) and `data_key`, the key in use whether it came from JIANGUAN_DATA_KEY or var/data_key. Without the key
every sealed ID number in the database is unreadable, so the three are never kept apart. The file holds the key:
store it like the key itself.

A restore goes into a fresh var directory only (nothing there but the secret and data keys a start-up may have
generated), checks every member against the manifest before writing anything, and then runs the audit chain's and
the case histories' checks.

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

FORMAT = "jianguan-backup-1"
DATABASE_MEMBER = "database/jianguan.sqlite3"
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


def _sqlite_path() -> Path:
    database = settings.DATABASES["default"]
    if "sqlite" not in database["ENGINE"]:
        raise KeepingError("jianguan backup/restore 目前只支持 SQLite 数据库；PostgreSQL 请用 pg_dump/pg_restore 备份"
                           "数据库，并另行备份 var 目录与数据密钥（见 docs/adr/0029-backup-and-data-key-rotation.md）")
    return Path(database["NAME"])


def _var_files(var_dir: Path, database: Path, exclude: Path | None) -> list[Path]:
    journals = {database.name + suffix for suffix in ("", "-wal", "-shm", "-journal")}
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
    database = _sqlite_path()
    var_dir = Path(settings.VAR_DIR)
    if destination.is_dir():
        destination = destination / f"jianguan-{dt.datetime.now():%Y%m%d-%H%M%S}.tar"
    if destination.exists():
        raise KeepingError(f"备份文件已存在：{destination}")
    destination.parent.mkdir(parents=True, exist_ok=True)
    members: list[tuple[str, bytes]] = []
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / "copy.sqlite3"
        source, target = sqlite3.connect(database), sqlite3.connect(copy)
        try:
            source.backup(target)  # a consistent copy, while others write
        finally:
            target.close()
            source.close()
        members.append((DATABASE_MEMBER, copy.read_bytes()))
    for path in _var_files(var_dir, database, destination):
        members.append((FILES_PREFIX + path.relative_to(var_dir).as_posix(), path.read_bytes()))
    members.append((KEY_MEMBER, base64.b64encode(settings.JIANGUAN_DATA_KEY)))
    manifest = {"format": FORMAT, "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "database": "sqlite", "data_key_id": key_id(),
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
                contents[info.name] = archive.extractfile(info).read()
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
        return connection.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0] > 0
    finally:
        connection.close()


@dataclass
class Restored:
    manifest: dict[str, Any]
    files: int
    key_source: str
    written: list[str] = field(default_factory=list)


def restore(source: Path) -> Restored:
    """Restore a backup into the (fresh) var directory and database of these settings."""
    database = _sqlite_path()
    var_dir = Path(settings.VAR_DIR)
    manifest, contents = _read(source)
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
    journals = [database.with_name(database.name + suffix) for suffix in ("-wal", "-shm", "-journal")]
    # What a start-up makes by itself (keys generated when unset, an empty database): replaced by the backup's.
    start_up = {"data_key", "secret_key", "checkpoint_key", database.name, *(j.name for j in journals)}
    existing = [p for p in (var_dir.rglob("*") if var_dir.exists() else []) if p.is_file()
                and p.relative_to(var_dir).as_posix() not in start_up and p.relative_to(var_dir).parts[0] != "static"]
    if _has_tables(database) or existing:
        raise KeepingError(f"目标目录 {var_dir} 不是空的（已有数据库或文件）：恢复只能写入新的目录")
    connections["default"].close()
    for journal in journals:  # an empty database's journal must not be applied to the restored one
        journal.unlink(missing_ok=True)
    var_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in contents.items():
        if name == DATABASE_MEMBER:
            target = database
        elif name == KEY_MEMBER:
            target = var_dir / "data_key"
        else:
            target = var_dir / name[len(FILES_PREFIX):]
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        if name in (KEY_MEMBER, FILES_PREFIX + "secret_key", FILES_PREFIX + "checkpoint_key"):
            target.chmod(0o600)
        written.append(str(target))
    settings.JIANGUAN_DATA_KEY = key  # this process goes on with the restored keys
    signing = contents.get(FILES_PREFIX + "checkpoint_key")
    if signing is not None and not os.environ.get("JIANGUAN_CHECKPOINT_KEY"):
        settings.JIANGUAN_CHECKPOINT_KEY = base64.b64decode(signing.strip(), validate=True)
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
