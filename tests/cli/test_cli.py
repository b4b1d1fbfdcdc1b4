"""The command line, run as a real subprocess against a real temp QUICKREPLY_HOME."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest


def qr(
    *args: str, stdin: str | None = None, env_extra: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env.update(env_extra or {})
    return subprocess.run(
        [sys.executable, "-m", "quickreply", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        input=stdin,
        env=env,
        timeout=60,
    )


def test_version():
    out = qr("--version")
    assert out.returncode == 0
    assert out.stdout.startswith("quickreply ")


def test_list_json_shows_default_packs():
    out = qr("list", "--json")
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)
    packs = {r["pack_id"] for r in rows}
    assert packs == {"qr-default-zh", "qr-default-en"}
    assert any(r["category_name"] == "催付" for r in rows)


def test_add_show_edit_render_search_remove():
    out = qr(
        "add",
        "--title",
        "发货提醒",
        "--body",
        "{{customer}}，订单{{order}}已发出{{cursor}}",
        "--category",
        "我的话术",
        "--abbrev",
        "fhtx",
        "--tag",
        "物流",
    )
    assert out.returncode == 0, out.stderr
    sid = out.stdout.strip()
    assert sid.startswith("s-")
    shown = json.loads(qr("show", sid, "--json").stdout)
    assert shown["category_name"] == "我的话术" and shown["abbrev"] == "fhtx"
    assert qr("edit", sid, "--hotkey", "Ctrl+Shift+7", "--auto-send").returncode == 0
    shown = json.loads(qr("show", sid, "--json").stdout)
    assert shown["hotkey"] == "ctrl+shift+7" and shown["auto_send"] is True
    rendered = qr("render", sid, "--var", "order=A123", "--var", "customer=王女士")
    assert rendered.stdout == "王女士，订单A123已发出\n"
    found = json.loads(qr("search", "发货提醒", "--json").stdout)
    assert [r["id"] for r in found] == [sid]
    assert qr("remove", sid).returncode == 0
    assert qr("show", sid).returncode == 2


def test_add_body_from_stdin_multiline():
    out = qr("add", "--title", "多行", "--body", "-", stdin="第一行\n第二行")
    sid = out.stdout.strip()
    assert json.loads(qr("show", sid, "--json").stdout)["body"] == "第一行\n第二行"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("add", "--title", "x", "--body", "{{custmer}}"),
            "unknown placeholder {{custmer}} at line 1, column 1",
        ),
        (("add", "--title", "x", "--body", "hi", "--hotkey", "ctrl+nokey"), "unknown key 'nokey'"),
        (
            ("add", "--title", "x", "--body", "hi", "--abbrev", "hyy"),
            "abbreviation 'hyy' is already used",
        ),
        (
            ("add", "--title", "x", "--body", "hi", "--hotkey", "ctrl+alt+space"),
            "used by QuickReply itself",
        ),
        (("show", "nope"), "no snippet with id, title or abbreviation 'nope'"),
        (("remove", "nope"), "no snippet with id 'nope'"),
        (("render", "qr-default-zh/logistics-tracking"), "needs values: --var 'tracking=...'"),
        (
            ("render", "qr-default-zh/greeting-welcome", "--var", "novalue"),
            "must look like NAME=VALUE",
        ),
        (("edit", "qr-default-zh/greeting-welcome"), "nothing to change"),
        (("frobnicate",), "invalid choice: 'frobnicate'"),
        (("list", "--category", "nope"), "no category 'nope'"),
    ],
)
def test_errors_are_one_clear_line_exit_2(args, message):
    out = qr(*args)
    assert out.returncode == 2
    assert message in out.stderr
    assert "Traceback" not in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1


def test_corrupt_library_is_reported_and_kept(quickreply_home):
    (quickreply_home / "library.json").write_text("{not json", encoding="utf-8")
    out = qr("list", "--json")
    assert out.returncode == 0
    assert "could not be read" in out.stderr and "corrupt-" in out.stderr
    backups = list(quickreply_home.glob("library.json.corrupt-*"))
    assert len(backups) == 1 and backups[0].read_text(encoding="utf-8") == "{not json"


def test_no_display_gives_one_clear_line():
    env = {"DISPLAY": "", "WAYLAND_DISPLAY": "", "QT_QPA_PLATFORM": ""}
    out = qr(env_extra=env)
    assert out.returncode == 2
    assert "xvfb-run" in out.stderr
    assert "Traceback" not in out.stderr and "Aborted" not in out.stderr


def test_doctor_reports_each_line_with_a_verdict():
    out = qr(
        "doctor", "--json", env_extra={"DISPLAY": "", "WAYLAND_DISPLAY": "", "QT_QPA_PLATFORM": ""}
    )
    rows = json.loads(out.stdout)
    subjects = [r["subject"] for r in rows]
    assert subjects[:3] == ["data dir", "library", "display"]
    assert any(s.startswith("hotkeys") for s in subjects)
    assert all(r["verdict"] in ("ok", "warn", "FAIL") for r in rows)
    assert out.returncode == 1  # no display is a failure worth an exit status


def test_pipe_closed_early_is_not_an_error():
    proc = subprocess.run(
        f"{sys.executable} -m quickreply list | head -1",
        shell=True,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "error" not in proc.stderr.lower()


def test_missing_qt_xcb_libraries_are_named_not_a_qt_abort(monkeypatch):
    from quickreply.platform import display

    monkeypatch.setattr(display, "_loadable", lambda soname: soname != "libxcb-cursor.so.0")
    assert "apt-get install libxcb-cursor0" in display._xcb_library_problem()
