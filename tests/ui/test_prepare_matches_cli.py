"""The app and `quickreply render` give the same text for the same snippet and values."""

from __future__ import annotations

import os
import subprocess
import sys

from quickreply.core.library.model import Snippet


def _cli_render(*args: str) -> str:
    out = subprocess.run(
        [sys.executable, "-m", "quickreply", "render", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=os.environ,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    return out.stdout.rstrip("\n")


def test_cli_and_app_render_the_same_text(controller):
    store = controller.store
    store.set_settings(language="en", shop_facts={"shop": "小店"})
    english = store.add(
        Snippet(id=store.new_snippet_id(), title="Hi", body="Hello {{customer}} from {{shop}}")
    )
    chinese = store.add(
        Snippet(
            id=store.new_snippet_id(),
            title="订单",
            body="{{customer}}，订单{{order}}已{{choice:状态|发货|签收}}，{{return_days}}天无理由",
        )
    )
    given = {"order": "A1", "状态": "发货"}
    for snippet, values in ((english, {}), (chinese, given)):
        expected = controller.render_text(store.get(snippet.id), values)
        var_args = [arg for key, value in values.items() for arg in ("--var", f"{key}={value}")]
        assert _cli_render(snippet.id, *var_args) == expected
