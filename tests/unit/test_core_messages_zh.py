"""Core's English error lines reach a zh-CN agent in Chinese (issue 12 items 9 and 12): every
message core raises has a zh-CN template, `translate_message` fills it, and the CLI's error
printer and help use them."""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from quickreply.core import i18n
from quickreply.core.message_translation import translate_message
from tests.cli_process import qr

PACKAGE = Path(__file__).parents[2] / "quickreply"
CATALOGUE = json.loads(
    (PACKAGE.parent / "resources" / "i18n" / "zh-CN.json").read_text(encoding="utf-8")
)
# errors a user sees (QuickReplyError and its kinds); TypeError/ValueError are caught inside core
SHOWN_ERRORS = {
    "QuickReplyError", "ValidationError", "NotFoundError", "LockedError", "StorageError",
    "CorruptFileError", "BusyError", "SignatureError", "SourceError", "DropError",
    "_Unsupported",  # an importer's reason for skipping a phrase
}  # fmt: skip
_LETTERS = re.compile(r"[A-Za-z]{2,}")


def template(node: ast.expr) -> str | None:
    """The catalogue key of a message literal: f-string values become {name} slots (the
    variable or attribute name; `value`, `value2` ... for other expressions)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value.replace("{", "{{").replace("}", "}}")
    if not isinstance(node, ast.JoinedStr):
        return None
    out, slots = [], {}
    for part in node.values:
        if isinstance(part, ast.Constant):
            out.append(str(part.value).replace("{", "{{").replace("}", "}}"))
            continue
        assert isinstance(part, ast.FormattedValue)
        source = ast.unparse(part.value)
        if source not in slots:
            expr = part.value
            base = getattr(expr, "id", None) or getattr(expr, "attr", None) or "value"
            name, n = base, 1
            while name in slots.values():
                n += 1
                name = f"{base}{n}"
            slots[source] = name
        out.append("{" + slots[source] + "}")
    return "".join(out)


def core_messages() -> Iterator[tuple[str, str]]:
    """(where, template) of every message literal raised as a shown error or listed as a
    problem, warning, note, clash or importer's skip reason in core."""
    for path in sorted((PACKAGE / "core").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            call = node.exc if isinstance(node, ast.Raise) else node
            if not isinstance(call, ast.Call) or not call.args:
                continue
            name = getattr(call.func, "id", None) or getattr(call.func, "attr", "")
            target = getattr(call.func, "value", None)  # problems.append, result.notes.append
            owner = getattr(target, "id", None) or getattr(target, "attr", "")
            shown = isinstance(node, ast.Raise) and name in SHOWN_ERRORS
            listed = name == "append" and owner in ("problems", "warnings", "notes", "clashes")
            text = template(call.args[0]) if shown or listed else None
            if name in ("skip", "Skipped") and len(call.args) > 1:  # an importer's reason
                text = template(call.args[1])
            if text and _LETTERS.search(re.sub(r"\{\w+\}", "", text)):
                yield f"{path.relative_to(PACKAGE)}:{call.lineno}", text


def test_every_message_core_raises_has_a_zh_cn_template() -> None:
    missing = [f"{where}: {text!r}" for where, text in core_messages() if text not in CATALOGUE]
    assert missing == [], f"{len(missing)} without zh-CN:\n" + "\n".join(missing)


@pytest.fixture
def chinese() -> Iterator[None]:
    i18n.set_language("zh-CN")
    yield
    i18n.set_language("en")


@pytest.mark.parametrize(
    ("english", "chinese_text"),
    [
        ("snippet 's-0111fc94': title is empty", "话术 's-0111fc94'：标题为空"),
        (
            "no snippet with id 'nope' (see `quickreply list`)",
            "没有 id 为 'nope' 的话术（见 `quickreply list`）",
        ),
        (
            "snippet 's-1': title is empty; snippet 's-1': body is empty",
            "话术 's-1'：标题为空；话术 's-1'：正文为空",
        ),
        (
            "hotkey 'ctrl+q+w': two main keys ('q' and 'w'); use one",
            "快捷键 'ctrl+q+w'：有两个主键（'q' 和 'w'），只能用一个",
        ),
        ("language: use auto, zh-CN or en", "language：请用 auto, zh-CN 或 en"),
    ],
)
def test_core_messages_are_translated(chinese, english: str, chinese_text: str) -> None:
    assert translate_message(english) == chinese_text


def test_english_and_unknown_messages_are_unchanged(chinese) -> None:
    assert translate_message("something nobody wrote") == "something nobody wrote"
    i18n.set_language("en")
    assert translate_message("snippet 's-1': title is empty") == "snippet 's-1': title is empty"


def test_cli_errors_follow_the_language() -> None:
    done = qr("--lang", "zh-CN", "render", "nope")
    assert done.returncode == 2
    assert done.stderr.strip() == "quickreply：没有 id 为 'nope' 的话术（见 `quickreply list`）"
    assert qr("render", "nope").stderr.startswith("quickreply: no snippet with id 'nope'")
    body = qr("--lang", "zh-CN", "add", "--title", "x", "--body", "{{bogus}}").stderr
    assert "：未知占位符 {{bogus}}（第 1 行第 1 列）" in body, body


def test_cli_usage_errors_in_chinese() -> None:
    done = qr("--lang", "zh-CN", "list", "--bogus")
    assert done.returncode == 2
    assert "无法识别的参数：--bogus" in done.stderr, done.stderr


def test_every_argparse_help_has_a_zh_cn_entry() -> None:
    import argparse

    from quickreply.cli import build_parser

    texts: list[str] = []

    def walk(parser: argparse.ArgumentParser) -> None:
        texts.append(parser.description or "")
        for action in parser._actions:
            texts.append(action.help or "")
            if isinstance(action, argparse._SubParsersAction):
                texts.extend(choice.help or "" for choice in action._choices_actions)
                for sub in action.choices.values():
                    walk(sub)

    walk(build_parser())
    missing = sorted({t for t in texts if t and t != argparse.SUPPRESS and t not in CATALOGUE})
    assert len(texts) > 100
    assert missing == [], f"{len(missing)} without zh-CN:\n" + "\n".join(missing)


def test_help_is_chinese_in_the_chinese_interface() -> None:
    assert "列出话术" in qr("--lang", "zh-CN", "--help").stdout
    shown = qr("--lang", "zh-CN", "list", "--help").stdout
    assert "用法：" in shown and "只看这个分类（名称或 id）" in shown
    assert "显示此帮助并退出" in shown and "show this help" not in shown
    assert "usage:" in qr("list", "--help").stdout


def test_a_value_holding_a_semicolon_is_still_one_message(chinese) -> None:
    message = (
        "global hotkeys are unavailable: no X display; set DISPLAY or run under Xvfb: xvfb-run "
        "quickreply (keyboard backend: no readable /dev/input/event* device; use the X11 backend)"
    )
    assert translate_message(message) == (
        "全局快捷键不可用：没有 X 显示；请设置 DISPLAY，或在 Xvfb 下运行：xvfb-run quickreply"
        "（keyboard 后端：没有可读的 /dev/input/event* 设备；请使用 X11 后端）"
    )


def test_every_table_header_has_a_zh_cn_entry() -> None:
    missing = []
    for path in sorted((PACKAGE / "commands").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "print_table":
                headers = node.args[0]
                assert isinstance(headers, ast.Tuple | ast.List), f"{path.name}:{node.lineno}"
                for header in headers.elts:
                    assert isinstance(header, ast.Constant)
                    if _LETTERS.search(header.value) and header.value not in CATALOGUE:
                        missing.append(f"{path.name}:{node.lineno}: {header.value!r}")
    assert missing == []


def test_doctor_speaks_chinese() -> None:
    import os

    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = qr("--lang", "zh-CN", "doctor", env=env, timeout=120)
    assert done.stdout.startswith("[  ok] 数据文件夹: "), done.stdout
    assert "[  ok] 话术库: 191 条话术，26 个分类" in done.stdout, done.stdout


def test_import_preview_reasons_in_chinese(tmp_path: Path) -> None:
    script = tmp_path / "phrases.ahk"
    script.write_text("::;hy::您好\n^j::Send hello\n", encoding="utf-8")
    done = qr("--lang", "zh-CN", "import", str(script), "--dry-run")
    assert done.returncode == 0, done.stderr
    assert "  - phrases.ahk：第 2 行: 快捷键（不是热字串；绝不运行）" in done.stdout, done.stdout


def test_stats_speak_chinese_down_to_the_reply_speed_line() -> None:
    done = qr("--lang", "zh-CN", "stats", timeout=120)
    assert done.returncode == 0, done.stderr
    assert "回复速度统计未开启" in done.stdout, done.stdout
    assert "Reply speed" not in done.stdout
