"""The `quickreply` command: starts the tray app, or runs a sub-command for agents, leads and scripts.

Errors a user can cause print one line on stderr and exit with status 2, never a traceback;
unexpected failures are logged to the data dir's logs/ folder and reported the same way.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import sys
import traceback
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from quickreply import __version__
from quickreply.commands.output import EXIT_ERROR, escaped_output
from quickreply.core.errors import QuickReplyError
from quickreply.core.library import paths

_MAX_ERROR_CHARS = 200


class _Formatter(argparse.HelpFormatter):
    """argparse's help layout, with its "usage: " heading in the interface language."""

    def add_usage(
        self,
        usage: str | None,
        actions: Iterable[argparse.Action],
        groups: Iterable[argparse._MutuallyExclusiveGroup],
        prefix: str | None = None,
    ) -> None:
        from quickreply.core.i18n import tr

        super().add_usage(usage, actions, groups, tr("usage: ") if prefix is None else prefix)


class _SubCommands(argparse._SubParsersAction):
    """Sub-commands whose one-line help is shown in the interface language."""

    def add_parser(self, name: str, **kwargs: Any) -> argparse.ArgumentParser:
        from quickreply.core.i18n import tr

        if kwargs.get("help"):
            kwargs["help"] = tr(kwargs["help"])
        return super().add_parser(name, **kwargs)


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage errors in the same one-line style as every other error, and
    shows every help text in the interface language (set before the parser is built): the
    commands' modules write English help, translated here through tr."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from quickreply.core.i18n import tr

        if kwargs.get("description"):
            kwargs["description"] = tr(kwargs["description"])
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **{**kwargs, "add_help": False})
        self.register("action", "parsers", _SubCommands)
        self._positionals.title = tr("positional arguments")
        self._optionals.title = tr("options")
        self.add_argument("-h", "--help", action="help", help="show this help message and exit")

    def add_argument(self, *args: Any, **kwargs: Any) -> argparse.Action:
        """Add an argument; its help is shown in the interface language."""
        from quickreply.core.i18n import tr

        if isinstance(kwargs.get("help"), str) and kwargs["help"] != argparse.SUPPRESS:
            kwargs["help"] = tr(kwargs["help"])
        return super().add_argument(*args, **kwargs)

    def error(self, message: str) -> None:  # type: ignore[override]
        raise QuickReplyError(f"{message} (see `{self.prog} --help`)")


def build_parser() -> argparse.ArgumentParser:
    """Return the parser with every sub-command registered."""
    # imported here: starting the tray app (no command) needs none of them, and they cost ~200 ms
    from quickreply.commands import control, doctor, importing, library
    from quickreply.commands import packs as pack_commands
    from quickreply.commands import settings as settings_commands
    from quickreply.commands import suggest as suggest_commands
    from quickreply.commands import team as team_commands
    from quickreply.commands import usage as usage_commands

    parser = _Parser(
        prog="quickreply",
        description="Quick replies for customer-service agents. Without a command, starts the tray app.",
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"quickreply {__version__}",
        help="show program's version number and exit",
    )
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="check this install in a temporary data dir (hotkeys, one insertion, usage log)",
    )
    parser.add_argument(
        "--lang",
        choices=("zh-CN", "en"),
        help="language of the messages (default: the language setting)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    library.register(sub)
    importing.register(sub)
    doctor.register(sub)
    pack_commands.register(sub)
    usage_commands.register(sub)
    suggest_commands.register(sub)
    team_commands.register(sub)
    control.register(sub)
    settings_commands.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the process exit status."""
    _utf8_output()
    # a log handler that cannot write (full disk) must not print "--- Logging error ---"
    logging.raiseExceptions = False
    with escaped_output():
        return _run(sys.argv[1:] if argv is None else list(argv))


def _run(arguments: list[str]) -> int:
    try:
        if not arguments:
            from quickreply.commands.launch import launch_app

            return launch_app()
        _use_language(_lang_argument(arguments))  # before the parser: its help is translated
        args = build_parser().parse_args(arguments)
        if args.self_test:
            from quickreply.app.self_test import run_self_test

            return run_self_test()
        if args.command is None:
            raise QuickReplyError(
                "give a command, or none to start the app (see `quickreply --help`)"
            )
        result: int = args.func(args)
        return result
    except QuickReplyError as exc:
        from quickreply.core.i18n import tr
        from quickreply.core.message_translation import translate_message

        print(tr("quickreply: {message}", message=translate_message(str(exc))), file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # the reader (e.g. `| head`) went away: not an error of ours; silence the final flush too
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115
        return 0
    except Exception as exc:  # noqa: BLE001 - the one place that turns a bug into a clear line
        _report_unexpected(exc)
        return EXIT_ERROR


def _short(exc: BaseException) -> str:
    """One short line for an unexpected error: its type and message, never the data it held."""
    # repr() of a UnicodeError holds the whole string being coded (the library, 100 KB)
    message = " ".join(str(exc).split())
    if len(message) > _MAX_ERROR_CHARS:
        message = message[:_MAX_ERROR_CHARS] + "…"
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


def _lang_argument(arguments: list[str]) -> str | None:
    """The value of `--lang X` / `--lang=X` before the command, if given (a wrong value is
    reported by the parser)."""
    for index, argument in enumerate(arguments):
        if argument == "--lang" and index + 1 < len(arguments):
            value = arguments[index + 1]
        elif argument.startswith("--lang="):
            value = argument.partition("=")[2]
        elif not argument.startswith("-"):
            return None  # the command: what follows is its own
        else:
            continue
        return value if value in ("zh-CN", "en") else None
    return None


def _use_language(lang: str | None) -> None:
    """Speak the agent's language: --lang, else the language setting, else the system's."""
    from quickreply.core import i18n
    from quickreply.core.library.settings import system_language

    if lang is None:
        stored = _stored_language()
        lang = stored if stored and stored != "auto" else system_language()
    i18n.set_language(lang)


def _stored_language() -> str | None:
    """The language setting, peeked at read-only: opening the store here would recover a damaged
    library before the command itself can report it."""
    try:
        data = json.loads(paths.library_path().read_text(encoding="utf-8"))
        value = data["settings"]["1"]["language"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return value if value in ("auto", "zh-CN", "en") else None


def _utf8_output() -> None:
    """Never crash on a console that cannot show a character (cp936, cp1252 ...)."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure:
            reconfigure(errors="replace")


def _report_unexpected(exc: Exception) -> None:
    """The last resort: one line on stderr, the traceback in the log if the log can be written.

    Never raises: the data dir may be read-only, full, a file, or under /proc.
    """
    details = traceback.format_exc()
    try:
        where = f"details were written to {_log_unexpected(details)}"
    except Exception as log_exc:  # noqa: BLE001 - reporting must not fail in turn
        where = f"no log could be written ({type(log_exc).__name__}: {log_exc})"
    line = f"quickreply: unexpected error: {_short(exc)}; {where}"
    with contextlib.suppress(Exception):
        print(" ".join(line.split()), file=sys.stderr)


def _log_unexpected(details: str) -> str:
    path = paths.log_file("quickreply.log")
    with path.open("a", encoding="utf-8") as handle:  # OSError reaches the caller, not the screen
        handle.write(f"{datetime.now().isoformat(timespec='seconds')} unexpected error\n{details}")
    return str(path)


if __name__ == "__main__":
    sys.exit(main())
