"""The command line: run the bot, ask offline, check content, manage the database.

Exit codes: 0 success, 1 a failure the operator must fix (invalid content, a database
problem, no match is NOT a failure), 2 a usage or settings problem.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import sqlite3
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from bot import logs
from bot.config import ConfigError, Settings, load_settings
from bot.knowledge.loader import ContentError, default_content_dir, load_content
from bot.knowledge.text import guess_language

log = logging.getLogger("bot.cli")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cmo-bot", description="A Discord bot that explains the CMO role.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    commands.add_parser("run", help="run the bot on Discord (needs DISCORD_TOKEN)")

    ask = commands.add_parser("ask", help="answer a question offline, from the same core as the bot")
    ask.add_argument("question", nargs="+", help="the question, in your own words")
    ask.add_argument("--lang", choices=("nl", "en"), help="answer language (default: guessed from the question)")
    ask.add_argument("--json", action="store_true", help="print one JSON object instead of text")

    content = commands.add_parser("content", help="validate content files")
    content_commands = content.add_subparsers(dest="content_command", required=True, metavar="ACTION")
    check = content_commands.add_parser("check", help="validate a content folder and list every error")
    check.add_argument("directory", nargs="?", type=Path, help="default: CMO_CONTENT_DIR or the bundled content")
    export = content_commands.add_parser(
        "export", help="write all topics and tips with live edits and learned aliases applied"
    )
    export.add_argument("directory", type=Path, help="created when missing; other files in it are left alone")
    export.add_argument(
        "--prune", action="store_true", help="also remove topics/*.yaml files that are not in the live content"
    )

    db = commands.add_parser("db", help="database maintenance")
    db_commands = db.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    db_commands.add_parser("migrate", help="create the database or bring it to the current schema")
    backup = db_commands.add_parser("backup", help="write a consistent copy of the database (online backup)")
    backup.add_argument("path", type=Path)
    db_commands.add_parser(
        "rotate-hash-key",
        help="switch the user-hash key: old key from CMO_OLD_HASH_SECRET(_FILE) or the generated key file, "
        "new key from CMO_HASH_SECRET(_FILE)",
    )

    health = commands.add_parser(
        "health", help="exit 0 when the running bot's /healthz says ok (gateway connected, database writable)"
    )
    health.add_argument("--db", action="store_true", help="only check that the database accepts writes")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = load_settings()
    except ConfigError as exc:
        print(f"cmo-bot: {exc}", file=sys.stderr)
        # A missing content folder is a content problem (exit 1, like invalid content);
        # anything else is a settings problem (exit 2).
        return 1 if exc.variables == {"CMO_CONTENT_DIR"} else 2
    # The offline commands print their result; info logs would only clutter the terminal.
    quiet = args.command != "run" and "CMO_LOG_LEVEL" not in os.environ
    logs.configure("WARNING" if quiet else settings.log_level)
    handler = _startup_errors(
        {
            "run": _run,
            "ask": _ask,
            "content": _content,
            "db": _db,
            "health": _health,
        }[args.command]
    )
    try:
        return handler(args, settings)
    except ContentError as exc:
        print(f"cmo-bot: invalid content:\n{exc}", file=sys.stderr)
        return 1
    except CliExit as exc:
        code, message = exc.args
        print(f"cmo-bot: {message}", file=sys.stderr)
        return code
    except KeyboardInterrupt:
        return 130


class CliExit(Exception):
    """(exit code, message) for a database or hash-key problem found while opening the services.
    Not bot.app.StartupError, which is the running bot's: this one ends a CLI command."""


def _startup_errors(handler: Callable[[argparse.Namespace, Settings], int]) -> Callable[..., int]:
    """Turns database and hash-key problems into a message and exit code 1 or 2, not a traceback."""
    from bot.storage.database import DatabaseOpenError, StorageError
    from bot.storage.hash_key import HashKeyError
    from bot.storage.migrations import MigrationError

    def wrapped(args: argparse.Namespace, settings: Settings) -> int:
        try:
            return handler(args, settings)
        except DatabaseOpenError as exc:
            variable = "CMO_DATABASE_URL" if settings.database_url else "CMO_DB_PATH"
            raise CliExit(1, f"{variable}: {exc}") from None
        except (StorageError, MigrationError) as exc:
            raise CliExit(1, str(exc)) from None
        except HashKeyError as exc:
            raise CliExit(2, str(exc)) from None

    return wrapped


def _run(args: argparse.Namespace, settings: Settings) -> int:
    if settings.discord_token is None:
        print(
            "cmo-bot: DISCORD_TOKEN is not set. Set it to your bot's token to run on Discord "
            '(see README), or try the bot offline with: cmo-bot ask "Wat doet een CMO?"',
            file=sys.stderr,
        )
        return 2
    from bot.app import run_bot

    return asyncio.run(run_bot(settings))


def _ask(args: argparse.Namespace, settings: Settings) -> int:
    from bot.cli_text import is_blank

    question = " ".join(args.question).strip()
    if is_blank(question):
        print(
            "cmo-bot ask: the question is empty; nothing was asked or logged. Type a question, e.g. "
            'cmo-bot ask "Wat doet een CMO?"',
            file=sys.stderr,
        )
        return 2
    lang = args.lang or guess_language(question, settings.default_lang)
    return asyncio.run(_ask_async(question, lang, settings, as_json=args.json))


async def _ask_async(question: str, lang: str, settings: Settings, *, as_json: bool) -> int:
    from bot.asking import Asker
    from bot.cli_text import answer_text, topic_text
    from bot.services import Services

    services = await Services.open(settings)
    try:
        services.asking.wait_for_model = True  # one question: worth the model's full answer
        result = await services.asking.ask(question, lang, Asker(locale=lang), command="cli-ask")
    finally:
        await services.close()
    answer, snapshot = result.answer, result.snapshot
    if not as_json:
        print(answer_text(answer, snapshot))
        return 0
    topic = snapshot.topic(answer.topic_id) if answer.topic_id else None
    payload = {
        "matched": answer.matched,
        "outcome": answer.outcome,
        "passage": answer.passage,
        "topic": answer.topic_id,
        "title": topic.title.get(lang) if topic else None,
        "score": answer.score,
        "lang": lang,
        "text": topic_text(topic, lang) if topic else answer_text(answer, snapshot),
        "suggestions": [
            {"topic": topic_id, "title": snapshot.topics[topic_id].title.get(lang)} for topic_id in answer.suggestions
        ],
        "question_id": result.question_id,
    }
    print(json.dumps(payload, ensure_ascii=False, indent=2))
    return 0


def _content(args: argparse.Namespace, settings: Settings) -> int:
    if args.content_command == "export":
        return asyncio.run(_export(args.directory, settings, prune=args.prune))
    directory = args.directory or settings.content_dir or default_content_dir()
    try:
        content = load_content(directory)
    except ContentError as exc:
        print(f"{len(exc.issues)} error(s) in {directory}:", file=sys.stderr)
        for issue in exc.issues:
            print(f"  {issue}", file=sys.stderr)
        return 1
    print(f"{directory}: {len(content.topics)} topics and {len(content.tips)} tips, all valid")
    return 0


async def _export(directory: Path, settings: Settings, *, prune: bool = False) -> int:
    """Exports what is live: the files plus the database's edits and learned aliases."""
    from bot.editing.export import ExportError, export_content
    from bot.services import Services

    services = await Services.open(settings)
    try:
        result = export_content(services.store, directory, prune=prune)
    except ExportError as exc:
        print(f"cmo-bot: content export failed: {exc}", file=sys.stderr)
        return 1
    finally:
        await services.close()
    print(f"exported {result.topics} topics and {result.tips} tips to {result.directory}")
    for name in result.removed:
        print(f"removed {directory / 'topics' / name} (not in the live content)")
    if result.stale:
        print(
            f"left {len(result.stale)} topic file(s) that are not in the live content; "
            "content check still reads them (--prune removes the *.yaml ones):"
        )
        for name in result.stale:
            print(f"  {directory / 'topics' / name}")
    return 0


def _db(args: argparse.Namespace, settings: Settings) -> int:
    from bot.storage.database import open_database
    from bot.storage.migrations import MigrationError

    async def migrate() -> None:
        async with await open_database(settings.database_target) as db:
            print(f"{db.location}: schema version {db.schema_version}")

    async def backup(path: Path) -> None:
        async with await open_database(settings.database_target) as db:
            await db.backup(path)
            print(f"backed up {db.location} to {path}")

    if args.db_command == "rotate-hash-key":
        from bot.ops.rotate_hash_key import rotate

        return rotate(settings)
    try:
        asyncio.run(migrate() if args.db_command == "migrate" else backup(args.path))
    except (MigrationError, OSError, ValueError, sqlite3.DatabaseError) as exc:
        print(f"cmo-bot: {exc}", file=sys.stderr)
        return 1
    return 0


def _health(args: argparse.Namespace, settings: Settings) -> int:
    """For Docker's HEALTHCHECK: asks the running bot (which knows about the gateway too);
    with --db, checks only that the database file accepts writes."""
    if args.db:
        from bot.storage.database import check_writable

        ok, reason = asyncio.run(check_writable(settings.database_target))
    else:
        ok, reason = _ask_healthz(*settings.health_addr)
    print("ok" if ok else f"unhealthy: {reason}", file=sys.stdout if ok else sys.stderr)
    return 0 if ok else 1


def _ask_healthz(host: str, port: int) -> tuple[bool, str]:
    import urllib.error
    import urllib.request

    if host in ("0.0.0.0", "::", ""):
        host = "127.0.0.1"
    url = f"http://{'[' + host + ']' if ':' in host else host}:{port}/healthz"
    try:
        with urllib.request.urlopen(url, timeout=8) as response:
            return True, response.read().decode().strip()
    except urllib.error.HTTPError as exc:
        return False, exc.read().decode().strip() or f"HTTP {exc.code}"
    except OSError as exc:
        return False, f"no answer from {url}: {exc}"


if __name__ == "__main__":
    sys.exit(main())
