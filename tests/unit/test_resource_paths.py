"""resources_dir() finds the shipped files in a bundle, a wheel or a checkout, or says it cannot."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from quickreply.core.errors import QuickReplyError
from quickreply.core.library import paths


def _resources(root: Path) -> Path:
    (root / "resources" / "packs").mkdir(parents=True)
    return root / "resources"


def test_checkout_resources_found_from_source() -> None:
    found = paths.resources_dir()
    assert (found / "packs" / "zh-CN" / "pack.yaml").is_file()
    assert (found / "i18n" / "zh-CN.json").is_file()


def test_bundle_resources_come_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bundled = _resources(tmp_path)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert paths.resources_dir() == bundled


def test_wheel_layout_resources_inside_package() -> None:
    package = Path(paths.__file__).resolve().parents[2]
    assert paths.resource_candidates()[0] == package / "resources"


def test_missing_resources_is_one_clear_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(paths, "resource_candidates", lambda: [tmp_path / "nothing"])
    with pytest.raises(QuickReplyError, match="installation is incomplete"):
        paths.resources_dir()
