"""An agent's own images on a pack reply: kept through updates, revertible, never collected
while kept for revert; a lead's locked images cannot be changed."""

from __future__ import annotations

import hashlib

import pytest

from quickreply.core.errors import LockedError
from quickreply.core.library.store import LibraryStore
from quickreply.core.packs.assets import entry_name
from quickreply.core.packs.format import parse_pack
from quickreply.core.packs.install import install_pack
from quickreply.core.packs.overrides import revert_to_pack
from tests.image_samples import png_bytes
from tests.unit.pack_samples import pack_data


@pytest.fixture
def store(tmp_path):
    store = LibraryStore(tmp_path / "library.json")
    store.assets.grace_s = 0
    return store


def install(store: LibraryStore, version: str, seed: int, locked: tuple[int, ...] = ()) -> str:
    data = pack_data(version=version, count=2, locked=locked)
    image = png_bytes(seed=seed)
    ref = f"{hashlib.sha256(image).hexdigest()}.png"
    data["snippets"][0]["images"] = [ref]
    install_pack(store, parse_pack(data), assets={entry_name(ref): image})
    return ref


def test_the_agents_image_survives_an_update_and_revert_brings_the_packs_back(store):
    packs_first = install(store, "1.0.0", seed=1)
    mine = store.assets.add_bytes(png_bytes(seed=7))
    store.update(store.get("team/s0").edited(images=(mine,)))
    assert store.assets.exists(packs_first)  # kept for revert, so not collected
    packs_second = install(store, "1.1.0", seed=2)
    assert store.get("team/s0").images == (mine,)
    assert not store.assets.exists(packs_first)  # no longer the pack's version
    revert_to_pack(store, "team/s0")
    assert store.get("team/s0").images == (packs_second,)
    assert not store.assets.exists(mine)


def test_a_locked_pack_image_cannot_be_changed(store):
    install(store, "1.0.0", seed=1, locked=(0,))
    mine = store.assets.add_bytes(png_bytes(seed=7))
    with pytest.raises(LockedError):
        store.update(store.get("team/s0").edited(images=(mine,)))
