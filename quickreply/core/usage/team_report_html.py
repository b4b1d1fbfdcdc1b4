"""The team report as one self-contained HTML file: tables, and Chart.js charts drawn from data
embedded in the page, with Chart.js itself embedded inline (no network needed to open it).

When every chart has drawn, the page sets ``data-charts="ok N"`` on <html>; a script error sets
``data-charts="error: ..."``. The end-to-end test reads that attribute from Chromium's DOM dump.
"""

from __future__ import annotations

import html
import json
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from quickreply.core.i18n import language, tr
from quickreply.core.library import paths

if TYPE_CHECKING:
    from quickreply.core.usage.team_report import TeamReport

CHARTJS_VERSION = "4.6.1"
TOP_SNIPPETS = 15
PALETTE = (
    "#2f6fde",
    "#f08c2b",
    "#31a35b",
    "#d64541",
    "#8e5cd9",
    "#1ba3a3",
    "#c7a02b",
    "#e377c2",
    "#7f8c8d",
    "#17becf",
    "#9c6b4e",
    "#bcbd22",
    "#4682b4",
    "#ff7f50",
    "#6b8e23",
    "#b0578d",
)


@lru_cache(maxsize=1)
def chartjs_source() -> str:
    """Return the vendored Chart.js script (resources/vendor/chartjs), safe to inline."""
    path = paths.resources_dir() / "vendor" / "chartjs" / "chart.umd.min.js"
    # a literal "</script" inside the script would end the inline <script> element early
    return path.read_text(encoding="utf-8").replace("</script", "<\\/script")


def script_json(data: Any) -> str:
    """Return `data` as JSON safe inside a <script> element: no character of it can open a
    comment (<!--), close the element (</script>) or start an entity, whatever agents are named."""
    text = json.dumps(data, ensure_ascii=False)
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(char, escape)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def render_html(report: TeamReport, title: str = "", extra_sections: str = "") -> str:
    """Return the complete HTML page of `report`; `extra_sections` (HTML) goes after the packs."""
    title = title or tr("QuickReply team report")
    data = _chart_data(report)
    payload = script_json(data)
    period = (
        f"{report.first_use[:10]} – {report.last_use[:10]}"
        if report.first_use and report.last_use
        else tr("no uses")
    )
    e = html.escape
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{e(language())}" data-charts="pending"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{e(title)}</h1>",
        '<p class="meta">'
        + e(
            tr(
                "Period {period} · {agents} agents · {uses} uses · {minutes} minutes saved · "
                "generated {generated}",
                period=period,
                agents=len(report.agents),
                uses=report.total_uses,
                minutes=f"{report.total_saved_min:.0f}",
                generated=report.generated[:16].replace("T", " "),
            )
        )
        + "</p>",
        *(f'<p class="meta note">{e(note)}</p>' for note in report.notes),
        f"<h2>{e(tr('Agents'))}</h2>",
        '<div class="chart"><canvas id="chart-agents"></canvas></div>',
        _table(
            (tr("Agent"), tr("Uses"), tr("Time saved (min)"), tr("Median pick time (ms)")),
            [
                (
                    a.agent,
                    str(a.uses),
                    f"{a.time_saved_min:.1f}",
                    "—" if a.median_pick_ms is None else f"{a.median_pick_ms:.0f}",
                )
                for a in report.agents
            ],
        ),
        f"<h2>{e(tr('Categories'))}</h2>",
        '<div class="chart small"><canvas id="chart-categories"></canvas></div>'
        if report.categories
        else "",
        _table(
            (tr("Category"), tr("Uses"), tr("Share")),
            [(c.category, str(c.uses), f"{c.share * 100:.1f}%") for c in report.categories],
        ),
    ]
    for index, pack in enumerate(report.packs):
        parts.append(f"<h2>{e(tr('Pack'))} {e(pack.pack_id)} {e(pack.version)}</h2>")
        parts.append(f"<h3>{e(tr('Most used snippets'))}</h3>")
        if pack.ranking:
            height = 60 + 28 * min(len(pack.ranking), TOP_SNIPPETS)
            parts.append(
                f'<div class="chart" style="height:{height}px">'
                f'<canvas id="chart-pack-{index}"></canvas></div>'
            )
        parts.append(
            _table(
                ("#", tr("Snippet"), tr("Category"), tr("Uses")),
                [
                    (str(rank), u.title, u.category, str(u.uses))
                    for rank, u in enumerate(pack.ranking, start=1)
                ],
            )
        )
        parts.append(
            f"<h3>{e(tr('Never used'))} ({len(pack.never_used)})</h3>"
            + (
                '<ul class="never">'
                + "".join(
                    f"<li>{e(u.title)} <small>{e(u.category)}</small></li>" for u in pack.never_used
                )
                + "</ul>"
                if pack.never_used
                else f"<p>{e(tr('Every snippet was used.'))}</p>"
            )
        )
    parts += [
        extra_sections,
        f'<p class="meta">{e(tr("Charts drawn with Chart.js {version} (MIT licence), embedded in this file.", version=CHARTJS_VERSION))}</p>',
        f'<script type="application/json" id="report-data">{payload}</script>',
        f"<script>{chartjs_source()}</script>",
        f"<script>{_PAGE_SCRIPT}</script>",
        "</body></html>",
    ]
    return "\n".join(parts)


def _chart_data(report: TeamReport) -> dict[str, Any]:
    return {
        "palette": list(PALETTE),
        "labels": {
            "uses": tr("Uses"),
            "saved": tr("Time saved (min)"),
        },
        "agents": {
            "names": [a.agent for a in report.agents],
            "uses": [a.uses for a in report.agents],
            "saved": [round(a.time_saved_min, 1) for a in report.agents],
        },
        "categories": {
            "names": [c.category for c in report.categories],
            "uses": [c.uses for c in report.categories],
        },
        "packs": [
            {
                "canvas": f"chart-pack-{index}",
                "titles": [u.title for u in pack.ranking[:TOP_SNIPPETS]],
                "uses": [u.uses for u in pack.ranking[:TOP_SNIPPETS]],
            }
            for index, pack in enumerate(report.packs)
            if pack.ranking
        ],
    }


def _table(headers: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    e = html.escape
    head = "".join(f"<th>{e(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{e(c)}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


_CSS = """
body{font-family:"Noto Sans CJK SC","Microsoft YaHei","PingFang SC",system-ui,sans-serif;
margin:24px auto;max-width:1100px;color:#222;padding:0 16px}
h1{font-size:24px;margin:0 0 4px}h2{font-size:19px;margin:28px 0 8px;border-bottom:1px solid #ddd}
h3{font-size:15px;margin:16px 0 6px;color:#444}.meta{color:#666;font-size:13px}
.chart{position:relative;height:320px;margin:8px 0}.chart.small{height:280px;max-width:560px}
table{border-collapse:collapse;font-size:13px;margin:8px 0}
th,td{border:1px solid #ddd;padding:4px 10px;text-align:left}th{background:#f4f6fa}
td:nth-child(n+2){font-variant-numeric:tabular-nums}
ul.never{columns:2;font-size:13px}ul.never small{color:#888}
"""

_PAGE_SCRIPT = """
(function () {
  var root = document.documentElement;
  function fail(message) { root.setAttribute("data-charts", "error: " + message); }
  window.addEventListener("error", function (event) { fail(event.message); });
  function inked(canvas) {
    var pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
    for (var i = 3; i < pixels.length; i += 4) { if (pixels[i] > 0) { return true; } }
    return false;
  }
  function bar(id, labels, datasets, horizontal) {
    return new Chart(document.getElementById(id), {
      type: "bar",
      data: { labels: labels, datasets: datasets },
      options: {
        indexAxis: horizontal ? "y" : "x", maintainAspectRatio: false,
        scales: horizontal ? { x: { beginAtZero: true } } : {
          y: { beginAtZero: true, position: "left",
               title: { display: true, text: datasets[0].label } },
          saved: { beginAtZero: true, position: "right", grid: { drawOnChartArea: false },
                   title: { display: true, text: datasets[1].label } }
        },
        plugins: { legend: { display: !horizontal } }
      }
    });
  }
  function draw() {
    var data = JSON.parse(document.getElementById("report-data").textContent);
    var colors = data.palette;
    Chart.defaults.animation = false;
    Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
    var charts = [];
    charts.push(bar("chart-agents", data.agents.names, [
      { label: data.labels.uses, data: data.agents.uses, backgroundColor: colors[0] },
      { label: data.labels.saved, data: data.agents.saved, backgroundColor: colors[1],
        yAxisID: "saved" }
    ], false));
    if (data.categories.uses.length) charts.push(new Chart(document.getElementById("chart-categories"), {
      type: "doughnut",
      data: { labels: data.categories.names, datasets: [{ data: data.categories.uses,
        backgroundColor: data.categories.names.map(function (_, i) {
          return colors[i % colors.length]; }) }] },
      options: { maintainAspectRatio: false, plugins: { legend: { position: "right" } } }
    }));
    data.packs.forEach(function (pack) {
      charts.push(bar(pack.canvas, pack.titles, [
        { label: data.labels.uses, data: pack.uses, backgroundColor: colors[2] }
      ], true));
    });
    var blank = charts.filter(function (chart) { return !inked(chart.canvas); }).length;
    if (blank) { throw new Error(blank + " chart(s) drew nothing"); }
    root.setAttribute("data-charts", "ok " + charts.length);
  }
  function start() { try { draw(); } catch (error) { fail(error.message); } }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); }
  else { start(); }
})();
"""
