"""The reading of one policy as tables for a person (`zhengce parse FILE --format text`)."""
from __future__ import annotations

from rich.console import Console
from rich.table import Table

from zhengce.model import Condition, Item, Policy, Target

_OPS = {">=": "≥", "<=": "≤", ">": ">", "<": "<", "=": "=", "~": "约"}


def yuan(value: float | None) -> str:
    """Money as a person writes it.

    >>> yuan(200000), yuan(150000000), yuan(5000), yuan(12500), yuan(None)
    ('20万元', '1.5亿元', '5000元', '1.25万元', '')
    >>> yuan(1_652_379_413.9), yuan(12_345)
    ('16.52亿元', '1.23万元')
    """
    if value is None:
        return ""
    # Sums of many items are not round: two decimals in the unit a person reads.
    if value >= 1e8:
        return f"{_num(round(value / 1e8, 2))}亿元"
    if value >= 1e4:
        return f"{_num(round(value / 1e4, 2))}万元"
    return f"{_num(round(value, 2))}元"


def _num(x: float) -> str:
    return f"{x:.4f}".rstrip("0").rstrip(".")


def percent(value: float) -> str:
    """0.35 → '35%'."""
    return f"{value * 100:g}%"


def amount(item: Item) -> str:
    """The benefit in one cell: '20万元', '10万元/家', '5%–20%', '1:1'.

    >>> amount(Item(article=1, recipient="", kind="奖励", basis="per_unit", amount_yuan=100, unit="亩"))
    '100元/亩'
    >>> amount(Item(article=1, recipient="", kind="奖励", basis="ratio", ratio=0.2, ratio_min=0.05))
    '5%–20%'
    >>> amount(Item(article=1, recipient="", kind="配套", basis="matching", ratio=1.0))
    '1:1'
    """
    if item.basis == "matching" and item.ratio is not None:
        return f"1:{item.ratio:g}"
    if item.ratio is not None:
        low = f"{percent(item.ratio_min)}–" if item.ratio_min is not None else ""
        return low + percent(item.ratio)
    if item.amount_yuan is not None:
        text = ("最高" if item.basis == "max" else "") + yuan(item.amount_yuan)
        return f"{text}/{item.unit}" if item.unit else text
    return "—"


def condition(c: Condition) -> str:
    """One condition in a few words.

    >>> condition(Condition(kind="honour", text="", honour="高新技术企业", level="国家级", status="新认定"))
    '新认定 国家级高新技术企业'
    >>> condition(Condition(kind="threshold", text="", field="revenue", op=">=", value=1e8, unit="元"))
    'revenue ≥ 1亿元'
    >>> condition(Condition(kind="threshold", text="", field="growth", op=">=", value=0.2, unit="%"))
    'growth ≥ 20%'
    """
    if c.kind == "honour":
        return " ".join(x for x in (c.status, f"{c.level or ''}{c.honour or ''}") if x)
    if c.kind == "recipient_type":
        return f"对象: {c.recipient_type}"
    if c.kind == "threshold":
        if c.value is None:
            value = ""
        elif c.unit == "元":
            value = yuan(c.value)
        elif c.unit == "%":
            value = percent(c.value)  # thresholds keep shares as fractions, like Item.ratio
        else:
            value = f"{c.value:g}{c.unit or ''}"
        return f"{c.field} {_OPS.get(c.op or '', c.op or '')} {value}"
    if c.kind in ("size", "region"):
        return f"{c.kind}: {c.text}"
    return f"“{c.text}”"


def _target(t: Target) -> tuple[str, ...]:
    value = f"{_OPS.get(t.op, t.op)} {t.value:g}{t.unit}"
    return (str(t.year or ""), t.indicator, value, str(t.article or ""))


def print_policy(policy: Policy, console: Console) -> None:
    """Print metadata, articles with departments, benefit items and targets as tables."""
    meta = Table(show_header=False, title=policy.title or "(untitled)", title_justify="left")
    meta.add_column(style="bold")
    meta.add_column()
    rows = [
        ("发文机关", policy.issuer or ""),
        ("发文字号", policy.number or ""),
        ("发布日期", policy.published or ""),
        ("主送", "、".join(policy.addressees)),
        ("行业", "、".join(policy.tags.industries)),
        ("规模", "、".join(policy.tags.sizes)),
        ("主题", "、".join(policy.tags.themes)),
        ("引用", "；".join(f"《{r.title}》{r.number or ''}" for r in policy.references)),
        ("施行", " ".join(x for x in (policy.validity.effective, policy.validity.expiry) if x)),
        ("来源", policy.source.path or policy.source.url or ""),
    ]
    for key, value in rows:
        if value:
            meta.add_row(key, value)
    console.print(meta)

    if policy.articles:
        arts = Table(title=f"条款 ({len(policy.articles)})", title_justify="left")
        for col in ("条", "标题", "牵头单位", "责任单位"):
            arts.add_column(col, overflow="fold")
        for a in policy.articles:
            arts.add_row(a.label or str(a.no), a.title, "、".join(a.lead), "、".join(a.responsible))
        console.print(arts)

    quantified = [i for i in policy.items if i.basis != "unquantified"]
    items = Table(title=f"奖补事项 ({len(quantified)} 项有金额, {len(policy.items) - len(quantified)} 项未量化)",
                  title_justify="left")
    for col in ("条", "对象", "类别", "金额", "方式", "封顶", "期限", "条件"):
        items.add_column(col, overflow="fold")
    for i in policy.items:
        items.add_row(
            "" if i.article is None else str(i.article),
            i.recipient,
            i.kind,
            amount(i),
            i.basis,
            yuan(i.cap_yuan),
            i.period or "",
            "; ".join(condition(c) for c in i.conditions),
        )
    console.print(items)

    if policy.targets:
        targets = Table(title=f"目标 ({len(policy.targets)})", title_justify="left")
        for col in ("年份", "指标", "目标值", "条"):
            targets.add_column(col, overflow="fold")
        for t in policy.targets:
            targets.add_row(*_target(t))
        console.print(targets)
