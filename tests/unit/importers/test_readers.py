"""Each importer on fixtures written for it: exact snippets, exact skips, nothing ever run."""

from __future__ import annotations

from pathlib import Path

import pytest

from quickreply.core.errors import ValidationError
from quickreply.core.importers import detect_format, read_import
from quickreply.core.importers.sheets import ColumnMap
from quickreply.core.importers.text import detect_encoding

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "importers"


def rows(result):
    return [(s.category, s.abbrev, s.title, s.body) for s in result.snippets]


def reasons(result):
    return [(s.where, s.reason) for s in result.skipped]


def test_espanso_package_folder_takes_the_newest_version_and_the_manifest_title():
    result = read_import(FIXTURES / "espanso" / "packages" / "shop-greetings")
    assert result.format == "espanso"
    assert rows(result) == [
        ("店铺问候", ";hy", "欢迎语", "亲，您好，欢迎光临！请问有什么可以帮您？"),
        ("店铺问候", ";bye", "感谢您的耐心等待，", "感谢您的耐心等待，\n祝您生活愉快！\n"),
        ("店铺问候", ";wait", "正在为您查询， 请稍等片刻。", "正在为您查询， 请稍等片刻。\n"),
    ]
    assert result.notes == [
        "0.2.0/package.yml: match 2 (;bye): only the first trigger became the abbreviation "
        "(;zj dropped)"
    ]


def test_espanso_forms_become_input_and_choice_placeholders():
    result = read_import(FIXTURES / "espanso" / "packages" / "order-forms" / "1.0.0")
    assert rows(result) == [
        (
            "order-forms",
            ";dd",
            "核对订单",
            "亲，您的订单号是 {{input:order}}，收货地址是 {{input:address}} 吗？",
        ),
        ("order-forms", ";kd", "选择快递", "已为您安排{{choice:courier|顺丰|中通|圆通}}发货。"),
        (
            "order-forms",
            ";tk",
            "退款说明",
            "{{choice:reason|七天无理由|质量问题}}：退款将在三天内原路退回。",
        ),
    ]
    assert result.skipped == []


def test_espanso_vars_are_translated_and_a_shell_var_is_skipped_never_run():
    result = read_import(FIXTURES / "espanso" / "match" / "base.yml")
    assert rows(result) == [
        ("base", ":date", ":date", "{{date:%Y年%m月%d日}}"),
        ("base", ":now", "现在是", "现在是 {{date:%H:%M}}"),
        ("base", ":paste", "您提供的单号是：", "您提供的单号是：{{clipboard}}"),
        ("base", ":sign", "—— 小美", "{{cursor}}\n—— 小美"),
        ("base", None, "营业时间", "客服在线时间为每天 9:00-23:00。"),
    ]
    assert reasons(result) == [
        ("base.yml: match 5 (:ip)", "variable 'ip' of type shell is not supported (never run)"),
        ("base.yml: match 6", "'regex' matches are not supported"),
    ]


def test_espanso_keep_unsupported_leaves_the_variable_as_visible_text():
    result = read_import(FIXTURES / "espanso" / "match" / "base.yml", keep_unsupported=True)
    assert ("base", ":ip", "当前地址：[ip]", "当前地址：[ip]") in rows(result)


def test_espanso_config_folder_reads_every_match_file_and_ignores_config():
    result = read_import(FIXTURES / "espanso")
    assert result.categories == ["order-forms", "店铺问候", "base"]
    assert len(result.snippets) == 11
    assert "这是旧版本" not in {s.body for s in result.snippets}


def test_beeftext_v7_groups_and_variables():
    result = read_import(FIXTURES / "beeftext" / "combos-v7.json")
    assert rows(result) == [
        (
            "售后",
            "thdz",
            "退货地址",
            "亲，退货请寄到：{{input:退货地址}}，并在订单里填写快递单号。",
        ),
        ("售前", "fh", "发货时间", "今天 {{date}} 下午五点前付款当天发货。{{cursor}}"),
        ("售后", "dh", "单号 已收到，马上为您核实。", "单号 {{clipboard}} 已收到，马上为您核实。"),
    ]
    assert reasons(result) == [
        ("combos-v7.json: combo 4 (whoami)", "variable #{envVar} is not supported (never run)")
    ]


def test_beeftext_v10_date_formats_and_unsupported_variables():
    result = read_import(FIXTURES / "beeftext" / "combos-v10.json")
    assert rows(result) == [
        (
            "催付",
            "/cf",
            "催付提醒",
            "亲，您的订单还未付款，优惠将在 {{date:%Y-%m-%d %H:%M}} 结束哦。",
        ),
        ("催付", "/sj", "时间", "现在是 {{time}}。"),
        ("Beeftext", "/ng", "无分组", "没有分组的短语"),
    ]
    assert [r for _, r in reasons(result)] == [
        "variable #{powershell} is not supported (never run)",
        "variable #{key} is not supported (never run)",
    ]


def test_beeftext_legacy_combo_text_and_csv():
    assert rows(read_import(FIXTURES / "beeftext" / "legacy-v1.json")) == [
        ("Beeftext", "jgs", "旧格式", "旧版 Beeftext 的短语")
    ]
    result = read_import(FIXTURES / "beeftext" / "combos.csv", "beeftext")
    assert rows(result) == [
        ("Beeftext", "hy", "欢迎", "亲，您好！"),
        ("Beeftext", "bye", "告别", "再见，\n欢迎下次光临"),
    ]
    assert reasons(result) == [("combos.csv: row 3", "needs a keyword and a snippet")]


def test_beeftext_rejects_a_future_file_format(tmp_path):
    path = tmp_path / "future.json"
    path.write_text('{"fileFormatVersion": 11, "combos": []}', encoding="utf-8")
    with pytest.raises(ValidationError, match="version 11 is not supported"):
        read_import(path)


def test_ahk_hotstrings_options_escapes_and_continuation_sections():
    result = read_import(FIXTURES / "ahk" / "hotstrings.ahk")
    assert rows(result) == [
        ("hotstrings", "hy", "亲，您好！欢迎光临本店。", "亲，您好！欢迎光临本店。"),
        ("hotstrings", ";th", "感谢您的支持", "感谢您的支持\n期待您再次光临"),
        ("hotstrings", "btw", "by the way", "by the way"),
        ("hotstrings", ";raw", "原样文本 {Enter} 不转换", "原样文本 {Enter} 不转换\n"),
        ("hotstrings", ";tab", "第一列 第二列", "第一列\t第二列"),
        ("hotstrings", ";esc", "分号; 反引号` 感叹号!", "分号; 反引号` 感叹号!"),
        ("hotstrings", ";addr", "收货地址：", "收货地址：\n  上海市浦东新区\n请核对。"),
    ]
    skipped = dict(reasons(result))
    assert skipped["hotstrings.ahk: line 11 (::;run::)"] == "runs code (option X); never run"
    assert (
        skipped["hotstrings.ahk: line 18 (::;home::)"] == "sends the key {Home}, which is not text"
    )
    assert skipped["hotstrings.ahk: line 19"] == "hotkey (not a hotstring; never run)"
    assert (
        skipped["hotstrings.ahk: line 25 (::;code::)"]
        == "runs code (no replacement text); never run"
    )
    assert "hidden" not in str(result)


def test_gbk_csv_with_qianniu_headers_is_detected_not_guessed():
    data = (FIXTURES / "sheets" / "qianniu-gbk.csv").read_bytes()
    assert detect_encoding(data) == "gb18030"
    result = read_import(FIXTURES / "sheets" / "qianniu-gbk.csv")
    assert rows(result) == [
        ("售前", "1", "亲，在的，请问有什么可以帮您？", "亲，在的，请问有什么可以帮您？"),
        ("售前", "fh", "下午五点前付款，当天发货。", "下午五点前付款，当天发货。"),
        (
            "售后",
            "th",
            "亲，支持七天无理由退货，请在订单页申请。",
            "亲，支持七天无理由退货，请在订单页申请。",
        ),
        ("售后", None, "收到货有任何问题，请随时联系我们。", "收到货有任何问题，请随时联系我们。"),
        (
            "qianniu-gbk",
            "kd",
            "默认快递是中通，需要顺丰请备注。",
            "默认快递是中通，需要顺丰请备注。",
        ),
    ]
    assert reasons(result) == [("qianniu-gbk.csv: row 7 (bad)", "no phrase text")]


def test_utf8_bom_csv_with_titles_and_a_multi_line_phrase():
    result = read_import(FIXTURES / "sheets" / "jingmai-utf8-bom.csv")
    assert rows(result) == [
        ("催付", "cf1", "催付一", "亲，您拍下的宝贝还没付款哦，库存紧张，请尽快付款。"),
        ("催付", "cf2", "催付二", "亲，优惠券今晚十二点到期，\n现在付款最划算。"),
    ]


def test_sheet_without_headers_reads_group_code_text():
    assert rows(read_import(FIXTURES / "sheets" / "no-header.csv")) == [
        ("售前", "hy", "您好", "您好"),
        ("售后", "tk", "退款已处理", "退款已处理"),
    ]


def test_xlsx_with_chinese_headers():
    result = read_import(FIXTURES / "sheets" / "phrases.xlsx")
    assert result.format == "xlsx"
    assert rows(result) == [
        ("物流", "wl", "物流进度", "亲，您的包裹已到{{product}}附近的网点，今天会派送。"),
        ("物流", "12", "快递一般三到五天送达。", "快递一般三到五天送达。"),
        ("售后", None, "要照片", "亲，麻烦提供一下问题照片，我们马上处理。"),
    ]


def test_user_column_map_overrides_the_header(tmp_path):
    path = tmp_path / "odd.csv"
    path.write_text("内容X,代码Y\n您好,hy\n", encoding="utf-8")
    result = read_import(path, columns=ColumnMap(category=None, abbrev=1, body=0))
    assert rows(result) == [("odd", "代码y", "内容X", "内容X"), ("odd", "hy", "您好", "您好")]


def test_format_is_detected_from_the_path():
    assert detect_format(FIXTURES / "espanso") == "espanso"
    assert detect_format(FIXTURES / "ahk" / "hotstrings.ahk") == "ahk"
    assert detect_format(FIXTURES / "beeftext" / "combos-v7.json") == "beeftext"
    assert detect_format(FIXTURES / "sheets" / "phrases.xlsx") == "xlsx"
    with pytest.raises(ValidationError, match="give --format"):
        detect_format(FIXTURES / "sheets" / "phrases.bin")


def test_as_pack_gives_a_pack_the_diff_machinery_previews():
    from quickreply.core.packs.diff import diff_packs

    pack = read_import(FIXTURES / "sheets" / "phrases.xlsx").as_pack("import-sheet")
    diff = diff_packs(None, pack)
    assert [s.title for s in diff.added] == ["物流进度", "快递一般三到五天送达。", "要照片"]
    assert diff.categories_added == ["物流", "售后"]
