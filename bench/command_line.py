"""What the benchmarks' command lines share: whole-number options with their defaults, quiet
logging while measuring, and a measurement run in a fresh process that reports one JSON line
(garbage left by an earlier measurement would otherwise slow down a later one)."""

from __future__ import annotations

import argparse
import json
import logging
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def counts_parser(doc: str, **defaults: int) -> argparse.ArgumentParser:
    """A parser described by the first line of `doc`, with `--name N` for each default
    (`stop_after` becomes `--stop-after`)."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    for name, default in defaults.items():
        parser.add_argument(f"--{name.replace('_', '-')}", type=int, default=default)
    return parser


def parse_quietly(parser: argparse.ArgumentParser) -> argparse.Namespace:
    """The arguments; from here on only errors are logged, so the tables stay readable."""
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    return args


def in_fresh_process(module: str, *argv: str) -> dict[str, Any]:
    """Runs `python -m bench.MODULE ARGV` and returns the JSON object on its last line."""
    output = subprocess.run(
        [sys.executable, "-m", f"bench.{module}", *argv], check=True, capture_output=True, text=True, cwd=ROOT
    ).stdout
    return json.loads(output.strip().splitlines()[-1])
