"""A new library gets the default pack of the agent's language only (issue 12 item 6), with the
default hotkeys on that pack's replies; IT can ask for both."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from quickreply.core.packs.defaults import open_library
from quickreply.core.packs.first_packs import DEFAULT_PACKS_ENV


@pytest.fixture
def new_agent(monkeypatch: pytest.MonkeyPatch):
    """A new agent's machine: no IT setting, only the locale says the language."""
    monkeypatch.delenv(DEFAULT_PACKS_ENV, raising=False)
    for name in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
        monkeypatch.delenv(name, raising=False)

    def with_locale(lang: str) -> None:
        monkeypatch.setenv("LANG", lang)

    return with_locale


def _packs(store) -> set[str]:
    return {r.id for r in store.pack_records()}


def test_english_agent_gets_english_defaults_only_on_the_default_hotkeys(new_agent) -> None:
    new_agent("en_US.UTF-8")
    store = open_library()
    assert _packs(store) == {"qr-default-en"}
    assert {s.pack_id for s in store.snippets()} == {"qr-default-en"}
    by_hotkey = {s.hotkey: s for s in store.snippets() if s.hotkey}
    assert by_hotkey["shift+f1"].id == "qr-default-en/greeting-welcome"
    assert "亲" not in by_hotkey["shift+f1"].body
    categories = {c.hotkey: c.id for c in store.categories() if c.hotkey}
    assert categories["alt+shift+1"] == "qr-default-en/greeting"


def test_chinese_agent_gets_chinese_defaults_only(new_agent) -> None:
    new_agent("zh_CN.UTF-8")
    store = open_library()
    assert _packs(store) == {"qr-default-zh"}
    by_hotkey = {s.hotkey: s for s in store.snippets() if s.hotkey}
    assert by_hotkey["shift+f1"].id == "qr-default-zh/greeting-welcome"


def test_it_can_install_both(new_agent, monkeypatch: pytest.MonkeyPatch) -> None:
    new_agent("en_US.UTF-8")
    monkeypatch.setenv(DEFAULT_PACKS_ENV, "zh-CN, en")
    assert _packs(open_library()) == {"qr-default-zh", "qr-default-en"}


def test_the_other_pack_can_be_added_later_without_stealing_hotkeys(new_agent) -> None:
    from quickreply.core.packs.visibility import add_default_pack

    new_agent("en_US.UTF-8")
    store = open_library()
    add_default_pack(store, "zh-CN")
    assert _packs(store) == {"qr-default-zh", "qr-default-en"}
    owner = {s.hotkey: s.id for s in store.snippets() if s.hotkey}
    assert owner["shift+f1"] == "qr-default-en/greeting-welcome"


@pytest.mark.parametrize(
    ("lang", "pack"), [("en_US.UTF-8", "qr-default-en"), ("zh_CN.UTF-8", "qr-default-zh")]
)
def test_cli_first_use_installs_the_locale_pack(new_agent, lang: str, pack: str) -> None:
    new_agent(lang)
    done = subprocess.run(
        [sys.executable, "-m", "quickreply", "list", "--json"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    ids = {item["id"].partition("/")[0] for item in json.loads(done.stdout)}
    assert ids == {pack}


def test_reinstalling_defaults_keeps_to_the_installed_language(new_agent) -> None:
    from quickreply.core.packs.defaults import install_default_packs

    new_agent("en_US.UTF-8")
    store = open_library()
    install_default_packs(store)
    assert _packs(store) == {"qr-default-en"}
    owner = {s.hotkey: s.id for s in store.snippets() if s.hotkey}
    assert owner["shift+f1"] == "qr-default-en/greeting-welcome"  # the bound hotkeys are kept
    install_default_packs(store, add=["zh-CN"])
    assert _packs(store) == {"qr-default-en", "qr-default-zh"}


def test_cli_defaults_adds_the_other_language(new_agent) -> None:
    new_agent("zh_CN.UTF-8")
    run = [sys.executable, "-m", "quickreply"]
    subprocess.run([*run, "defaults"], check=True, capture_output=True, timeout=60)
    assert _packs(open_library()) == {"qr-default-zh"}
    subprocess.run([*run, "defaults", "--add", "en"], check=True, capture_output=True, timeout=60)
    assert _packs(open_library()) == {"qr-default-zh", "qr-default-en"}
