"""The installation's agent id, as day files and team reports name it.

One identity: the `agent_id` setting made on first run (core/library/agent.py), the same id usage
exports carry, so a lead's report groups an agent's exports and day files together.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from quickreply.core.library.agent import ensure_agent_id

if TYPE_CHECKING:
    from quickreply.core.library.store import LibraryStore


def installation_id(store: LibraryStore) -> str:
    """Return this installation's agent id, creating and storing it on first use."""
    return ensure_agent_id(store)
