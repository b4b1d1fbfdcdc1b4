"""Unexpected errors reach the agent as one short line, never the data they carried."""

from __future__ import annotations

import pytest

from quickreply import cli
from quickreply.core.errors import ValidationError
from quickreply.core.library.model import Snippet
from quickreply.core.library.store import LibraryStore


def test_an_unexpected_error_never_prints_the_data_it_held(capsys, monkeypatch):
    library = "x" * 100_000

    def boom(_args):
        raise UnicodeEncodeError("utf-8", library, 5, 6, "surrogates not allowed")

    monkeypatch.setattr("quickreply.commands.library.cmd_list", boom)
    assert cli.main(["list"]) == 2
    err = capsys.readouterr().err
    assert len(err) < 400 and "UnicodeEncodeError" in err


def test_the_store_refuses_text_with_undecodable_bytes(tmp_path):
    store = LibraryStore(tmp_path / "library.json")
    body = b"\xc4\xe3".decode("utf-8", "surrogateescape")
    with pytest.raises(ValidationError, match="not text"):
        store.add(Snippet(id="s-1", title="t", body=body))
