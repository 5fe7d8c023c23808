"""The policy calculator (政策计算器): which benefits can this applicant get, how much, and what is missing.

For every item of every policy that applies where the applicant is, each condition gets a
verdict (met / unmet / unknown, with the profile field it read) and the item gets theirs:
met if all are met, unmet if any is unmet, else unknown, so missing data never drops an
item. Amounts are worked out from the profile where its facts allow (a ratio times the
base it names), else given as the range the policy states. Then the policies' own rules
apply: 就高不重复 / 同一事项不重复享受 keep the higher of the same matter, tiers of one
threshold pay the highest tier reached, and expired or superseded policies are flagged
and not counted.

`Calculator(source)` compiles a library once; `calculator.match(profile)` is then cheap
(region pruning, each distinct condition tested once per profile).
"""
from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from zhengce.match.conditions import (
    MET,
    POLICY_SCOPE,
    UNKNOWN,
    UNMET,
    Check,
    Context,
    check,
    format_quantity,
    honour_ask,
    kleene_and,
    kleene_or,
)
from zhengce.match.regions import Scope, contains, policy_scope
from zhengce.match.sources import PolicySource
from zhengce.model import Condition, Item, Policy
from zhengce.profile import Profile, facts_lexicon

# Stacking rules policies state (叠加规则).
STACKING = re.compile(r"就高不重复|就高享受|从高享受|择高享受|按(?:照)?(?:就高|最高标准)|不(?:得|予)?重复(?:享受|支持|奖励|申报|补助)")
# A policy that says of itself it is an old version.
OLD_VERSION = re.compile(r"旧版|已废止|已失效")
_TITLE_REF = re.compile(r"《([^》]{4,80})》")
_CAN_UNLOCK = ("honour", "threshold")
# Per-unit amounts: which fact counts the units.
_UNIT_FACTS = {"亩": "area_mu", "人": "new_hires", "年": "lease_years", "家": None, "位次": None}
_ALL_SECTIONS_BUT_T = 19


@dataclass(frozen=True, slots=True)
class Money:
    """What an item is worth to this applicant (金额测算)."""

    certain_yuan: float | None     # exact, when the policy fixes it or the base is known
    low_yuan: float | None
    high_yuan: float | None        # the most it can be (最高 / 封顶 / the top of a range)
    text: str                      # 20万元 · 最高1000万元 · 按固定资产投资额的5%–20%
    base: str | None = None        # the profile fact a ratio or a count was applied to

    @property
    def best_yuan(self) -> float:
        return self.certain_yuan or self.high_yuan or 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"certain_yuan": self.certain_yuan, "low_yuan": self.low_yuan, "high_yuan": self.high_yuan,
                "text": self.text, "base": self.base}


@dataclass(frozen=True, slots=True)
class ItemResult:
    """One item's verdict for one applicant (the item's own facts are read through its source)."""

    source: _Prepared
    policy: _Compiled
    verdict: str                   # met | unmet | unknown
    checks: tuple[Check, ...]
    money: Money
    counted: bool = True           # counted in the totals (stacking and validity say no)
    note: str | None = None        # why it is not counted

    policy_id = property(lambda self: self.policy.policy_id)
    policy_title = property(lambda self: self.policy.policy.title)
    index = property(lambda self: self.source.index)
    article = property(lambda self: self.source.item.article)
    article_label = property(lambda self: self.source.article_label)
    article_title = property(lambda self: self.source.article_title)
    recipient = property(lambda self: self.source.item.recipient)
    kind = property(lambda self: self.source.item.kind)
    basis = property(lambda self: self.source.item.basis)
    item = property(lambda self: self.source.item)
    tier = property(lambda self: self.source.tier)
    matter = property(lambda self: self.source.matter)

    @property
    def quote(self) -> str:
        return self.source.item.quote.text if self.source.item.quote else ""

    @property
    def missing(self) -> tuple[Check, ...]:
        """The unmet checks, for "what could we unlock"."""
        return _missing(self.checks, self.source.kinds) if self.verdict == UNMET else ()

    @property
    def key(self) -> str:
        return f"{self.policy_id}#{self.index}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "policy": self.policy_id, "policy_title": self.policy_title, "item": self.index,
            "article": self.article, "article_label": self.article_label, "article_title": self.article_title,
            "recipient": self.recipient, "kind": self.kind, "basis": self.basis, "verdict": self.verdict,
            "money": self.money.to_dict(), "counted": self.counted, "note": self.note, "quote": self.quote,
            "checks": [c.to_dict() for c in self.checks],
        }


@dataclass(frozen=True, slots=True)
class Unlock:
    """An item missed by one condition: what to obtain, and what it would bring."""

    action: str                    # 取得省级技术创新中心 · 年发明专利授权数达到20件
    item: ItemResult
    others_open: bool              # other conditions still unknown

    def to_dict(self) -> dict[str, Any]:
        return {"action": self.action, "yuan": self.item.money.best_yuan, "amount": self.item.money.text,
                "policy": self.item.policy_id, "article": self.item.article, "item": self.item.index,
                "recipient": self.item.recipient, "others_open": self.others_open, "quote": self.item.quote}


@dataclass(frozen=True, slots=True)
class PolicyStatus:
    """Whether a policy counts for this applicant, and why not."""

    policy_id: str
    title: str
    issuer: str | None
    region: str                    # 威海市 · 全国 · 未识别
    status: str                    # in_force | expired | superseded | not_yet | outside
    reason: str = ""
    stacking: str | None = None    # the stacking clause, verbatim
    items: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"policy": self.policy_id, "title": self.title, "issuer": self.issuer, "region": self.region,
                "status": self.status, "reason": self.reason, "stacking": self.stacking, "items": self.items}


@dataclass(slots=True)
class Report:
    """The calculator's answer for one applicant."""

    profile: Profile
    as_of: str
    policies: list[PolicyStatus] = field(default_factory=list)
    items: list[ItemResult] = field(default_factory=list)
    unlock: list[Unlock] = field(default_factory=list)

    @property
    def eligible(self) -> list[ItemResult]:
        return [r for r in self.items if r.verdict == MET]

    @property
    def possible(self) -> list[ItemResult]:
        return [r for r in self.items if r.verdict == UNKNOWN]

    @property
    def certain_yuan(self) -> float:
        """Money the applicant gets for sure: met, counted items with an exact amount."""
        return sum(r.money.certain_yuan or 0.0 for r in self.eligible if r.counted)

    @property
    def possible_yuan(self) -> float:
        """The most it could get: the certain money, the tops of met ranges, and the unknown items."""
        extra = sum((r.money.high_yuan or 0.0) for r in self.eligible if r.counted and r.money.certain_yuan is None)
        extra += sum(r.money.certain_yuan or r.money.high_yuan or 0.0 for r in self.possible if r.counted)
        return self.certain_yuan + extra

    def to_dict(self) -> dict[str, Any]:
        p = self.profile
        return {
            "profile": {"name": p.name, "as_of": self.as_of, "ignored": list(p.ignored)},
            "totals": {"certain_yuan": self.certain_yuan, "possible_yuan": self.possible_yuan,
                       "eligible": len(self.eligible), "possible": len(self.possible),
                       "unmet": sum(1 for r in self.items if r.verdict == UNMET)},
            "eligible": [r.to_dict() for r in self.eligible],
            "possible": [r.to_dict() for r in self.possible],
            "unlock": [u.to_dict() for u in self.unlock],
            "unmet": [r.to_dict() for r in self.items if r.verdict == UNMET],
            "policies": [s.to_dict() for s in self.policies],
        }


# ---------------------------------------------------------------------------------- compiling

@dataclass(frozen=True, slots=True)
class _Compiled:
    """A policy made ready for matching: scope, rules and items with their implicit conditions."""

    policy_id: str
    policy: Policy
    scope: Scope
    context: Context
    implicit: tuple[Condition, ...]        # the policy's region, industry and ownership tags
    stacking: str | None
    old_version: str | None
    items: tuple[_Prepared, ...] = ()
    outside: PolicyStatus | None = None     # its status for an applicant elsewhere


@dataclass(frozen=True, slots=True)
class _Prepared:
    """An item made ready once: its conditions as interned ids, its groups, its fixed money."""

    index: int
    item: Item
    conditions: tuple[int, ...]       # ids into Calculator.conditions: the policy's, then the item's
    honour: tuple[bool, ...]          # which of them are honour alternatives
    kinds: tuple[str, ...]
    tier: str
    matter: str
    money: Money | None               # when no profile fact changes it
    article_label: str
    article_title: str


class Calculator:
    """A library compiled for matching: build once, then `match(profile)` per applicant."""

    def __init__(self, source: PolicySource | Iterable[tuple[str, Policy]]) -> None:
        pairs = source.policies() if hasattr(source, "policies") else source
        # Distinct (condition, where the policy applies): each is tested once per profile.
        self.conditions: list[tuple[Condition, Context]] = []
        self._interned: dict[tuple[Condition, Context], int] = {}
        self.compiled: list[_Compiled] = [self._compile(pid, p) for pid, p in pairs]
        self.superseded_by = _supersession(self.compiled)
        # Region index: policies by the province they apply in; national and unknown ones apply everywhere.
        self._by_province: dict[str, list[int]] = defaultdict(list)
        self._everywhere: list[int] = []
        for i, c in enumerate(self.compiled):
            if c.scope.code:
                self._by_province[c.scope.code[:2]].append(i)
            else:
                self._everywhere.append(i)

    def _intern(self, cond: Condition, context: Context) -> int:
        key = (cond, context)
        cid = self._interned.get(key)
        if cid is None:
            cid = self._interned[key] = len(self.conditions)
            self.conditions.append(key)
        return cid

    def _compile(self, policy_id: str, policy: Policy) -> _Compiled:
        scope = policy_scope(policy.issuer, policy.title)
        if not scope.code and not scope.national:
            # Neither issuer nor title names a place: the opening of the text may (cited titles aside).
            opening = re.sub(r"《[^》]*》", "", policy.text[:600])
            scope = policy_scope(None, opening)
            if scope.code:
                scope = Scope(scope.code, scope.name, False, "正文开头")
        implicit: list[Condition] = []
        if scope.code:
            implicit.append(Condition(kind="region", field=POLICY_SCOPE,
                                      text=f"{scope.name}（{'发文机关：' + policy.issuer if policy.issuer else '据' + scope.found_in}）"))
        elif not scope.national:
            # Where it applies is not known: every item waits on a person's check, never "met" by default.
            implicit.append(Condition(kind="text", text="适用地域未能识别：请核实本政策是否适用于申报主体所在地"))
        tags = policy.tags
        if tags.industries and len(tags.industries) < _ALL_SECTIONS_BUT_T:
            implicit.append(Condition(kind="industry", text="所属行业：" + ",".join(tags.industries)))
        if tags.ownership and "其他" not in tags.ownership:
            implicit.append(Condition(kind="ownership", text="适用对象：" + ",".join(tags.ownership)))
        m = STACKING.search(policy.text)
        stacking = _sentence(policy.text, m.start(), m.end()) if m else None
        old = OLD_VERSION.search(policy.title or "")
        context = Context(scope)
        articles = {a.no: a for a in policy.articles}
        prepared = []
        for index, item in enumerate(policy.items):
            conditions = (*implicit, *(item.conditions or (Condition(kind="text", text=item.recipient or "（条件未能识别）"),)))
            article = articles.get(item.article) if item.article is not None else None
            tier, matter = stack_keys(policy_id, index, item)
            prepared.append(_Prepared(
                index=index, item=item, conditions=tuple(self._intern(c, context) for c in conditions),
                honour=tuple(c.kind == "honour" for c in conditions), kinds=tuple(c.kind for c in conditions),
                tier=tier, matter=matter, money=None if _depends_on_profile(item) else estimate(item, None),
                article_label=article.label if article else "", article_title=article.title if article else ""))
        outside = PolicyStatus(policy_id, policy.title, policy.issuer, scope.name, "outside",
                               f"适用于{scope.name}，不含申报主体所在地", stacking, len(policy.items))
        return _Compiled(policy_id, policy, scope, context, tuple(implicit), stacking,
                         policy.title if old else None, tuple(prepared), outside)

    def _candidates(self, profile: Profile) -> tuple[list[int], list[int]]:
        """Policies that may apply where the applicant is, and those that cannot."""
        place = profile.place
        if not place.known:
            return list(range(len(self.compiled))), []
        # Inside, or not known to be outside (a firm that gives only 山东省 may be in 威海市).
        inside = list(self._everywhere)
        for i in self._by_province.get(place.province or "", ()):
            scope = self.compiled[i].scope.code
            if scope and contains(scope, place) is not False:
                inside.append(i)
        chosen = set(inside)
        outside = [i for i in range(len(self.compiled)) if i not in chosen]
        return sorted(chosen), outside

    def match(self, profile: Profile, policy_ids: Sequence[str] | None = None,
              count_superseded: bool = False) -> Report:
        """The report for one applicant over the library (or the policies named)."""
        report = Report(profile=profile, as_of=profile.as_of)
        inside, outside = self._candidates(profile)
        wanted = set(policy_ids) if policy_ids else None
        cache: dict[int, Check] = {}
        money: dict[int, Money] = {}
        compiled = self.compiled
        report.policies.extend(compiled[i].outside or self._status(compiled[i], profile, count_superseded)
                               for i in outside if wanted is None or compiled[i].policy_id in wanted)
        for i in inside:
            c = self.compiled[i]
            if wanted is not None and c.policy_id not in wanted:
                continue
            status = self._status(c, profile, count_superseded)
            report.policies.append(status)
            note = None if status.status == "in_force" else f"政策{_STATUS_WORDS[status.status]}：{status.reason}"
            for prepared in c.items:
                report.items.append(self._item(c, prepared, profile, cache, money, note))
        _apply_stacking(report, {c.policy_id: c.stacking for c in self.compiled})
        report.unlock = _unlocks(report.items)
        return report

    def _status(self, c: _Compiled, profile: Profile, count_superseded: bool) -> PolicyStatus:
        v = c.policy.validity
        region = c.scope.name or ("全国" if c.scope.national else "未识别")
        def status(state: str, reason: str = "") -> PolicyStatus:
            return PolicyStatus(c.policy_id, c.policy.title, c.policy.issuer, region, state, reason, c.stacking,
                                len(c.policy.items))

        if v.expiry_date and v.expiry_date < profile.as_of:
            return status("expired", f"有效期至{v.expiry_date}（{v.expiry or ''}）")
        if v.effective_date and v.effective_date > profile.as_of:
            return status("not_yet", f"自{v.effective_date}起施行")
        by = self.superseded_by.get(c.policy_id)
        if by and not count_superseded:
            return status("superseded", by)
        if c.old_version and not count_superseded:
            return status("superseded", f"标题注明为旧版：{c.old_version}")
        return status("in_force")

    def _item(self, c: _Compiled, p: _Prepared, profile: Profile, cache: dict[int, Check],
              money: dict[int, Money], note: str | None) -> ItemResult:
        checks = []
        for cid in p.conditions:
            result = cache.get(cid)
            if result is None:
                cond, context = self.conditions[cid]
                result = cache[cid] = check(cond, profile, context)
            checks.append(result)
        # Several honours in one item are alternatives (获批为A、B、C的): any one will do.
        if True in p.honour:
            verdict = kleene_and([kleene_or([ch.verdict for ch, h in zip(checks, p.honour) if h]),
                                  *[ch.verdict for ch, h in zip(checks, p.honour) if not h]])
        else:
            verdict = kleene_and([ch.verdict for ch in checks])
        worth = p.money
        if worth is None:
            # Replicated items (one reading under many issuers) share their Item: worth it once.
            worth = money.get(id(p.item))
            if worth is None:
                worth = money[id(p.item)] = estimate(p.item, profile)
        return ItemResult(p, c, verdict, tuple(checks), worth, note is None, note)


_STATUS_WORDS = {"expired": "已过期", "superseded": "已被取代", "not_yet": "尚未施行", "outside": "不适用"}


def _replace(r: ItemResult, **changes: Any) -> ItemResult:
    from dataclasses import replace

    return replace(r, **changes)


def _sentence(text: str, start: int, end: int) -> str:
    """The sentence around a match, for quoting."""
    left = max(text.rfind(ch, 0, start) for ch in "。；;\n") + 1
    rights = [i for i in (text.find(ch, end) for ch in "。；;\n") if i != -1]
    right = min(rights) + 1 if rights else len(text)
    return text[left:right].strip()


def _supersession(compiled: Sequence[_Compiled]) -> dict[str, str]:
    """Policy id → why another policy in the set supersedes it (它废止或取代了《…》)."""
    by_title = {_bare(c.policy.title): c for c in compiled if c.policy.title}
    out: dict[str, str] = {}
    for c in compiled:
        clause = " ".join(x for x in (c.policy.validity.supersedes, c.policy.validity.effective) if x)
        if not clause or not re.search(r"废止|失效|取代|代替|替代", clause):
            continue
        for title in _TITLE_REF.findall(clause):
            old = by_title.get(_bare(title))
            if old is not None and old is not c:
                out[old.policy_id] = f"被《{c.policy.title}》废止：{clause}"
    return out


def _bare(title: str) -> str:
    return re.sub(r"[\s《》（）()]", "", title)


def _missing(checks: Sequence[Check], kinds: Sequence[str]) -> tuple[Check, ...]:
    """The unmet checks that count separately: the honour alternatives count as one, if none is met."""
    first_honour: Check | None = None
    honours_unmet = True
    out: list[Check] = []
    for c, k in zip(checks, kinds):
        if k == "honour":
            if c.verdict != UNMET:
                honours_unmet = False
            elif first_honour is None:
                first_honour = c
        elif c.verdict == UNMET:
            out.append(c)
    if first_honour is not None and honours_unmet:
        out.insert(0, first_honour)
    return tuple(out)


# ------------------------------------------------------------------------------------ amounts

@lru_cache(maxsize=65536)
def _base_fact(item: Item) -> str | None:
    """The fact a ratio multiplies, from the words of the clause (按固定资产实际投资额度 → fixed_asset_investment)."""
    if item.basis == "matching":
        return "upper_funds"
    text = " ".join(x for x in (item.quote.text if item.quote else "", item.clue or "", item.recipient) if x)
    cut = re.search(r"\d+(?:\.\d+)?\s*%|百分之|\d\s*[:：比]\s*\d", text)
    head = text[: cut.start()] if cut else text
    spans: list[tuple[int, int, str]] = []
    for fact, spec in facts_lexicon().items():
        for word in spec.get("words", ()):
            pos = head.rfind(word)
            if pos >= 0:
                spans.append((pos, pos + len(word), fact))
    if not spans:
        return None
    # The base is named last before the rate; overlapping names are one mention, and the
    # longest of them says it best (固定资产实际投资额度: 固定资产实际投资, not 投资额).
    spans.sort()
    cluster = [spans[0]]
    for span in spans[1:]:
        if span[0] < max(end for _, end, _ in cluster):
            cluster.append(span)
        else:
            cluster = [span]
    return max(cluster, key=lambda s: (s[1] - s[0], s[1]))[2]


def _wan(yuan: float) -> str:
    return format_quantity(yuan, "元")


def _pct(r: float) -> str:
    return f"{r * 100:g}%"


def _depends_on_profile(item: Item) -> bool:
    return item.basis in ("ratio", "matching", "per_unit")


def estimate(item: Item, profile: Profile | None) -> Money:
    """What the item is worth to this profile: exact where the policy and the facts allow."""
    facts = profile.facts if profile is not None else {}
    cap = item.cap_yuan
    period = f"（{item.period}）" if item.period else ""
    if item.basis == "fixed" and item.amount_yuan is not None:
        return Money(item.amount_yuan, item.amount_yuan, item.amount_yuan, _wan(item.amount_yuan) + period)
    if item.basis == "max" and item.amount_yuan is not None:
        return Money(None, None, item.amount_yuan, f"最高{_wan(item.amount_yuan)}{period}")
    if item.basis in ("ratio", "matching") and item.ratio is not None:
        fact = _base_fact(item)
        label = facts_lexicon()[fact]["label"] if fact else "相关基数"
        r_lo = item.ratio_min if item.ratio_min is not None else item.ratio
        rate = f"{_pct(r_lo)}–{_pct(item.ratio)}" if r_lo != item.ratio else (
            f"{item.ratio:g}:1" if item.basis == "matching" else _pct(item.ratio))
        capped = f"，最高{_wan(cap)}" if cap else ""
        base = facts.get(fact) if fact else None
        if base is None:
            return Money(None, None, cap, f"按{label}的{rate}{capped}{period}", fact)
        lo, hi = r_lo * base, item.ratio * base
        if cap is not None:
            lo, hi = min(lo, cap), min(hi, cap)
        text = f"按{label}{_wan(base)}的{rate}{capped} = " + (_wan(hi) if lo == hi else f"{_wan(lo)}–{_wan(hi)}")
        return Money(hi if lo == hi else None, lo, hi, text + period, fact)
    if item.basis == "per_unit" and item.amount_yuan is not None:
        fact = _UNIT_FACTS.get(item.unit or "")
        per = f"每{item.unit or '单位'}{_wan(item.amount_yuan)}"
        capped = f"，最高{_wan(cap)}" if cap else ""
        count = facts.get(fact) if fact else None
        if count is None:
            return Money(None, None, cap, f"{per}{capped}{period}", fact)
        total = item.amount_yuan * count
        if cap is not None:
            total = min(total, cap)
        return Money(total, total, total, f"{per} × {count:g}{item.unit or ''}{capped} = {_wan(total)}{period}", fact)
    if item.amount_yuan is not None:
        return Money(None, None, item.amount_yuan, f"最高{_wan(item.amount_yuan)}{period}")
    return Money(None, None, None, "支持（未定额）")


# ----------------------------------------------------------------------------------- stacking

def stack_keys(policy_id: str, index: int, item: Item) -> tuple[str, str]:
    """(tier, matter) of an item: the groups the stacking rules pick the richest of.

    tier: one policy, one article, one threshold field (年上缴税金30万元以上 / 50万元以上).
    matter: the honour rewarded (any level or status: 国家级/省级 技术创新中心), else the threshold.
    """
    from zhengce.profile import fact_field

    thresholds = [c for c in item.conditions if c.kind == "threshold"]
    honours = sorted({honour_ask(c).name for c in item.conditions if c.kind == "honour"})
    key = f"{policy_id}#{index}"
    fields = sorted({fact_field(c.field or "") or (c.field or "") for c in thresholds})
    tier = f"{policy_id}#a{item.article}#{fields[0]}" if len(thresholds) == 1 else key
    if honours:
        matter = "honour:" + "|".join(honours)
    elif fields:
        matter = "threshold:" + "|".join(fields)
    else:
        matter = f"item:{key}"
    return tier, matter


def _rank(r: ItemResult) -> tuple[float, str, int]:
    # The richest first; ties go to the earlier item (the batch SQL orders the same way).
    return (-r.money.best_yuan, r.policy_id, r.index)


def _apply_stacking(report: Report, stacking: dict[str, str | None]) -> None:
    """Keep the higher of the same matter where a policy says so, and the top tier of one threshold."""
    met = [i for i, r in enumerate(report.items) if r.verdict == MET and r.counted]
    dropped: dict[int, str] = {}
    tiers: dict[str, list[int]] = defaultdict(list)
    for i in met:
        tiers[report.items[i].tier].append(i)
    for group in tiers.values():
        if len(group) > 1:
            best = min(group, key=lambda i: _rank(report.items[i]))
            for i in group:
                if i != best:
                    dropped[i] = f"同一门槛分档，按已达到的最高档计（{report.items[best].money.text}）"
    # 就高不重复: the same matter in a policy that states it (or in another policy, against it).
    matters: dict[str, list[int]] = defaultdict(list)
    for i in met:
        if i not in dropped:
            matters[report.items[i].matter].append(i)
    for group in matters.values():
        clauses = [stacking.get(report.items[i].policy_id) for i in group]
        clause = next((c for c in clauses if c), None)
        if len(group) < 2 or clause is None:
            continue
        best = min(group, key=lambda i: _rank(report.items[i]))
        kept = report.items[best]
        for i in group:
            if i != best:
                dropped[i] = (f"就高不重复：与{kept.policy_id} 第{kept.article}条（{kept.money.text}）为同一事项，"
                              f"按较高者计。原文：{clause}")
    for i, note in dropped.items():
        report.items[i] = _replace(report.items[i], counted=False, note=note)


# ------------------------------------------------------------------------------------- unlock

def _unlocks(items: Sequence[ItemResult]) -> list[Unlock]:
    """Items missed by exactly one condition the applicant could change, richest first."""
    out: list[Unlock] = []
    for r in items:
        if r.verdict != UNMET or (r.note and r.note.startswith("政策")):
            continue
        missing = _missing(r.checks, r.source.kinds)
        if len(missing) != 1 or missing[0].kind not in _CAN_UNLOCK:
            continue
        miss = missing[0]
        if miss.kind == "honour":
            action = "取得" + miss.explain.removeprefix("持有")
        else:
            action = f"{miss.explain}（现为{miss.seen}）"
        others_open = any(c.verdict == UNKNOWN for c in r.checks if c is not miss and c.kind != "honour")
        out.append(Unlock(action, r, others_open))
    out.sort(key=lambda u: (u.others_open, -u.item.money.best_yuan, u.item.policy_id, u.item.index))
    return out
