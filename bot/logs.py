"""Log setup: one line per event, to stderr, with the level chosen by CMO_LOG_LEVEL."""

from __future__ import annotations

import logging
import sys

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def configure(level: str) -> None:
    logging.basicConfig(level=level, format=FORMAT, stream=sys.stderr, force=True)
    # discord.py's gateway chatter at DEBUG would include payloads; keep it at INFO or above.
    logging.getLogger("discord").setLevel(max(logging.INFO, logging.getLevelName(level)))
