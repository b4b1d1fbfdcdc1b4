"""The `quickreply` command: starts the tray app, or runs a sub-command for agents, leads and scripts.

Errors a user can cause print one line on stderr and exit with status 2, never a traceback;
unexpected failures are logged to the data dir's logs/ folder and reported the same way.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import traceback
from collections.abc import Sequence

from quickreply import __version__
from quickreply.core.errors import QuickReplyError
from quickreply.core.library import paths

EXIT_ERROR = 2


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage errors in the same one-line style as every other error."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise QuickReplyError(f"{message} (see `{self.prog} --help`)")


def build_parser() -> argparse.ArgumentParser:
    """Return the parser with every sub-command registered."""
    # imported here: starting the tray app (no command) needs none of them, and they cost ~200 ms
    from quickreply.commands import control, doctor, library
    from quickreply.commands import packs as pack_commands
    from quickreply.commands import team as team_commands
    from quickreply.commands import usage as usage_commands

    parser = _Parser(
        prog="quickreply",
        description="Quick replies for customer-service agents. Without a command, starts the tray app.",
    )
    parser.add_argument("--version", action="version", version=f"quickreply {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    library.register(sub)
    doctor.register(sub)
    pack_commands.register(sub)
    usage_commands.register(sub)
    team_commands.register(sub)
    control.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the process exit status."""
    _utf8_output()
    arguments = sys.argv[1:] if argv is None else list(argv)
    try:
        if not arguments:
            from quickreply.commands.launch import launch_app

            return launch_app()
        args = build_parser().parse_args(arguments)
        if args.command is None:
            raise QuickReplyError(
                "give a command, or none to start the app (see `quickreply --help`)"
            )
        result: int = args.func(args)
        return result
    except QuickReplyError as exc:
        print(f"quickreply: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # the reader (e.g. `| head`) went away: not an error of ours; silence the final flush too
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115
        return 0
    except Exception as exc:  # noqa: BLE001 - the one place that turns a bug into a clear line
        log = _log_unexpected()
        print(
            f"quickreply: unexpected error: {exc!r}; details were written to {log}", file=sys.stderr
        )
        return EXIT_ERROR


def _utf8_output() -> None:
    """Never crash on a console that cannot show a character (cp936, cp1252 ...)."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure:
            reconfigure(errors="replace")


def _log_unexpected() -> str:
    path = paths.log_dir() / "quickreply.log"
    logging.basicConfig(filename=path, level=logging.INFO, encoding="utf-8")
    logging.getLogger("quickreply.cli").error("unexpected error\n%s", traceback.format_exc())
    return str(path)


if __name__ == "__main__":
    sys.exit(main())
