"""A lead's team drop suggested in a signed pack's manifest: asked once per pack and location."""

from __future__ import annotations

from dataclasses import dataclass, replace

from quickreply.core.library.settings import load_settings, save_settings
from quickreply.core.library.store import LibraryStore

ASKED_KEY = "team_drop_asked"  # settings key: ["<pack id>|<location>", ...] already answered


@dataclass(frozen=True)
class DropSuggestion:
    """An installed pack's suggested team drop the agent has not answered yet."""

    pack_id: str
    pack_name: str
    location: str


def pending_suggestion(store: LibraryStore) -> DropSuggestion | None:
    """Return the first installed pack's team drop that is new to the agent, or None."""
    current = load_settings(store).team_drop.strip()
    asked = set(store.settings().get(ASKED_KEY) or [])
    for record in store.pack_records():
        location = record.team_drop.strip()
        if location and location != current and f"{record.id}|{location}" not in asked:
            return DropSuggestion(record.id, record.title, location)
    return None


def answer_suggestion(store: LibraryStore, suggestion: DropSuggestion, accept: bool) -> None:
    """Remember the answer (never asked again); on accept, publish to the suggested drop."""
    asked = list(store.settings().get(ASKED_KEY) or [])
    asked.append(f"{suggestion.pack_id}|{suggestion.location}")
    store.set_settings(**{ASKED_KEY: asked})
    if accept:
        settings = load_settings(store)
        save_settings(store, replace(settings, team_drop=suggestion.location, team_drop_user=""))
