"""`quickreply add/edit/show/render` with images, and `pack diff` listing them."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from tests.cli.test_cli import qr
from tests.image_samples import png_bytes


def image_file(folder: Path, seed: int, name: str = "chart.png", size=(30, 20)) -> Path:
    path = folder / name
    path.write_bytes(png_bytes(*size, seed=seed))
    return path


def one_line_error(out) -> str:
    assert out.returncode == 2, out
    assert len(out.stderr.strip().splitlines()) == 1, out.stderr
    assert "Traceback" not in out.stderr
    return out.stderr


def test_add_an_image_only_snippet_show_and_render_it(tmp_path, quickreply_home):
    chart = image_file(tmp_path, 1)
    out = qr("add", "-t", "尺码表", "--image", str(chart), "--image-order", "text_first")
    assert out.returncode == 0, out.stderr
    sid = out.stdout.strip()
    digest = hashlib.sha256(chart.read_bytes()).hexdigest()

    shown = qr("show", sid)
    assert f"image: 30x20 px, {chart.stat().st_size} bytes, sha256 {digest}" in shown.stdout
    details = json.loads(qr("show", sid, "--json").stdout)
    assert details["images"] == [f"{digest}.png"] and details["image_order"] == "text_first"
    assert details["image_files"][0]["width"] == 30

    lines = qr("render", sid).stdout.splitlines()
    stored = Path(lines[-1].removeprefix("image: "))
    assert lines[-1].startswith("image: /") and stored.read_bytes() == chart.read_bytes()
    assert stored.is_relative_to(quickreply_home)


def test_edit_replaces_then_clears_the_images(tmp_path):
    sid = qr("add", "-t", "t", "-b", "看图", "--image", str(image_file(tmp_path, 1))).stdout.strip()
    second, third = image_file(tmp_path, 2, "a.png"), image_file(tmp_path, 3, "b.jpg.png")
    assert qr("edit", sid, "--image", str(second), "--image", str(third)).returncode == 0
    images = json.loads(qr("show", sid, "--json").stdout)["images"]
    assert [i.split(".")[0] for i in images] == [
        hashlib.sha256(p.read_bytes()).hexdigest() for p in (second, third)
    ]
    assert qr("edit", sid, "--clear-images").returncode == 0
    assert json.loads(qr("show", sid, "--json").stdout)["images"] == []


def test_refusals_are_one_clear_line(tmp_path):
    err = one_line_error(qr("add", "-t", "t", "--image", str(tmp_path / "nope.png")))
    assert "no such image file" in err
    text = tmp_path / "notes.png"
    text.write_text("not a picture")
    assert "notes.png: not a PNG, JPEG, GIF or WebP image" in one_line_error(
        qr("add", "-t", "t", "--image", str(text))
    )
    big = tmp_path / "big.png"
    with big.open("wb") as handle:
        handle.truncate(10 * 1024 * 1024 + 1)
    assert "at most 10 MB" in one_line_error(qr("add", "-t", "t", "--image", str(big)))
    many = [a for n in range(10) for a in ("--image", str(image_file(tmp_path, n, f"{n}.png")))]
    assert "at most 9" in one_line_error(qr("add", "-t", "t", *many))
    assert "body is empty" in one_line_error(qr("add", "-t", "t"))


def test_pack_diff_lists_the_changed_image(tmp_path):
    folders = []
    for version, seed in (("1.0.0", 1), ("1.1.0", 2)):
        folder = tmp_path / version
        (folder / "assets").mkdir(parents=True)
        data = png_bytes(seed=seed)
        ref = f"{hashlib.sha256(data).hexdigest()}.png"
        (folder / "assets" / ref).write_bytes(data)
        (folder / "pack.yaml").write_text(
            f"id: team\nname: T\nversion: {version}\ncategories: [{{id: c, name: 售前}}]\n"
            f"snippets:\n  - {{id: size, category: c, title: 尺码表, body: '', images: [{ref}]}}\n",
            encoding="utf-8",
        )
        folders.append((folder, ref))
    out = qr("pack", "diff", str(folders[0][0]), str(folders[1][0]))
    assert out.returncode == 0, out.stderr
    assert f"+ image {folders[1][1]}  (team/size)" in out.stdout
    assert f"- image {folders[0][1]}  (team/size)" in out.stdout
    assert "(images)" in out.stdout


def test_a_leads_signed_pack_delivers_the_image_snippet_to_an_agent(tmp_path):
    lead_home, agent_home = tmp_path / "lead", tmp_path / "agent"
    lead, agent = {"QUICKREPLY_HOME": str(lead_home)}, {"QUICKREPLY_HOME": str(agent_home)}
    chart = image_file(tmp_path, 4)
    key = tmp_path / "lead.key"
    assert qr("pack", "keygen", "-o", str(key), env_extra=lead).returncode == 0
    out = qr(
        "add", "-t", "尺码表", "-b", "请看图", "-c", "尺码", "--image", str(chart), env_extra=lead
    )
    assert out.returncode == 0, out.stderr
    pack = tmp_path / "sizes.qrpack"
    out = qr(
        "pack", "build", "--from-library", "--category", "尺码", "--id", "sizes", "--name", "尺码",
        "--version", "1.0.0", "--key", str(key), "-o", str(pack), env_extra=lead,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert qr("trust", "add", f"{key}.pub", env_extra=agent).returncode == 0
    out = qr("pack", "install", str(pack), env_extra=agent)
    assert out.returncode == 0, out.stderr
    sid = json.loads(qr("list", "--category", "尺码", "--json", env_extra=agent).stdout)[0]["id"]
    path = Path(qr("render", sid, env_extra=agent).stdout.splitlines()[-1].removeprefix("image: "))
    assert path.is_relative_to(agent_home) and path.read_bytes() == chart.read_bytes()
