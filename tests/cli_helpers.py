"""Running the command line the way an operator does, in-process or as a real `python -m bot`
process, with a settings environment the developer's own shell cannot leak into."""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import subprocess
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

from bot.__main__ import main

REPO = Path(__file__).resolve().parents[1]
SETTINGS_PREFIXES = ("CMO_", "DISCORD_")


def run(capsys, *argv: str) -> tuple[int, str, str]:
    """main() in this process: its exit code, stdout and stderr."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def without_settings() -> dict[str, str]:
    """This process's environment minus every cmo-bot and Discord setting."""
    return {key: value for key, value in os.environ.items() if not key.startswith(SETTINGS_PREFIXES)}


def python_m_bot(
    *argv: str,
    env: dict[str, str],
    cwd: Path,
    prefix: Sequence[str] = (),
    timeout: float = 120,
    check: bool = False,
) -> subprocess.CompletedProcess[str]:
    """`python -m bot ARGV` as a real process; `prefix` runs it under another command (setpriv)."""
    return subprocess.run(
        [*prefix, sys.executable, "-m", "bot", *argv],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=check,
    )


def run_merged(capsys, *argv: str) -> tuple[int, str]:
    """main() in this process: its exit code and everything it printed, stdout then stderr."""
    code, out, err = run(capsys, *argv)
    return code, out + err


@contextlib.contextmanager
def taken_port() -> Iterator[int]:
    """A port some other program listens on, for the block."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        yield taken.getsockname()[1]


async def run_until_exit(env: dict[str, str], cwd: Path, timeout: float = 60) -> tuple[int, str]:
    """`python -m bot run` as a real process, without blocking the event loop the fake Discord
    runs on; its exit code and everything it printed. Killed if it outlives `timeout`."""
    bot = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", env=env, cwd=cwd,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    try:
        output, _ = await asyncio.wait_for(bot.communicate(), timeout=timeout)
    finally:
        if bot.returncode is None:
            bot.kill()
            await bot.wait()
    return bot.returncode if bot.returncode is not None else -1, output.decode()
