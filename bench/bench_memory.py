"""Memory growth of the ask path over many long, never-repeated questions (issue 10, item 5).

Someone pasting junk should not make the bot grow without bound: every cache on the path
(the answer cache, the question-vector cache, the stem cache) must have a ceiling. This runs
the core in-process, as `cmo-bot run` builds it (Services.open: content, search, the
semantic worker, the question log on a real SQLite file), and asks questions of 2,000
random characters (random words of random letters, each question new) through
AskService.ask, one after another. Run from the repository root:

    python -m bench.bench_memory [--n 10000] [--model-n 100]

Each mode runs in a fresh process and prints the resident memory (VmRSS) growth from after a
warm-up to after the last question (the question log drained), and the time per question:

- lexical: CMO_SEMANTIC=off, N questions.
- semantic, model: the real e5 model. A 2,000-character question of random letters is about
  500 tokens, which costs the model about a second of CPU, so this mode asks only --model-n
  questions (10,000 would take hours).
- semantic, stub: the semantic path with the model replaced by a function that returns a
  random unit vector at once, N questions: every semantic cache fills and must stay bounded.

Goal: at most 20 MiB of growth.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import hashlib
import json
import random
import string
import tempfile
import time
from pathlib import Path

import numpy as np

from bench.command_line import in_fresh_process

MIB = 1024 * 1024
QUESTION_CHARS = 2000
CHECKPOINTS = 5  # RSS printed after each fifth of the questions: a ceiling shows as a plateau
WARM_UP = {"lexical": 200, "model": 5, "stub": 200}
WARM_UP_QUESTIONS = (
    "Wat doet een CMO eigenlijk?",
    "Hoeveel senior marketingleiders zijn door Gartner ondervraagd, en in welke maanden liep dat onderzoek? "
    "Ik wil het graag goed in onze nieuwsbrief zetten, dus liefst met de precieze aantallen en de periode erbij.",
    "what does the gartner study say about hybrid human-ai teams and the leadership skills a cmo needs now",
)


def model_file_mib() -> float:
    """Resident pages of the model's weight file: read-only and mapped, so the kernel can drop
    them, and bounded by the file's size (72 MB). Random words touch many rows of the
    embedding table, so these pages grow with them until the whole table is in."""
    total, mapping = 0, ""
    for line in Path("/proc/self/smaps").read_text().splitlines():
        if line[:1].isdigit() or (line[:1] in "abcdef" and "-" in line.split(" ", 1)[0]):
            mapping = line.split()[-1]
        elif line.startswith("Rss:") and mapping.endswith(".bin"):
            total += int(line.split()[1])
    return total / 1024


def rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


def random_question(rng: random.Random) -> str:
    words: list[str] = []
    length = 0
    while length < QUESTION_CHARS:
        word = "".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(1, 12)))
        words.append(word)
        length += len(word) + 1
    return " ".join(words)[:QUESTION_CHARS]


class StubEncoder:
    """Stands in for e5: a fixed random unit vector per text, at no cost."""

    def _vector(self, text: str) -> np.ndarray:
        seed = int.from_bytes(hashlib.sha1(text.encode("utf-8")).digest()[:8], "little")
        vector = np.random.default_rng(seed).standard_normal(384).astype(np.float32)
        return vector / np.linalg.norm(vector)

    def query(self, text: str) -> np.ndarray:
        return self._vector(text)

    def passage(self, texts: list[str]) -> np.ndarray:
        return np.stack([self._vector(text) for text in texts])


async def measure(mode: str, n: int) -> dict:
    import bot.services
    from bot.asking import Asker
    from bot.config import load_settings
    from bot.services import Services

    if mode == "stub":
        bot.services.load_encoder = StubEncoder  # type: ignore[assignment]
    rng = random.Random(5)
    with tempfile.TemporaryDirectory() as workdir:
        settings = load_settings(
            {
                "CMO_DB_PATH": str(Path(workdir) / "memory.sqlite3"),
                "CMO_SEMANTIC": "off" if mode == "lexical" else "on",
                "CMO_LOG_LEVEL": "WARNING",
            }
        )
        services = await Services.open(settings)
        services.asking.wait_for_model = True  # semantic from the first question, like the CLI
        try:

            async def ask(count: int) -> list[float]:
                seconds = []
                for _ in range(count):
                    question = random_question(rng)
                    user = rng.randrange(1, 10**12)
                    started = time.perf_counter()
                    await services.asking.ask(question, "nl", Asker(guild_id=1, channel_id=2, user_id=user))
                    seconds.append(time.perf_counter() - started)
                return seconds

            async def settled() -> float:
                while services.writer.pending:
                    await asyncio.sleep(0.05)
                gc.collect()
                return rss_mib()

            await ask(WARM_UP[mode])
            # The model loads its weights and sizes its buffers on first use; random letters
            # never reach it (the lexical signals settle them), so warm it with real questions
            # of the longest length it reads, or its start-up would count as growth.
            for real in WARM_UP_QUESTIONS:
                await services.asking.ask(real, "nl", Asker(guild_id=1, channel_id=2, user_id=1))
            before = await settled()
            model_before = model_file_mib()
            seconds, curve = [], []
            for part in range(CHECKPOINTS):
                seconds += await ask(n * (part + 1) // CHECKPOINTS - n * part // CHECKPOINTS)
                curve.append(await settled())
            after = curve[-1]
            pool = services.semantic_pool
            skipped = pool.skipped if pool is not None else 0
            model_pages = (model_before, model_file_mib())
        finally:
            await services.close()
    seconds.sort()
    return {
        "mode": mode,
        "n": n,
        "before": before,
        "after": after,
        "curve": curve,
        "mean_ms": 1000 * sum(seconds) / len(seconds),
        "p50_ms": 1000 * seconds[len(seconds) // 2],
        "p99_ms": 1000 * seconds[min(len(seconds) - 1, int(len(seconds) * 0.99))],
        "skipped": skipped,
        "model_pages": model_pages,
    }


LABELS = {"lexical": "lexical (SEMANTIC=off)", "model": "semantic, e5 model", "stub": "semantic, stub encoder"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000, help="questions for the lexical and stub modes")
    parser.add_argument("--model-n", type=int, default=100, help="questions for the real model (~1 s each)")
    parser.add_argument("--modes", default="lexical,stub,model")
    parser.add_argument("--one", choices=tuple(WARM_UP), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(asyncio.run(measure(args.one, args.n))))
        return
    print(f"questions of {QUESTION_CHARS} random characters, each new, asked one after another:")
    for mode in args.modes.split(","):
        n = args.model_n if mode == "model" else args.n
        r = in_fresh_process("bench_memory", "--one", mode, "--n", str(n))
        growth = r["after"] - r["before"]
        print(
            f"{LABELS[mode]:<24} N={r['n']:>6}   RSS {r['before']:6.1f} -> {r['after']:6.1f} MiB, "
            f"growth {growth:5.1f} MiB ({'ok' if growth <= 20 else 'OVER'} goal <= 20)   "
            f"per question mean {r['mean_ms']:7.2f} ms, p50 {r['p50_ms']:7.2f} ms, p99 {r['p99_ms']:7.2f} ms",
            flush=True,
        )
        print(f"{'':<24} RSS after each fifth: " + ", ".join(f"{value:.1f}" for value in r["curve"]), flush=True)
        first, last = r["model_pages"]
        if last:
            print(
                f"{'':<24} of which the model file's mapped pages: {first:.1f} -> {last:.1f} MiB; "
                f"growth without them {growth - (last - first):.1f} MiB",
                flush=True,
            )


if __name__ == "__main__":
    main()
