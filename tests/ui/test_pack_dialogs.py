"""Pack dialogs on Qt's offscreen platform: export, install, team report."""

from __future__ import annotations

import pytest

from quickreply.core.library.model import Snippet
from quickreply.core.packs.defaults import open_library
from quickreply.core.packs.file import read_pack_file
from quickreply.core.packs.index import build_index
from quickreply.core.packs.install import install_pack
from quickreply.core.packs.signing import generate_keypair
from quickreply.ui.pack_dialogs import ExportPackDialog, InstallPackDialog, TeamReportDialog
from tests.unit.pack_samples import make_pack, write_pack
from tests.unit.usage_samples import write_sample_exports


@pytest.fixture
def store():
    library = open_library()
    category = library.new_category("双11话术")
    for title in ("发货说明", "预售尾款"):
        library.add(
            Snippet(
                id=library.new_snippet_id(), title=title, body=f"亲，{title}", category=category.id
            )
        )
    return library


def test_export_dialog_suggests_id_and_version_and_writes_a_signed_pack(qtbot, store, tmp_path):
    generate_keypair(tmp_path / "lead.key")
    category = store.category("双11话术").id
    dialog = ExportPackDialog(store, [category], [])
    qtbot.addWidget(dialog)
    assert dialog.name_edit.text() == "双11话术"
    assert dialog.id_edit.text() == "shuang-11-hua-shu"
    assert dialog.version_edit.text() == "1.0.0"
    assert "2" in dialog.summary.text()
    dialog.author_edit.setText("李组长")
    dialog.output_edit.setText(str(tmp_path / "d11.qrpack"))
    dialog.sign_check.setChecked(True)
    dialog.key_edit.setText(str(tmp_path / "lead.key"))
    written = dialog.export()
    assert written is not None and written.signature is not None
    read = read_pack_file(tmp_path / "d11.qrpack")
    assert read.pack.manifest.author == "李组长" and read.pack.manifest.language == "zh-CN"
    assert store.settings()["pack_signing_key"] == str(tmp_path / "lead.key")


def test_export_dialog_bumps_from_the_installed_version_and_shows_errors(qtbot, store, tmp_path):
    install_pack(store, make_pack("shuang-11-hua-shu", version="1.3.0", count=1))
    dialog = ExportPackDialog(store, [store.category("双11话术").id], [])
    qtbot.addWidget(dialog)
    assert dialog.version_edit.text() == "2.0.0"  # the installed s0 is gone: a major bump
    dialog.version_edit.setText("next")
    assert dialog.export() is None
    assert "1.2.0" in dialog.error.text()
    dialog.version_edit.setText("2.0.0")
    dialog.sign_check.setChecked(True)
    dialog.key_edit.setText(str(tmp_path / "missing.key"))
    dialog.output_edit.setText(str(tmp_path / "x.qrpack"))
    assert dialog.export() is None
    assert "no key file" in dialog.error.text()


def test_install_dialog_installs_a_file_and_lists_an_index(qtbot, store, tmp_path):
    dialog = InstallPackDialog(store)
    qtbot.addWidget(dialog)
    dialog.source_edit.setText(str(write_pack(tmp_path / "team.qrpack")))
    assert not dialog.subscribe_check.isChecked()
    report = dialog.install()
    assert report is not None and report.status == "installed"
    assert "installed" in dialog.outcome.text()
    site = tmp_path / "site"
    site.mkdir()
    write_pack(site / "a.qrpack", "team-a")
    write_pack(site / "b.qrpack", "team-b")
    build_index(site)
    dialog = InstallPackDialog(store)
    qtbot.addWidget(dialog)
    dialog.source_edit.setText(str(site))
    assert [e.id for e in dialog.list_index()] == ["team-a", "team-b"]
    dialog.pack_combo.setCurrentIndex(1)
    assert dialog.install().pack_id == "team-b"
    dialog.source_edit.setText(str(tmp_path / "nothing-here.qrpack"))
    assert dialog.install() is None and dialog.error.text()


def test_team_report_dialog_writes_the_report(qtbot, tmp_path):
    dialog = TeamReportDialog()
    qtbot.addWidget(dialog)
    dialog.add_inputs([str(p) for p in write_sample_exports(tmp_path)])
    dialog.open_check.setChecked(False)
    dialog.format_combo.setCurrentIndex(1)
    dialog.output_edit.setText(str(tmp_path / "team.csv"))
    report = dialog.generate()
    assert report is not None and len(report.agents) == 3
    assert (tmp_path / "team.csv").exists()
    empty = TeamReportDialog()
    qtbot.addWidget(empty)
    empty.open_check.setChecked(False)
    assert empty.generate() is None and "at least one" in empty.error.text()
