"""The calculator's report for a person (`zhengce match --format text`)."""
from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console
from rich.markup import escape

from zhengce.match.calculator import ItemResult, Report
from zhengce.match.conditions import MET, UNKNOWN, UNMET, format_quantity, place_label
from zhengce.profile import facts_lexicon

MARKS = {MET: "[green]✔[/]", UNMET: "[red]✘[/]", UNKNOWN: "[yellow]?[/]"}
STATUS = {"in_force": "[green]现行有效[/]", "expired": "[red]已过期[/]", "superseded": "[red]已被取代[/]",
          "not_yet": "[yellow]尚未施行[/]", "outside": "[dim]不适用（地域）[/]"}
UNLOCK_SHOWN = 10


def yuan(value: float) -> str:
    return format_quantity(value, "元")


def print_report(report: Report, out: Console, show_unmet: bool = False) -> None:
    """Print the report as a person reads it: totals, what you get, what to check, what to obtain."""
    p = report.profile
    say = out.print
    say(f"[bold]政策计算器 · {escape(p.name or '（未命名）')}[/]", highlight=False, soft_wrap=True)
    facts = " · ".join(f"{facts_lexicon()[k]['label']} {format_quantity(v, facts_lexicon()[k]['unit'])}"
                       for k, v in p.facts.items())
    size = p.size_label or "未提供"
    if p.size_source and p.size_source != "stated":
        size += "（按《中小企业划型标准规定》推算）"
    say(f"  地区 {escape(place_label(p))} · 行业 {escape(p.industry.label())} · 规模 {escape(size)} · "
        f"主体 {escape('、'.join(p.recipient_types) or '未提供')} · 测算日 {p.as_of}", highlight=False, soft_wrap=True)
    if p.honours or p.honours_known:
        say(f"  持有 {escape('；'.join(h.label() for h in p.honours) or '无')}", highlight=False, soft_wrap=True)
    if facts:
        say(f"  数据 {escape(facts)}", highlight=False, soft_wrap=True)
    for note in p.ignored:
        say(f"  [yellow]注意[/] {escape(note)}", highlight=False, soft_wrap=True)
    eligible, possible = report.eligible, report.possible
    counted = [r for r in eligible if r.counted and r.money.certain_yuan]
    say("")
    say(f"[bold]合计[/] 确定可得 [bold green]{yuan(report.certain_yuan)}[/]（{len(counted)} 项） · "
        f"最多可能 {yuan(report.possible_yuan)}（另有 {len(possible)} 项待核实）", highlight=False, soft_wrap=True)

    say("")
    say(f"[bold green]✔ 可享受[/]（{len(eligible)} 项）", highlight=False, soft_wrap=True)
    if not eligible:
        say("  （无：没有一项的条件全部满足）")
    for n, r in enumerate(sorted(eligible, key=_order), 1):
        _item(out, n, r, show={MET, UNKNOWN, UNMET})
    say("")
    say(f"[bold yellow]? 待核实[/]（{len(possible)} 项：缺少数据，或条件需人工判断）", highlight=False, soft_wrap=True)
    for n, r in enumerate(sorted(possible, key=_order), 1):
        _item(out, n, r, show={UNKNOWN})
    say("")
    say(f"[bold]↑ 差一项即可获得[/]（{len(report.unlock)} 项，按金额排列）", highlight=False, soft_wrap=True)
    for u in report.unlock[:UNLOCK_SHOWN]:
        open_ = "（其他条件尚待核实）" if u.others_open else ""
        say(f"  {escape(u.action)} → [bold]{escape(u.item.money.text)}[/]  "
            f"[dim]{escape(_where(u.item))} {escape(u.item.recipient)}{open_}[/]", highlight=False, soft_wrap=True)
    if len(report.unlock) > UNLOCK_SHOWN:
        say(f"  …另 {len(report.unlock) - UNLOCK_SHOWN} 项（--format json 列出全部）")
    if show_unmet:
        unmet = [r for r in report.items if r.verdict == UNMET]
        say("")
        say(f"[bold red]✘ 不符合[/]（{len(unmet)} 项）", highlight=False, soft_wrap=True)
        for n, r in enumerate(unmet, 1):
            _item(out, n, r, show={UNMET})
    say("")
    say("[bold]政策[/]")
    for s in report.policies:
        extra = f"：{s.reason}" if s.reason else ""
        rule = f" · 叠加规则：{s.stacking}" if s.stacking else ""
        say(f"  {STATUS.get(s.status, s.status)} {escape(s.title)}（{escape(s.region)}，{s.items} 项）"
            f"{escape(extra)}[dim]{escape(rule)}[/]", highlight=False, soft_wrap=True)


def _order(r: ItemResult) -> tuple[float, str, int]:
    return (-r.money.best_yuan, r.policy_id, r.index)


def _where(r: ItemResult) -> str:
    art = f"第{r.article}条" if r.article is not None else ""
    return f"《{r.policy_title}》{art}"


def _item(out: Console, n: int, r: ItemResult, show: Sequence[str] | set[str]) -> None:
    money = r.money.text
    flag = "" if r.counted else f" [red](不计入：{escape(r.note or '')})[/]"
    title = f"「{r.article_title}」" if r.article_title else ""
    out.print(f" {n:>2}. [bold]{escape(money)}[/] {escape(r.kind)} · {escape(r.recipient)}{flag}", highlight=False,
              soft_wrap=True)
    out.print(f"     [dim]{escape(_where(r))}{escape(title)}[/]", highlight=False, soft_wrap=True)
    if r.quote:
        out.print(f"     原文：“{escape(r.quote)}”", highlight=False, soft_wrap=True)
    for c in r.checks:
        if c.verdict not in show:
            continue
        asked = "" if c.explain == c.condition else f" → {escape(c.explain)}"
        out.print(f"     {MARKS[c.verdict]} “{escape(c.condition)}”{asked}  [dim]｜{escape(c.field)}：{escape(c.seen)}[/]",
                  highlight=False, soft_wrap=True)
