"""政策解读: a plain-language reading of a policy, generated from its model.

What the policy is, who can get what and how much, under which conditions,
which departments to contact, how long it applies. Every sentence is built
from fields of the reading, and each benefit links back to its clause.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

from zhengce.model import Condition, Item, Policy
from zhengce.report import yuan as money  # one way to write yuan, CLI and portal alike

OPS = {">=": "不低于", ">": "超过", "<=": "不超过", "<": "低于", "=": "为", "~": "约"}


def _num(x: float) -> str:
    return f"{x:.4f}".rstrip("0").rstrip(".")


def percent(ratio: float | None) -> str:
    return "" if ratio is None else f"{_num(ratio * 100)}%"


def amount(item: Item) -> str:
    """How much an item gives, in a few words.

    >>> amount(Item(article=1, recipient="企业", kind="补助", basis="ratio", ratio=0.5, cap_yuan=500000))
    '按50%补助，最高50万元'
    >>> amount(Item(article=1, recipient="企业", kind="奖励", basis="max", amount_yuan=2e6, period="每年"))
    '每年最高200万元'
    """
    period = item.period or ""
    basis = item.basis
    if basis == "fixed" and item.amount_yuan is not None:
        text = money(item.amount_yuan)
    elif basis == "max" and (item.amount_yuan or item.cap_yuan) is not None:
        text = "最高" + money(item.amount_yuan or item.cap_yuan)
    elif basis == "per_unit" and item.amount_yuan is not None:
        text = f"每{item.unit or '单位'}{money(item.amount_yuan)}"
    elif basis == "ratio" and item.ratio is not None:
        low = f"{percent(item.ratio_min)}—" if item.ratio_min is not None else ""
        text = f"按{low}{percent(item.ratio)}{item.kind}"
    elif basis == "matching":
        text = f"按1:{_num(item.ratio)}配套" if item.ratio not in (None, 1.0) else "按1:1配套"
    else:
        text = money(item.amount_yuan) if item.amount_yuan is not None else "金额未明确"
    if item.cap_yuan is not None and basis != "max":
        text += f"，最高{money(item.cap_yuan)}"
    if period and not text.startswith(period):
        text = period + text
    return text


def condition(c: Condition) -> str:
    """One condition as a sentence a firm can tick.

    >>> condition(Condition(kind="honour", text="新认定的高新技术企业", honour="高新技术企业", status="新认定"))
    '新认定为高新技术企业'
    >>> condition(Condition(kind="threshold", text="年产值20亿元以上", field="output_value", op=">=", value=2e9, unit="元"))
    '年产值20亿元以上'
    """
    if c.kind == "honour" and c.honour:
        level = c.level or ""
        if c.status:
            return f"{c.status}为{level}{c.honour}"
        return f"具有{level}{c.honour}资格"
    if c.kind == "recipient_type" and c.recipient_type:
        return f"申报主体为{c.recipient_type}"
    if c.kind == "threshold" and c.text:
        return c.text
    if c.kind == "threshold" and c.op and c.value is not None:
        return f"{c.field} {OPS.get(c.op, c.op)} {_num(c.value)}{c.unit or ''}"
    return c.text


@dataclass(frozen=True, slots=True)
class Benefit:
    """One line of "who can get what": an item as the portal shows it."""

    seq: int
    article: int | None
    recipient: str
    kind: str
    amount: str
    conditions: tuple[str, ...]
    quote: str | None
    yuan: float | None          # the most one applicant can get, when known (for sorting and totals)


@dataclass(frozen=True, slots=True)
class Department:
    name: str
    lead: tuple[int, ...]           # articles where it leads (牵头)
    responsible: tuple[int, ...]    # and where it is responsible (责任) or cooperates (配合)


@dataclass(frozen=True, slots=True)
class Interpretation:
    """The sections of 政策解读."""

    summary: str
    audience: str
    benefits: tuple[Benefit, ...]
    kinds: tuple[tuple[str, int], ...]
    largest: str | None
    departments: tuple[Department, ...]
    validity: tuple[str, ...]
    targets: tuple[str, ...]
    references: tuple[str, ...]
    notes: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def best_yuan(item: Item) -> float | None:
    """The most one applicant can get from an item, when the text says."""
    if item.basis in ("fixed", "max", "per_unit"):
        return item.amount_yuan if item.amount_yuan is not None else item.cap_yuan
    return item.cap_yuan


def benefits(policy: Policy) -> tuple[Benefit, ...]:
    return tuple(
        Benefit(seq, i.article, i.recipient, i.kind, amount(i), tuple(condition(c) for c in i.conditions),
                i.quote.text if i.quote else None, best_yuan(i))
        for seq, i in enumerate(policy.items))


def departments(policy: Policy) -> tuple[Department, ...]:
    lead: dict[str, list[int]] = {}
    other: dict[str, list[int]] = {}
    for a in policy.articles:
        for name in a.lead:
            lead.setdefault(name, []).append(a.no)
        for name in (*a.responsible, *a.cooperating):
            other.setdefault(name, []).append(a.no)
    names = sorted(set(lead) | set(other), key=lambda n: (-len(lead.get(n, ())), -len(other.get(n, ())), n))
    return tuple(Department(n, tuple(lead.get(n, ())), tuple(other.get(n, ()))) for n in names)


def interpret(policy: Policy) -> Interpretation:
    """The 政策解读 of a reading."""
    items = benefits(policy)
    what = f"《{policy.title}》"
    who = policy.issuer or "发文单位（原文未写明）"
    when = f"于{policy.published}" if policy.published else ""
    number = f"（{policy.number}）" if policy.number else ""
    shape = []
    if policy.chapters:
        shape.append(f"{len(policy.chapters)}个部分")
    if policy.articles:
        shape.append(f"{len(policy.articles)}条")
    summary = f"{what}{number}由{who}{when}发布"
    if shape:
        summary += "，共" + "、".join(shape)
    found = []
    if items:
        found.append(f"{len(items)}项奖补事项")
    if policy.targets:
        found.append(f"{len(policy.targets)}项量化目标")
    summary += "，其中可识别" + "、".join(found) + "。" if found else "。"
    if policy.tags.themes:
        summary += f"政策主题：{'、'.join(policy.tags.themes)}。"

    audience_parts = []
    if policy.tags.sizes:
        audience_parts.append("企业规模：" + "、".join(policy.tags.sizes))
    if policy.tags.ownership:
        audience_parts.append("适用对象：" + "、".join(policy.tags.ownership))
    if policy.tags.industries:
        shown = policy.tags.industries[:6]
        more = f"等{len(policy.tags.industries)}个行业" if len(policy.tags.industries) > 6 else ""
        audience_parts.append("所属行业：" + "、".join(shown) + more)
    recipients = Counter(b.recipient for b in items)
    if recipients:
        audience_parts.append("主要受益对象：" + "、".join(r for r, _ in recipients.most_common(5)))
    audience = "；".join(audience_parts) + "。" if audience_parts else "原文未标注适用对象，请以条款为准。"

    kinds = tuple(Counter(b.kind for b in items).most_common())
    top = max((b for b in items if b.yuan is not None), key=lambda b: b.yuan or 0.0, default=None)
    largest = f"单项最高：{top.recipient}，{top.amount}（第{top.article}条）" if top else None

    v = policy.validity
    validity = []
    if v.effective or v.effective_date:
        validity.append(f"施行：{v.effective or ''}{'（' + v.effective_date + '）' if v.effective_date else ''}")
    if v.expiry or v.expiry_date:
        validity.append(f"有效期：{v.expiry or ''}{'（至' + v.expiry_date + '）' if v.expiry_date else ''}")
    if v.supersedes:
        validity.append(f"与其他政策的关系：{v.supersedes}")
    if not validity:
        validity.append("原文未写明施行日期和有效期，一般自发布之日起施行，请向发文单位确认。")

    targets = tuple(
        f"{'到' + str(t.year) + '年，' if t.year else ''}{t.indicator}{OPS.get(t.op, t.op)}{_num(t.value)}{t.unit}"
        for t in policy.targets)
    references = tuple(f"《{r.title}》{'（' + r.number + '）' if r.number else ''}" for r in policy.references)
    notes = ("本解读由系统根据原文自动生成，金额与条件以原文为准。",)
    return Interpretation(summary, audience, items, kinds, largest, departments(policy), tuple(validity),
                          targets, references, notes)
