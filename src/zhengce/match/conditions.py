"""Condition types (条件类型): each answers met / unmet / unknown for a profile, compiles to SQL
for the batch, and explains itself in one sentence.

`CONDITIONS[kind]` holds the three faces of a kind, from one object:

- `test(condition, profile, context)` → (verdict, what the profile held) for the calculator;
- `to_sql(condition, context)` → (SQL, params) over a registry row, TRUE / FALSE / NULL,
  with NULL for unknown, so SQL's three-valued AND/OR is the calculator's own logic;
- `explain(condition, context)` → what the condition asks, as a sentence.

Missing data is `unknown`, never `unmet`. A free-text condition (kind `text`) is `unknown`
unless the profile holds or confirms the very words it asks for; it is never `unmet`.

The SQL reads the columns `match.registry.REGISTRY_COLUMNS` lists (one row per applicant), and
uses only what DuckDB and PostgreSQL share: CASE, LIKE, IN, comparison, NULL.

>>> from zhengce.model import Condition
>>> from zhengce.profile import profile_from_dict
>>> firm = profile_from_dict({"honours": ["高新技术企业 新认定 2021"], "facts": {"发明专利授权": 25}})
>>> ctx = Context()
>>> check(Condition(kind="honour", text="新认定的高新技术企业", honour="高新技术企业", status="新认定"), firm, ctx).verdict
'met'
>>> check(Condition(kind="threshold", text="年获发明专利授权20件以上", field="invention_patents",
...                 op=">=", value=20, unit="件"), firm, ctx).verdict
'met'
>>> check(Condition(kind="size", text="小微企业"), firm, ctx).verdict
'unknown'
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from zhengce.match.regions import Scope, contains, place_from_text, region_name, split_names
from zhengce.model import Condition
from zhengce.profile import (
    RECIPIENT_TYPES,
    SIZE_WORDS,
    SIZES,
    Honour,
    Profile,
    canonical_honour,
    fact_field,
    facts_lexicon,
)

MET, UNMET, UNKNOWN = "met", "unmet", "unknown"
NOT_GIVEN = "未提供"


@dataclass(frozen=True, slots=True)
class Context:
    """What a condition may need beyond the profile: where the policy applies."""

    scope: Scope = field(default_factory=lambda: Scope(code=None, name=""))


@dataclass(frozen=True, slots=True)
class Check:
    """The verdict on one condition, with the words it came from and the profile field it read."""

    verdict: str          # met | unmet | unknown
    kind: str
    condition: str        # the condition as the policy writes it
    explain: str          # what it asks, as a sentence
    field: str            # the profile field read: honours, facts.invention_patents, region …
    seen: str             # what the profile holds there, or 未提供

    def to_dict(self) -> dict[str, str]:
        return {"verdict": self.verdict, "kind": self.kind, "condition": self.condition,
                "explain": self.explain, "field": self.field, "seen": self.seen}


Test = Callable[[Condition, Profile, Context], tuple[str, str]]
ToSql = Callable[[Condition, Context], tuple[str, list[Any]]]
Explain = Callable[[Condition, Context], str]


@dataclass(frozen=True, slots=True)
class ConditionType:
    """One kind of condition, three faces (see the module docstring)."""

    field: str | Callable[[Condition], str]   # the profile field it reads
    test: Test
    to_sql: ToSql
    explain: Explain
    doc: str              # one line for docs/conditions.md


CONDITIONS: dict[str, ConditionType] = {}


def check(condition: Condition, profile: Profile, context: Context) -> Check:
    """The verdict on one condition; a kind we do not know is answered like free text."""
    kind = CONDITIONS.get(condition.kind, CONDITIONS["text"])
    verdict, seen = kind.test(condition, profile, context)
    field_name = kind.field(condition) if callable(kind.field) else kind.field
    return Check(verdict, condition.kind, condition.text, kind.explain(condition, context), field_name, seen)


def kleene_and(verdicts: Iterable[str]) -> str:
    """met only if all are met; unmet if any is unmet; else unknown (SQL's AND)."""
    out = MET
    for v in verdicts:
        if v == UNMET:
            return UNMET
        if v == UNKNOWN:
            out = UNKNOWN
    return out


def kleene_or(verdicts: Iterable[str]) -> str:
    """met if any is met; unmet only if all are unmet; else unknown (SQL's OR)."""
    out = UNMET
    for v in verdicts:
        if v == MET:
            return MET
        if v == UNKNOWN:
            out = UNKNOWN
    return out


def bool_verdict(value: bool | None) -> str:
    return UNKNOWN if value is None else (MET if value else UNMET)


def _case(met: Sequence[str], unknown: Sequence[str], null_column: str) -> str:
    """CASE WHEN col IS NULL THEN NULL WHEN met THEN TRUE WHEN unknown THEN NULL ELSE FALSE END."""
    parts = [f"CASE WHEN {null_column} IS NULL THEN NULL"]
    if met:
        parts.append(f"WHEN {' OR '.join(met)} THEN TRUE")
    if unknown:
        parts.append(f"WHEN {' OR '.join(unknown)} THEN NULL")
    parts.append("ELSE FALSE END")
    return " ".join(parts)


# ----------------------------------------------------------------------------------- honours

LEVEL_CODES = {"国际": "I", "国家级": "G", "省级": "S", "市级": "C", "区县级": "X"}
LEVEL_ORDER = ("区县级", "市级", "省级", "国家级", "国际")
STATUS_CODES = {"新认定": "n", "首次": "n", "年度新获": "n", "重新认定": "r", "升级为": "u", "持有": "h"}
_ALL_LEVELS = frozenset("IGSCX?")
_ALL_STATUSES = frozenset("nruh?")
# Status asked → (profile status codes that meet it, codes that leave it open).
# "升级为" is met by an upgrade; a plain new recognition may or may not have been one.
_STATUS_RULES: dict[str | None, tuple[frozenset[str], frozenset[str]]] = {
    None: (_ALL_STATUSES, frozenset()),
    "n": (frozenset("nu"), frozenset("?")),
    "r": (frozenset("r"), frozenset("?")),
    "u": (frozenset("u"), frozenset("n?")),
    "h": (_ALL_STATUSES, frozenset()),
}


def _clean(word: str) -> str:
    # The token syntax uses | # and LIKE uses % _: keep them out of names.
    return re.sub(r"[|#%_\s]", "", word)


def honour_code(h: Honour) -> tuple[str, str, str, str]:
    """(name, rank or ?, level code, status code) of a held honour: what the registry stores."""
    return (_clean(h.name), _clean(h.rank) if h.rank else "?",
            LEVEL_CODES.get(h.level or "", "?"), STATUS_CODES.get(h.status or "", "?"))


def honour_tokens(honours: Sequence[Honour]) -> str:
    """The registry's `honours` text: each honour twice, as |name#*#L#S| and |name#rank#L#S|.

    >>> honour_tokens([Honour("科学技术奖", "省级", None, 2022, "一等奖")])
    '|科学技术奖#*#S#?||科学技术奖#一等奖#S#?|'
    """
    out = []
    for h in honours:
        name, rank, level, status = honour_code(h)
        out.append(f"|{name}#*#{level}#{status}|")
        out.append(f"|{name}#{rank}#{level}#{status}|")
    return "".join(out)


@dataclass(frozen=True, slots=True)
class HonourAsk:
    """What an honour condition asks, in registry codes."""

    name: str
    rank: str | None
    met_levels: frozenset[str]
    met_statuses: frozenset[str]
    open_statuses: frozenset[str]
    label: str


def _levels_asked(level: str | None) -> frozenset[str]:
    if not level:
        return _ALL_LEVELS
    base = level.removesuffix("以上").removesuffix("及")
    if base == "国家":
        base = "国家级"
    if base not in LEVEL_CODES:
        return _ALL_LEVELS
    if level.endswith("以上"):
        return frozenset(LEVEL_CODES[x] for x in LEVEL_ORDER[LEVEL_ORDER.index(base):])
    return frozenset({LEVEL_CODES[base]})


@lru_cache(maxsize=65536)
def honour_ask(c: Condition) -> HonourAsk:
    name, level, status, rank = canonical_honour(c.honour or c.text)
    level = c.level or level
    status = c.status or status
    met_s, open_s = _STATUS_RULES.get(STATUS_CODES.get(status or "", None) if status else None,
                                      (_ALL_STATUSES, frozenset()))
    label = f"{level or ''}{name}{rank or ''}" + (f"（{status}）" if status else "")
    return HonourAsk(_clean(name), _clean(rank) if rank else None, _levels_asked(level), met_s, open_s, label)


def _honour_verdict(ask: HonourAsk, codes: Iterable[tuple[str, str, str, str]]) -> str:
    verdict = UNMET
    for name, rank, level, status in codes:
        if name != ask.name:
            continue
        rank_ok = ask.rank is None or rank == ask.rank
        rank_open = ask.rank is not None and rank == "?"
        level_ok = level in ask.met_levels
        level_open = level == "?" and not level_ok
        status_ok = status in ask.met_statuses
        status_open = status in ask.open_statuses
        if rank_ok and level_ok and status_ok:
            return MET
        if (rank_ok or rank_open) and (level_ok or level_open) and (status_ok or status_open):
            verdict = UNKNOWN
    return verdict


def _honour_test(c: Condition, p: Profile, ctx: Context) -> tuple[str, str]:
    ask = honour_ask(c)
    held = [h for h in p.honours if _clean(h.name) == ask.name]
    seen = "；".join(h.label() for h in held) if held else ("无" if p.honours_known else NOT_GIVEN)
    verdict = _honour_verdict(ask, (honour_code(h) for h in held))
    if not p.honours_known and verdict != MET:
        # Holding it decides; not listing it says nothing when the profile gave no list.
        return UNKNOWN, seen
    return verdict, seen


def _like_patterns(name: str, rank: str, levels: Iterable[str], statuses: Iterable[str]) -> list[str]:
    levels, statuses = frozenset(levels), frozenset(statuses)
    lv = ["_"] if levels >= _ALL_LEVELS else sorted(levels)
    st = ["_"] if statuses >= _ALL_STATUSES else sorted(statuses)
    return [f"%|{name}#{rank}#{a}#{b}|%" for a in lv for b in st]


def _honour_sql(c: Condition, ctx: Context) -> tuple[str, list[Any]]:
    ask = honour_ask(c)
    rank = ask.rank or "*"
    met = _like_patterns(ask.name, rank, ask.met_levels, ask.met_statuses)
    open_statuses = ask.met_statuses | ask.open_statuses
    # Open, not met: the level left out (any open status), or a met level with an open status;
    # and, for a ranked award, the same honour held without its rank.
    unknown: list[str] = []
    if "?" not in ask.met_levels:
        unknown += _like_patterns(ask.name, rank, ["?"], open_statuses)
    if ask.open_statuses:
        unknown += _like_patterns(ask.name, rank, ask.met_levels, ask.open_statuses)
    if ask.rank is not None:
        unknown += _like_patterns(ask.name, "?", ask.met_levels | {"?"}, open_statuses)
    params: list[Any] = []
    met_sql = []
    for pattern in met:
        met_sql.append("honours LIKE ?")
        params.append(pattern)
    unknown_sql = []
    for pattern in dict.fromkeys(unknown):
        unknown_sql.append("honours LIKE ?")
        params.append(pattern)
    # Most firms hold none of a given honour: one test of its name settles them before the rest.
    sql = _case(met_sql, unknown_sql, "honours").replace(
        "THEN NULL WHEN", "THEN NULL WHEN honours NOT LIKE ? THEN FALSE WHEN", 1)
    return sql, [f"%|{ask.name}#%", *params]


CONDITIONS["honour"] = ConditionType(
    field="honours",
    test=_honour_test,
    to_sql=_honour_sql,
    explain=lambda c, ctx: f"持有{honour_ask(c).label}",
    doc="A qualification, title, platform or award held (资质 / 称号 / 平台 / 奖项), with level "
        "(国家级, 省级以上 …), status (新认定, 重新认定, 首次, 升级为, 年度新获) and award rank. An item's "
        "honour conditions are alternatives: any one of them meets the group.",
)


# ----------------------------------------------------------------------------- threshold

_UNIT_SCALE = {"元": 1.0, "万元": 1e4, "亿元": 1e8, "千元": 1e3, "万": 1e4, "亿": 1e8}
_OPS = {">=": "达到", ">": "超过", "<=": "不超过", "<": "低于", "=": "等于"}


def threshold_value(c: Condition) -> float | None:
    """The threshold in the unit the profile keeps the fact in (money in 元)."""
    if c.value is None:
        return None
    return float(c.value) * _UNIT_SCALE.get(c.unit or "", 1.0)


def _fact(c: Condition) -> str | None:
    return fact_field(c.field) if c.field else None


def _compare(value: float, op: str, limit: float) -> bool | None:
    if op == ">=":
        return value >= limit
    if op == ">":
        return value > limit
    if op == "<=":
        return value <= limit
    if op == "<":
        return value < limit
    if op == "=":
        return value == limit
    return None


def _threshold_test(c: Condition, p: Profile, ctx: Context) -> tuple[str, str]:
    fact = _fact(c)
    limit = threshold_value(c)
    if fact is None or limit is None or c.op not in _OPS:
        return UNKNOWN, f"门槛未能识别（字段 {c.field or '无'}）"
    value = p.facts.get(fact)
    if value is None:
        return UNKNOWN, NOT_GIVEN
    return bool_verdict(_compare(value, c.op, limit)), format_quantity(value, facts_lexicon()[fact]["unit"])


def _threshold_sql(c: Condition, ctx: Context) -> tuple[str, list[Any]]:
    fact = _fact(c)
    limit = threshold_value(c)
    if fact is None or limit is None or c.op not in _OPS:
        return "CAST(NULL AS BOOLEAN)", []
    return f"({fact} {c.op} ?)", [limit]


def format_quantity(value: float, unit: str) -> str:
    """25 件; 5000000 元 → 500万元; 1.2e8 元 → 1.2亿元.

    >>> format_quantity(5_000_000, "元"), format_quantity(120_000_000, "元"), format_quantity(25, "件")
    ('500万元', '1.2亿元', '25件')
    """
    if unit == "元":
        if abs(value) >= 1e8:
            return f"{value / 1e8:g}亿元"
        if abs(value) >= 1e4:
            return f"{value / 1e4:g}万元"
        return f"{value:g}元"
    return f"{value:g}{unit}"


def _threshold_explain(c: Condition, ctx: Context) -> str:
    fact = _fact(c)
    limit = threshold_value(c)
    if fact is None or limit is None:
        return c.text
    spec = facts_lexicon()[fact]
    return f"{spec['label']}{_OPS.get(c.op or '', c.op or '')}{format_quantity(limit, spec['unit'])}"


CONDITIONS["threshold"] = ConditionType(
    field=lambda c: f"facts.{_fact(c) or c.field}",
    test=_threshold_test,
    to_sql=_threshold_sql,
    explain=_threshold_explain,
    doc="A numeric fact compared with a value (门槛): field (invention_patents, revenue, "
        "fixed_asset_investment …), op (>=, >, <=, <, =), value and unit (元/万元/亿元 are "
        "turned into 元). A fact the profile does not give is unknown.",
)


# ------------------------------------------------------------------------- recipient type

# Asked type → (profile types that meet it, profile types that leave it open).
# A platform (载体) or a project (项目) is applied for by whoever runs it; a service agency
# may be a company, so a company is left open for 服务机构 only if it says it is one.
_ORGS = frozenset({"企业", "高校院所", "服务机构", "载体", "园区", "银行", "社会组织", "单位"})
RECIPIENT_RULES: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "企业": (frozenset({"企业"}), frozenset({"服务机构", "单位"})),
    "高校院所": (frozenset({"高校院所"}), frozenset({"单位"})),
    "服务机构": (frozenset({"服务机构"}), frozenset({"单位"})),
    "载体": (_ORGS, frozenset()),
    "园区": (frozenset({"园区"}), frozenset()),
    "个人": (frozenset({"个人"}), frozenset()),
    "团队": (frozenset({"团队"}), frozenset({"个人"})),
    "区县/乡镇": (frozenset({"区县/乡镇"}), frozenset()),
    "银行": (frozenset({"银行"}), frozenset({"单位"})),
    "项目": (_ORGS | {"项目", "团队", "个人"}, frozenset()),
    "社会组织": (frozenset({"社会组织"}), frozenset({"单位"})),
    "单位": (_ORGS, frozenset()),
}


@lru_cache(maxsize=65536)
def _asked_types(c: Condition) -> tuple[str, ...]:
    raw = c.recipient_type or c.text or ""
    return tuple(t for t in (x.strip() for x in re.split(r"[|、,，/]+(?!乡镇)", raw)) if t)


@lru_cache(maxsize=65536)
def _recipient_sets(c: Condition) -> tuple[frozenset[str], frozenset[str]]:
    met: set[str] = set()
    open_: set[str] = set()
    for t in _asked_types(c) or ("?",):
        if t == "区县":
            t = "区县/乡镇"
        m, o = RECIPIENT_RULES.get(t, (frozenset({t}), frozenset()))
        met |= m
        open_ |= o
    return frozenset(met), frozenset(open_ - met)


def _recipient_test(c: Condition, p: Profile, ctx: Context) -> tuple[str, str]:
    if not p.recipient_types:
        return UNKNOWN, NOT_GIVEN
    met, open_ = _recipient_sets(c)
    seen = "、".join(p.recipient_types) + ("（由名称推断）" if p.recipient_source == "name" else "")
    if any(t in met for t in p.recipient_types):
        return MET, seen
    if any(t in open_ for t in p.recipient_types):
        return UNKNOWN, seen
    return UNMET, seen


def recipient_mask(types: Iterable[str]) -> int:
    """Bit i set for RECIPIENT_TYPES[i]: the registry's `recipient_mask`."""
    mask = 0
    for t in types:
        if t in RECIPIENT_TYPES:
            mask |= 1 << RECIPIENT_TYPES.index(t)
    return mask


def _recipient_sql(c: Condition, ctx: Context) -> tuple[str, list[Any]]:
    met, open_ = _recipient_sets(c)
    m, o = recipient_mask(met), recipient_mask(open_)
    sql = "CASE WHEN recipient_mask IS NULL THEN NULL"
    params: list[Any] = []
    if m:
        sql += " WHEN (recipient_mask & ?) <> 0 THEN TRUE"
        params.append(m)
    if o:
        sql += " WHEN (recipient_mask & ?) <> 0 THEN NULL"
        params.append(o)
    return sql + " ELSE FALSE END", params


def recipient_sql_value(types: Sequence[str]) -> int | None:
    """The registry's `recipient_mask` for a profile's types (None: not known)."""
    return recipient_mask(types) if types else None


CONDITIONS["recipient_type"] = ConditionType(
    field="recipient_type",
    test=_recipient_test,
    to_sql=_recipient_sql,
    explain=lambda c, ctx: f"申报主体为{'或'.join(_asked_types(c)) or c.text}",
    doc="Who may apply (申报主体): 企业, 高校院所, 服务机构, 载体, 园区, 个人, 团队, 区县/乡镇, 银行, "
        "项目, 社会组织, 单位; `a|b` means either. A platform, a project or 单位 is applied for by "
        "the organisation that runs it.",
)


# ----------------------------------------------------------------------------------- size

SIZE_CODES = {"大型": "L", "中型": "M", "小型": "S", "微型": "X"}
_ABOVE_SCALE = ("规模以上", "规上", "限额以上")
# 规模以上工业企业: 年主营业务收入 2000 万元及以上 (国家统计局).
ABOVE_SCALE_REVENUE = 20_000_000
INDUSTRIAL_SECTIONS = ("B", "C", "D")


def size_mask(sizes: Iterable[str]) -> str | None:
    """The registry's `size` text: the possible classes as letters in LMSX order (小微 → SX)."""
    have = set(sizes)
    mask = "".join(SIZE_CODES[s] for s in SIZES if s in have)
    return mask or None


@lru_cache(maxsize=65536)
def _size_asked(c: Condition) -> frozenset[str] | str | None:
    text = c.text or ""
    if any(w in text for w in _ABOVE_SCALE):
        return "above_scale"
    for word in sorted(SIZE_WORDS, key=len, reverse=True):
        if word in text:
            return SIZE_WORDS[word]
    return None


def above_scale(p: Profile) -> bool | None:
    """规模以上: as stated, else an industrial firm's revenue against 2000 万元."""
    if p.above_scale is not None:
        return p.above_scale
    revenue = p.facts.get("revenue")
    if p.industry.section in INDUSTRIAL_SECTIONS and revenue is not None:
        return revenue >= ABOVE_SCALE_REVENUE
    return None


def _size_test(c: Condition, p: Profile, ctx: Context) -> tuple[str, str]:
    asked = _size_asked(c)
    if asked == "above_scale":
        v = above_scale(p)
        seen = NOT_GIVEN if v is None else ("规模以上" if v else "规模以下")
        return bool_verdict(v), seen
    if asked is None or not p.sizes:
        return UNKNOWN, (p.size_label or NOT_GIVEN)
    assert isinstance(asked, frozenset)
    seen = f"{p.size_label}（{p.size_source}）" if p.size_source and p.size_source != "stated" else (p.size_label or "")
    if p.sizes <= asked:
        return MET, seen
    if not (p.sizes & asked):
        return UNMET, seen
    return UNKNOWN, seen


def _size_masks() -> list[str]:
    # Every run of consecutive classes a profile can be left with: L, LM, …, SX, X.
    return ["".join(SIZE_CODES[s] for s in SIZES[i:j]) for i in range(4) for j in range(i + 1, 5)]


def _size_sql(c: Condition, ctx: Context) -> tuple[str, list[Any]]:
    asked = _size_asked(c)
    if asked == "above_scale":
        return "(above_scale = TRUE)", []
    if asked is None:
        return "CAST(NULL AS BOOLEAN)", []
    assert isinstance(asked, frozenset)
    letters = {SIZE_CODES[s] for s in asked}
    met = [m for m in _size_masks() if set(m) <= letters]
    partial = [m for m in _size_masks() if set(m) & letters and not set(m) <= letters]
    params: list[Any] = []
    met_sql = []
    if met:
        met_sql.append("size IN (" + ", ".join("?" for _ in met) + ")")
        params += met
    open_sql = []
    if partial:
        open_sql.append("size IN (" + ", ".join("?" for _ in partial) + ")")
        params += partial
    return _case(met_sql, open_sql, "size"), params


def _size_explain(c: Condition, ctx: Context) -> str:
    asked = _size_asked(c)
    if asked == "above_scale":
        return "规模以上企业（工业：年主营业务收入2000万元及以上）"
    if asked is None:
        return c.text
    return "企业规模为" + "、".join(s for s in SIZES if s in asked)


CONDITIONS["size"] = ConditionType(
    field=lambda c: "above_scale" if _size_asked(c) == "above_scale" else "size",
    test=_size_test,
    to_sql=_size_sql,
    explain=_size_explain,
    doc="Enterprise size (企业规模) under 《中小企业划型标准规定》: 大型, 中型, 小型, 微型 and the bands "
        "小微, 中小, 中小微; 规模以上/规上 reads `above_scale`. A profile whose size is a band "
        "(小微) against a narrower ask (小型) is unknown.",
)


# --------------------------------------------------------------------------------- region

# The field of the region condition the calculator adds to every item: its policy's own region.
POLICY_SCOPE = "policy_scope"


@lru_cache(maxsize=65536)
def _region_code(c: Condition, ctx: Context) -> tuple[str | None, str]:
    """The region a condition names (在威海市注册), else the policy's own (我市 → the issuer's city)."""
    names = [] if c.field == POLICY_SCOPE else split_names(c.text or "", full_only=True)
    if names:
        place = place_from_text(c.text)
        code = place.county or place.city or place.province
        if code:
            return code, region_name(code)
    if ctx.scope.code:
        return ctx.scope.code, ctx.scope.name
    return None, ""


def _region_test(c: Condition, p: Profile, ctx: Context) -> tuple[str, str]:
    code, _ = _region_code(c, ctx)
    seen = place_label(p)
    if code is None:
        return UNKNOWN, seen
    return bool_verdict(contains(code, p.place)), seen


def place_label(p: Profile) -> str:
    if not p.place.known:
        return NOT_GIVEN
    code = p.place.county or p.place.city or p.place.province or ""
    parts = [region_name(code[:2])]
    if len(code) >= 4 and region_name(code[:4]) != code[:4]:
        parts.append(region_name(code[:4]))
    if len(code) == 6:
        parts.append(region_name(code))
    return "".join(dict.fromkeys(parts))


def region_sql(code: str) -> tuple[str, list[Any]]:
    """Inside the region `code` (2, 4 or 6 digits): any known level that differs says no."""
    if len(code) == 2:
        return "(province = ?)", [code]
    if len(code) == 4:
        return "CASE WHEN province <> ? THEN FALSE ELSE city = ? END", [code[:2], code]
    return ("CASE WHEN province <> ? THEN FALSE WHEN city <> ? THEN FALSE ELSE county = ? END",
            [code[:2], code[:4], code])


def _region_sql(c: Condition, ctx: Context) -> tuple[str, list[Any]]:
    code, _ = _region_code(c, ctx)
    if code is None:
        return "CAST(NULL AS BOOLEAN)", []
    return region_sql(code)


def _region_explain(c: Condition, ctx: Context) -> str:
    _, name = _region_code(c, ctx)
    return f"注册地在{name}" if name else c.text


CONDITIONS["region"] = ConditionType(
    field="region",
    test=_region_test,
    to_sql=_region_sql,
    explain=_region_explain,
    doc="Where the applicant is registered (区域): a place the condition names, else the region "
        "the policy's issuer governs (我市 in a 威海市 policy is 威海市). Every item also carries "
        "its policy's region this way.",
)


# ------------------------------------------------------------------ industry and ownership

@lru_cache(maxsize=65536)
def _listed(c: Condition) -> tuple[str, ...]:
    text = (c.text or "").split(":", 1)[-1].split("：", 1)[-1]
    return tuple(x.strip() for x in re.split(r"[,，;；]", text) if x.strip())


@lru_cache(maxsize=65536)
def _section_letters(c: Condition) -> frozenset[str]:
    from zhengce.profile import _industries

    sections, _ = _industries()
    names = set(_listed(c))
    return frozenset(letter for letter, spec in sections.items() if spec["name"] in names or letter in names)


def _industry_test(c: Condition, p: Profile, ctx: Context) -> tuple[str, str]:
    if not p.industry.section:
        return UNKNOWN, NOT_GIVEN
    seen = p.industry.label() + (f"（由经营范围“{p.industry.clue}”推断）" if p.industry.source == "scope" else "")
    return bool_verdict(p.industry.section in _section_letters(c)), seen


def _industry_sql(c: Condition, ctx: Context) -> tuple[str, list[Any]]:
    letters = sorted(_section_letters(c))
    if not letters:
        return "CAST(NULL AS BOOLEAN)", []
    return "(industry_section IN (" + ", ".join("?" for _ in letters) + "))", letters


CONDITIONS["industry"] = ConditionType(
    field="industry",
    test=_industry_test,
    to_sql=_industry_sql,
    explain=lambda c, ctx: "所属行业为" + "、".join(_listed(c)),
    doc="The industries a policy is for (所属行业), GB/T 4754 sections by name or letter, as a "
        "portal page tags it; used only when the tags leave some industry out.",
)


def _ownership_test(c: Condition, p: Profile, ctx: Context) -> tuple[str, str]:
    listed = _listed(c)
    if "其他" in listed:
        return MET, p.ownership or NOT_GIVEN
    if not p.ownership:
        return UNKNOWN, NOT_GIVEN
    return bool_verdict(p.ownership in listed), p.ownership


def _ownership_sql(c: Condition, ctx: Context) -> tuple[str, list[Any]]:
    listed = _listed(c)
    if "其他" in listed:
        return "TRUE", []
    if not listed:
        return "CAST(NULL AS BOOLEAN)", []
    return "(ownership IN (" + ", ".join("?" for _ in listed) + "))", list(listed)


CONDITIONS["ownership"] = ConditionType(
    field="ownership",
    test=_ownership_test,
    to_sql=_ownership_sql,
    explain=lambda c, ctx: "企业性质为" + "、".join(_listed(c)),
    doc="Ownership (适用对象: 私营企业, 国有企业, 外商投资企业 …) as a portal page tags it; a list "
        "with 其他 admits everyone.",
)


# ----------------------------------------------------------------------------------- text

_PUNCT = re.compile(r"[\s,，。;；:：、()（）“”\"'《》]+")


def _norm(text: str) -> str:
    return _PUNCT.sub("", text)


@lru_cache(maxsize=65536)
def _evidence(c: Condition) -> tuple[str, str, float] | None:
    """The fact that settles a free-text clause, from lexicons/facts.yaml's `evidence`."""
    from zhengce.profile import _lexicon

    for rule in _lexicon("facts.yaml").get("evidence") or ():
        if any(w in (c.text or "") for w in rule["words"]):
            return rule["field"], rule["op"], float(rule["value"])
    return None


def _text_test(c: Condition, p: Profile, ctx: Context) -> tuple[str, str]:
    # Free text cannot be decided, but the profile can say "yes, this one": a confirmation, an
    # honour written in the very words of the condition, or a fact the clause is about. Never "unmet".
    evidence = _evidence(c)
    if evidence is not None:
        fact, op, limit = evidence
        value = p.facts.get(fact)
        if value is not None and _compare(value, op, limit):
            return MET, f"{facts_lexicon()[fact]['label']}：{format_quantity(value, facts_lexicon()[fact]['unit'])}"
    asked = _norm(c.text or "")
    if len(asked) >= 2:
        for phrase in p.confirms:
            said = _norm(phrase)
            if len(said) >= 2 and (said in asked or asked in said):
                return MET, f"已确认：{phrase}"
        for h in p.honours:
            for said in {_norm(h.written), _norm(h.name)}:
                # "获得省科技成果转化贷款风险补偿备案" asks for an honour the profile names, or
                # "创业大赛一等奖" is part of the honour it names.
                if len(said) >= 4 and said in asked or len(asked) >= 4 and asked in said:
                    return MET, f"持有：{h.label()}"
    return UNKNOWN, "无法自动判断，需人工核实"


def _text_sql(c: Condition, ctx: Context) -> tuple[str, list[Any]]:
    evidence = _evidence(c)
    if evidence is None:
        return "CAST(NULL AS BOOLEAN)", []
    fact, op, limit = evidence
    return f"CASE WHEN {fact} {op} ? THEN TRUE ELSE NULL END", [limit]


CONDITIONS["text"] = ConditionType(
    field="confirms",
    test=_text_test,
    to_sql=_text_sql,
    explain=lambda c, ctx: c.text,
    doc="A clause kept as written (择优, 经考核优秀, 作为第一完成单位 …): unknown, unless the profile "
        "confirms those words (`confirms`), holds an honour named in them, or has the fact the clause "
        "is about (lexicons/facts.yaml `evidence`). Never unmet; the batch, whose registry carries "
        "no confirmations, answers NULL unless a fact settles it.",
)
