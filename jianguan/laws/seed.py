"""The demo's knowledge base: every text in `texts/`, then the index of who cites each article (after the apps
that cite have made their records)."""

from __future__ import annotations

from pathlib import Path

from jianguan.core.registry import SeedStep
from jianguan.core.seeding import SeedContext

from . import loading, services

TEXTS = Path(__file__).parent / "texts"


def seed_laws(ctx: SeedContext) -> None:
    for path in sorted(TEXTS.glob("*.json")):
        services.law_import(data=loading.law_data(loading.decode(path.read_bytes())), actor=ctx.actor)
    ctx.stdout.write(f"知识库：{len(list(TEXTS.glob('*.json')))} 部法律法规\n")


def seed_citations(ctx: SeedContext) -> None:
    swept = services.citations_sweep(actor=ctx.actor)
    ctx.stdout.write(f"知识库引用索引：{swept.citations} 处\n")


STEPS = [SeedStep("知识库", 55, seed_laws), SeedStep("知识库引用索引", 990, seed_citations)]
