"""`quickreply` with no command: start the tray app, or explain in one line why it cannot start."""

from __future__ import annotations

from quickreply.core.errors import QuickReplyError
from quickreply.platform.display import display_problem


def launch_app() -> int:
    """Start the tray application and return its exit status."""
    problem = display_problem()
    if problem:
        raise QuickReplyError(problem)
    from quickreply.ui.main import run

    return run()
