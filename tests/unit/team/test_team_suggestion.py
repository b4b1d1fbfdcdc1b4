"""A lead's signed pack suggests a team drop: it survives the .qrpack round trip and is asked once."""

from __future__ import annotations

import json

from nacl.signing import SigningKey

from quickreply.core.library import paths
from quickreply.core.library.settings import load_settings
from quickreply.core.packs.file import write_pack_file
from quickreply.core.packs.format import parse_pack
from quickreply.core.packs.install import install_pack
from quickreply.core.team.suggestion import answer_suggestion, pending_suggestion
from tests.unit.pack_samples import pack_data
from tests.unit.team.agents import make_agent

DROP = "https://dav.example.cn/qr-team/"


def signed_pack_with_drop(tmp_path):
    data = pack_data("team-lead")
    data["team_drop"] = DROP
    key = SigningKey.generate()
    written = write_pack_file(tmp_path / "team.qrpack", parse_pack(data), key=key)
    return written, key


def test_team_drop_survives_the_signed_pack_round_trip_and_schema(tmp_path):
    written, key = signed_pack_with_drop(tmp_path)
    assert written.pack.manifest.team_drop == DROP
    assert written.pack.manifest.to_dict()["team_drop"] == DROP
    plain = parse_pack(pack_data("plain"))
    assert "team_drop" not in plain.manifest.to_dict()  # packs without one are unchanged
    schema_path = paths.resources_dir() / "schema" / "qrpack-manifest.schema.json"
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    assert schema["properties"]["team_drop"]["type"] == "string"


def test_suggestion_is_asked_once_and_applied_only_when_accepted(tmp_path, monkeypatch):
    written, _ = signed_pack_with_drop(tmp_path)
    agent = make_agent(tmp_path, monkeypatch, "小王")
    install_pack(agent.store, written.pack)
    suggestion = pending_suggestion(agent.store)
    assert suggestion is not None and suggestion.location == DROP
    assert load_settings(agent.store).team_drop == ""  # never switched silently
    answer_suggestion(agent.store, suggestion, accept=False)
    assert pending_suggestion(agent.store) is None and load_settings(agent.store).team_drop == ""
    other = make_agent(tmp_path, monkeypatch, "小李")
    install_pack(other.store, written.pack)
    answer_suggestion(other.store, pending_suggestion(other.store), accept=True)
    assert load_settings(other.store).team_drop == DROP
    assert pending_suggestion(other.store) is None
