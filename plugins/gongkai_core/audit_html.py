"""The audit report as one self-contained HTML file: Chinese, printable, for an office's leaders.

No script, no external file: the charts are inline SVG, each with a title, a description and
the same numbers as a table (the text alternative). Pure functions over `AuditReport`.
"""

from __future__ import annotations

from html import escape

from .audit import FAIL, INFO, PASS, STATUS_ZH, UNKNOWN, AuditReport, RuleResult, _fmt

MARK = {PASS: "✓", FAIL: "✗", UNKNOWN: "？", INFO: "ℹ"}
EMPTY_ROW = '<tr><td colspan="9">无</td></tr>'
MAX_FINDINGS = 200  # per rule in the HTML; the JSON has them all

CSS = """
body{font-family:"Noto Sans CJK SC","Noto Sans SC","Microsoft YaHei",sans-serif;margin:0 auto;max-width:60rem;
padding:1rem;color:#1a1a1a;line-height:1.6;font-size:1rem}
h1{font-size:1.6rem;margin:.5rem 0}h2{font-size:1.3rem;border-bottom:2px solid #444;margin-top:2rem}
h3{font-size:1.1rem;margin:1.5rem 0 .3rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem}caption{text-align:left;font-weight:bold;padding:.3rem 0}
th,td{border:1px solid #888;padding:.25rem .45rem;text-align:left;vertical-align:top}th{background:#eee}
td.num,th.num{text-align:right}table.compact{width:auto}.nowrap{white-space:nowrap}
.st-fail{color:#a40000;font-weight:bold}.st-pass{color:#155724}.st-unknown{color:#6b4e00;font-weight:bold}
.verdict{border:3px solid #444;padding:.5rem 1rem;margin:1rem 0}.verdict--fail{border-color:#a40000}
.verdict--pass{border-color:#155724}.meta{color:#444}.note{background:#fff4d6;border-left:4px solid #b88600;
padding:.4rem .8rem}
svg{max-width:100%;height:auto}td,th{overflow-wrap:anywhere}code.command{overflow-wrap:normal;word-break:keep-all}
.scroll{overflow-x:auto;max-width:100%}.scroll th,.scroll td{overflow-wrap:normal;white-space:nowrap}
.note,p{overflow-wrap:anywhere}.scroll:focus{outline:3px solid #2f5d8a}svg text{font-size:11px;fill:#1a1a1a}.chart{margin:1rem 0}
@media print{body{max-width:none;font-size:10.5pt}.scroll{overflow:visible}h2{break-after:avoid}table,figure,.verdict{break-inside:avoid}
a{color:inherit;text-decoration:none}}
@page{size:A4;margin:15mm}
"""


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _status(status: str) -> str:
    return f'<span class="st-{status}">{MARK[status]} {STATUS_ZH[status]}</span>'


def _overview(report: AuditReport) -> str:
    rows = []
    for r in report.results:
        rows.append(
            f'<tr data-rule="{_e(r.rule.id)}"><td><a href="#{_e(r.rule.id)}">{_e(r.rule.title)}</a></td>'
            f'<td class="nowrap">{"约束性" if r.rule.binding else "提示性"}</td><td class="nowrap">{_status(r.status)}</td>'
            f"<td>{_e(r.summary)}</td></tr>"
        )
    return (
        '<table><caption>各项规则检查结果</caption><thead><tr><th scope="col">规则</th><th scope="col">性质</th>'
        '<th scope="col">结果</th><th scope="col">说明</th></tr></thead><tbody>'
        + "".join(rows)
        + "</tbody></table>"
    )


def bar_chart(
    chart_id: str,
    title: str,
    desc: str,
    labels: list[str],
    values: list[float | None],
    unit: str,
    limit: float | None = None,
) -> str:
    """A small bar chart; None draws no bar and is said as 无 in the labels."""
    width, height, left, bottom, top = 40 + 22 * len(labels), 170, 34, 36, 16
    top_value = max([v for v in values if v is not None] + [limit or 0, 1])
    scale = (height - bottom - top) / top_value
    parts = [
        f'<svg role="img" aria-labelledby="{chart_id}-t {chart_id}-d" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-t">{_e(title)}</title><desc id="{chart_id}-d">{_e(desc)}</desc>',
        f'<line x1="{left}" y1="{height - bottom}" x2="{width - 4}" y2="{height - bottom}" stroke="#444"/>',
        f'<text x="2" y="{top + 4}">{_fmt(top_value)}</text><text x="2" y="{height - bottom}">0</text>',
    ]
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        x = left + 4 + i * 22
        if value is not None and value > 0:
            h = value * scale
            parts.append(
                f'<rect x="{x}" y="{height - bottom - h:.1f}" width="16" height="{h:.1f}" fill="#2f5d8a"/>'
            )
        if value is not None:
            parts.append(
                f'<text x="{x + 8}" y="{height - bottom - (value or 0) * scale - 3:.1f}" '
                f'text-anchor="middle">{_fmt(value)}</text>'
            )
        month = label[5:7]
        parts.append(f'<text x="{x + 8}" y="{height - bottom + 13}" text-anchor="middle">{int(month)}</text>')
        if month == "01" or (i == 0 and int(month) <= 10):
            parts.append(f'<text x="{x}" y="{height - bottom + 27}">{_e(label[:4])}年</text>')
    if limit is not None:
        y = height - bottom - limit * scale
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - 4}" y2="{y:.1f}" stroke="#a40000" '
            f'stroke-dasharray="4 3"/><text x="{width - 4}" y="{y - 3:.1f}" text-anchor="end" '
            f'fill="#a40000">时限 {_fmt(limit)}{_e(unit)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _trends(report: AuditReport) -> str:
    months = [t["month"] for t in report.trends]
    counts = [t["published"] for t in report.trends]
    medians = [t["median_workdays"] for t in report.trends]
    first, last = months[0], months[-1]
    busiest = max(report.trends, key=lambda t: t["published"])
    desc1 = (
        f"{first}至{last}每月公开条数，合计 {sum(counts)} 条"
        + (f"，最多为{busiest['month']}的 {busiest['published']} 条" if busiest["published"] else "")
        + "。逐月数字见下表。"
    )
    known = [m for m in medians if m is not None]
    limit = report.timeliness["limit"]
    desc2 = (
        f"{first}至{last}每月公开用时的中位数（工作日），时限为{limit}个工作日；"
        + (f"最高 {_fmt(max(known))} 个工作日。" if known else "期间没有可计算的数据。")
        + "逐月数字见下表。"
    )
    rows = "".join(
        f'<tr><th scope="row">{_e(t["month"])}</th><td class="num">{t["published"]}</td>'
        f'<td class="num">{_fmt(t["median_workdays"]) if t["median_workdays"] is not None else "无"}</td></tr>'
        for t in report.trends
    )
    return (
        f'<figure class="chart">{bar_chart("trend-count", "每月公开条数", desc1, months, counts, "条")}'
        f"<figcaption>图1 每月公开条数（{_e(first)}至{_e(last)}）</figcaption></figure>"
        f'<figure class="chart">{bar_chart("trend-median", "每月公开用时中位数", desc2, months, medians, "个工作日", limit)}'
        f"<figcaption>图2 每月公开用时中位数（工作日，虚线为{_e(limit)}个工作日时限）</figcaption></figure>"
        '<table class="compact"><caption>图1、图2 的数据</caption><thead><tr><th scope="col">月份</th>'
        '<th scope="col" class="num">公开条数</th><th scope="col" class="num">用时中位数（工作日）</th></tr></thead>'
        f"<tbody>{rows}</tbody></table>"
    )


def _distribution(title: str, groups: dict, names: dict[str, str]) -> str:
    buckets = [b for b in next(iter(groups.values()))["buckets"]] if groups else []
    head = "".join(f'<th scope="col" class="num">{_e(b)}</th>' for b in buckets)
    rows = []
    for name, g in groups.items():
        cells = "".join(f'<td class="num">{g["buckets"][b]}</td>' for b in buckets)
        rows.append(
            f'<tr><th scope="row">{_e(names.get(name, name))}</th><td class="num">{g["count"]}</td>'
            f'<td class="num">{_fmt(g["median"])}</td><td class="num">{_fmt(g["max"])}</td>{cells}'
            f'<td class="num">{g["unknown"]}</td></tr>'
        )
    return (
        f'<div class="scroll" tabindex="0" role="region" aria-label="{_e(title)}">'
        f'<table><caption>{_e(title)}（单位：条；用时为工作日）</caption><thead><tr><th scope="col">名称</th>'
        '<th scope="col" class="num">公开条数</th><th scope="col" class="num">中位数</th>'
        f'<th scope="col" class="num">最长</th>{head}<th scope="col" class="num">无法计算</th></tr></thead>'
        f"<tbody>{''.join(rows) or EMPTY_ROW}</tbody></table></div>"
    )


def _rule_section(r: RuleResult) -> str:
    out = [
        f'<section aria-labelledby="{_e(r.rule.id)}" data-rule="{_e(r.rule.id)}"><h3 id="{_e(r.rule.id)}">{_e(r.rule.title)}'
        f"（{'约束性' if r.rule.binding else '提示性'}）</h3>",
        f"<p>结果：{_status(r.status)}。{_e(r.summary)}</p>",
        f'<p class="meta">依据：{_e(r.rule.ground)}<br>整改：{_e(r.rule.fix)}</p>',
    ]
    if r.findings:
        items = []
        for f in r.findings[:MAX_FINDINGS]:
            where = f"{f.path}:{f.line}" if f.path else "全站"
            items.append(f"<tr><td><code>{_e(where)}</code></td><td>{_e(f.message)}</td></tr>")
        more = (
            f"<p>另有 {len(r.findings) - MAX_FINDINGS} 条，见 JSON 报告。</p>"
            if len(r.findings) > MAX_FINDINGS
            else ""
        )
        out.append(
            '<table><caption>问题清单</caption><thead><tr><th scope="col">位置</th><th scope="col">问题</th>'
            f"</tr></thead><tbody>{''.join(items)}</tbody></table>{more}"
        )
    out.append("</section>")
    return "".join(out)


def render(report: AuditReport, site_name: str, columns: dict[str, str]) -> str:
    failed = report.binding_failures
    unknown = report.binding_unknown
    if failed:
        verdict = (
            f'<div class="verdict verdict--fail"><p><strong>结论：有 {len(failed)} 项约束性规则不通过。</strong></p>'
            "<ul>"
            + "".join(
                f'<li><a href="#{_e(r.rule.id)}">{_e(r.rule.title)}</a>：{_e(r.summary)}</li>' for r in failed
            )
            + "</ul></div>"
        )
    else:
        verdict = (
            '<div class="verdict verdict--pass"><p><strong>结论：约束性规则全部通过。</strong></p></div>'
        )
    if unknown:
        verdict += (
            '<p class="note">以下约束性规则无法判定：'
            + "；".join(f"{_e(r.rule.title)}（{_e(r.summary)}）" for r in unknown)
            + "</p>"
        )
    cal = report.calendar
    calendar = f"<p>节假日和调休安排数据：{'、'.join(_e(y) for y in cal['available']) or '无'}年。</p>"
    if cal["missing"]:
        commands = "".join(
            f'<li><code class="command">invoke holidays add {y} --from {y}.yaml</code></li>'
            for y in cal["missing"]
        )
        calendar += (
            f'<div class="note"><p><strong>缺少{"、".join(_e(y) for y in cal["missing"])}年的节假日安排</strong>，'
            "涉及这些年份的条目无法计算工作日，本报告未作推算。请按国务院办公厅当年关于部分节假日安排的通知，"
            '把放假日和调休上班日写成一个文件（运行 <code class="command">invoke holidays add 年份</code> '
            f"可看到文件格式），然后录入：</p><ul>{commands}</ul><p>录入后重新运行 invoke audit。</p></div>"
        )
    t = report.timeliness
    overall = t.get("overall") or {}
    timely = (
        f"<p>已公开 {overall.get('count', 0)} 条，公开用时中位数 {_fmt(overall.get('median'))} 个工作日，"
        f"最长 {_fmt(overall.get('max'))} 个工作日（自成文日期或发布前最后一次变更日期的次日起算，至发布日期止）。</p>"
        + _distribution("按发布机构", t["by_publisher"], {})
        + _distribution("按栏目", t["by_column"], columns)
    )
    site_line = (
        f"对照的网站构建输出：{_e(report.site_dir)}"
        if report.site_dir
        else "未对照网站构建输出（链接和页面检查无法进行）"
    )
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(site_name)} 政府信息公开合规自查报告（{_e(report.build_date)}）</title>"
        f"<style>{CSS}</style></head><body><header>"
        f"<h1>{_e(site_name)}<br>政府信息公开合规自查报告</h1>"
        f'<p class="meta">统计截至 {_e(report.build_date)}。{site_line}。由 invoke audit 生成。</p></header>'
        f'<main><section aria-labelledby="h-sum"><h2 id="h-sum">一、总体结论</h2>{verdict}{_overview(report)}</section>'
        f'<section aria-labelledby="h-trend"><h2 id="h-trend">二、公开趋势</h2>{_trends(report)}</section>'
        f'<section aria-labelledby="h-time"><h2 id="h-time">三、公开时效</h2>{calendar}{timely}</section>'
        f'<section aria-labelledby="h-rules"><h2 id="h-rules">四、逐项检查</h2>'
        + "".join(_rule_section(r) for r in report.results)
        + "</section></main></body></html>\n"
    )
