"""Who this installation is in a team report: a random agent id made on first run, and a name.

The id tells agents apart whose machines share an operating-system user (shop PCs, disk images);
the name (the `agent_name` setting) is what the lead reads.
"""

from __future__ import annotations

import getpass
import uuid
from dataclasses import replace
from typing import TYPE_CHECKING

from quickreply.core.library.settings import Settings, load_settings

if TYPE_CHECKING:
    from quickreply.core.library.store import LibraryStore


def ensure_agent_id(store: LibraryStore) -> str:
    """Return the installation's agent id, creating and storing a random one the first time."""
    settings = load_settings(store)
    if settings.agent_id:
        return settings.agent_id
    agent_id = uuid.uuid4().hex[:16]
    store.set_settings(**replace(settings, agent_id=agent_id).to_stored())
    return agent_id


def agent_display_name(settings: Settings) -> str:
    """Return the agent's name: the `agent_name` setting, else the operating-system user name."""
    name = settings.agent_name.strip()
    if name:
        return name
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no user name in this environment (some containers)
        return "agent"
