"""The articles the risk models' rules rest on, for the knowledge base's index of who cites each article
(`core.registry.CitingSource`, ADR 0059): the models are read by everyone signed in."""

from __future__ import annotations

from collections.abc import Iterator

from django.urls import reverse

from jianguan.core.registry import CitingSource

from .engine import MODEL_NAMES, model


def sources() -> Iterator[CitingSource]:
    for name in MODEL_NAMES:
        definition = model(name)
        for rule in (*definition.indicators, *definition.register_checks):
            yield CitingSource("risk", rule.id, f"风险模型 {definition.title}（{definition.version}）：{rule.title}",
                               f"{reverse('risk:list')}?model={name}", rule.article)
