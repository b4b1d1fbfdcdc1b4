"""`quickreply suggest`: ranked replies for a buyer's message on the command line, and privacy."""

from __future__ import annotations

import json

from tests.cli.test_cli import qr


def test_json_has_the_search_shape_plus_score_and_matched(quickreply_home):
    out = qr("suggest", "退货的运费谁出？", "--json", "--limit", "3")
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)
    assert len(rows) == 3
    search_row = json.loads(qr("search", "退货运费", "--json").stdout)[0]
    assert set(rows[0]) == set(search_row) | {"score", "matched"}
    assert rows[0]["id"] == "qr-default-zh/returns-shipping-fee"
    assert rows[0]["category_name"] == "退换货"
    assert rows[0]["matched"] == ["退货", "运费谁出"]
    assert rows[0]["score"] >= rows[1]["score"] >= rows[2]["score"]


def test_message_from_standard_input_and_table_output(quickreply_home):
    out = qr("suggest", "-", stdin="My parcel says delivered but I never got it\n")
    assert out.returncode == 0, out.stderr
    first = out.stdout.splitlines()[1]
    assert "qr-default-en/logistics-signed-not" in first  # long ids are cut to the column
    assert "never got" in first


def test_empty_message_and_bad_limit_are_one_clear_line(quickreply_home):
    for args in (("suggest", "  "), ("suggest", "在吗", "--limit", "0")):
        out = qr(*args)
        assert out.returncode == 2
        assert out.stderr.startswith("quickreply: ") and len(out.stderr.splitlines()) == 1


def test_the_message_is_written_to_no_file_of_the_data_dir(quickreply_home):
    message = "隐私测试：我的快递单号SF1234567890还没到，地址是幸福路88号"
    assert qr("suggest", message).returncode == 0
    assert qr("suggest", "-", "--json", stdin=message).returncode == 0
    files = [p for p in quickreply_home.rglob("*") if p.is_file()]
    assert files  # the library was created
    for needle in (message, "SF1234567890", "幸福路88号"):
        for path in files:
            data = path.read_bytes()
            assert needle.encode("utf-8") not in data, path
            assert needle.encode("utf-16-le") not in data, path
