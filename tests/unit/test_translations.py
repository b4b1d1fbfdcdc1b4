"""Every user-visible string in ui/ and commands/ goes through the translation helper (tr or
tr_n) and has a zh-CN entry; the CLI speaks the language setting, or --lang."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

from tests.cli_process import qr

PACKAGE = Path(__file__).parents[2] / "quickreply"
CATALOGUE = json.loads(
    (PACKAGE.parent / "resources" / "i18n" / "zh-CN.json").read_text(encoding="utf-8")
)
# calls whose first argument is shown to the agent
SHOWN_BY = {
    "commands": {"print", "QuickReplyError", "ValidationError", "NotFoundError", "StorageError"},
    "ui": {
        "setText", "setWindowTitle", "setToolTip", "setPlaceholderText", "showMessage",
        "addAction", "addMenu", "addTab", "addRow", "addSection", "setTitle", "notify",
        "QLabel", "QPushButton", "QCheckBox", "QAction", "QGroupBox", "QRadioButton",
        "information", "warning", "critical", "question", "setStatusTip", "error",
    },
}  # fmt: skip
_LETTERS = re.compile(r"[A-Za-z]{2,}")


def _modules(layer: str) -> list[Path]:
    return sorted((PACKAGE / layer).glob("*.py"))


def _calls(path: Path) -> list[ast.Call]:
    return [n for n in ast.walk(ast.parse(path.read_text("utf-8"))) if isinstance(n, ast.Call)]


def _name(call: ast.Call) -> str:
    return getattr(call.func, "id", None) or getattr(call.func, "attr", "") or ""


def _literal_text(node: ast.expr) -> str | None:
    """The words of a string literal or f-string (placeholders left out), else None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value for v in node.values if isinstance(v, ast.Constant))
    return None


def test_shown_strings_go_through_tr():
    bare = []
    for layer, names in SHOWN_BY.items():
        for path in _modules(layer):
            for call in _calls(path):
                if _name(call) not in names:
                    continue
                for arg in call.args[:2] if layer == "ui" else call.args[:1]:
                    text = _literal_text(arg)
                    if text and _LETTERS.search(text) and text != "QuickReply":
                        bare.append(f"{path.name}:{call.lineno}: {text[:60]!r}")
    assert bare == [], "not translated:\n" + "\n".join(bare)


def test_every_translated_string_has_a_zh_cn_entry():
    missing = []
    for layer in SHOWN_BY:
        for path in _modules(layer):
            for call in _calls(path):
                if _name(call) not in ("tr", "tr_n"):
                    continue
                for arg in call.args[: 2 if _name(call) == "tr_n" else 1]:
                    if isinstance(arg, ast.Constant) and arg.value not in CATALOGUE:
                        missing.append(f"{path.name}:{call.lineno}: {arg.value!r}")
    assert missing == [], "no zh-CN entry:\n" + "\n".join(missing)


def test_cli_follows_the_language_setting_and_lang():
    assert qr("search", "zzzzqqqq").stdout.strip() == "no matches for 'zzzzqqqq'"
    assert (
        qr("--lang", "zh-CN", "search", "zzzzqqqq").stdout.strip() == "没有与“zzzzqqqq”匹配的话术"
    )
    assert qr("settings", "set", "language", "zh-CN").returncode == 0
    assert qr("search", "zzzzqqqq").stdout.strip() == "没有与“zzzzqqqq”匹配的话术"
    assert qr("--lang", "en", "search", "zzzzqqqq").stdout.strip() == "no matches for 'zzzzqqqq'"
