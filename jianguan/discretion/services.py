"""The one write: a benchmark file stored as a version, checked whole first (ADR 0060)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from django.db import transaction

from jianguan.audit.contracts import record
from jianguan.core.actors import Actor
from jianguan.core.errors import ValidationFailed

from . import benchmark as bm
from .models import Benchmark

MAX_BYTES = 2_000_000


def benchmark_import(*, actor: Actor, file_name: str, data: bytes) -> Benchmark:
    """Store an uploaded benchmark file (the administrators' import) after checking it whole."""
    if len(data) > MAX_BYTES:
        raise bm.BenchmarkInvalid(f"裁量基准 {file_name}：文件超过 {MAX_BYTES:,} 字节", code="file_too_large",
                                  field="file")
    try:
        definition = json.loads(data.decode("utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise bm.BenchmarkInvalid(f"裁量基准 {file_name}：不是有效的 JSON（{error}）", code="benchmark_json_invalid",
                                  field="file") from None
    return benchmark_store(actor=actor, file_name=file_name, definition=definition)


def benchmark_load(*, actor: Actor, path: Path) -> Benchmark:
    """Store a shipped or given file as a version (`jianguan discretion load`, the demo)."""
    _, definition = bm.read(path)
    return benchmark_store(actor=actor, file_name=path.name, definition=definition)


@transaction.atomic
def benchmark_store(*, actor: Actor, file_name: str, definition: object) -> Benchmark:
    """Store a definition once: the same version again is returned when its content is the same and refused
    (`benchmark_version_changed`) when it differs — a changed benchmark is a new version."""
    checked = bm.parse(definition, file_name)
    digest = hashlib.sha256(json.dumps(definition, ensure_ascii=False, sort_keys=True).encode()).hexdigest()
    stored = Benchmark.objects.filter(name=checked.name, version=checked.version).first()
    if stored is not None:
        if stored.sha256 != digest:
            raise ValidationFailed(f"裁量基准 {checked.name}-{checked.version} 已载入且内容不同；修改后须使用新版本号",
                                   code="benchmark_version_changed", field="version")
        return stored
    stored = Benchmark.objects.create(
        name=checked.name, version=checked.version, title=checked.title, line=checked.line,
        issued_by=checked.issued_by, effective_from=checked.effective_from, violations=len(checked.violations),
        sha256=digest, definition=definition, loaded_by=actor.as_actor_ref().label[:100])
    record(actor=actor, verb="discretion.benchmark_loaded", target=stored,
           data={"name": checked.name, "version": checked.version, "sha256": digest,
                 "violations": len(checked.violations)})
    return stored
