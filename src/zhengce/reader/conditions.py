"""A recipient's words → the conditions a calculator can test (申报条件).

Each typed condition keeps the words it was read from (`Condition.text`); what
cannot be typed stays as a `text` condition, which the calculator answers
`unknown` for, never `no`. The vocabularies are data: `lexicons/honours.yaml`,
`recipient_types.yaml` and `thresholds.yaml`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from zhengce.model import Condition
from zhengce.reader.amounts import parse_number

_CJK = "\u4e00-\u9fff"
_LIST_GAP = re.compile(r"[、和及与或]")
_CLAUSE_END = re.compile(r"[,，;；。]")
_NOT_GAP = re.compile(r"[^\u4e00-\u9fff]|[的和及与或]")
# Words that only join the parts of a recipient phrase; what is left after removing them and
# the typed parts is kept as free text.
_GLUE_WORDS = ("被认定为", "认定为", "被评为", "评为", "获批为", "获批", "获得", "入选", "经认定", "经", "凡", "对其",
               "对", "其", "所在", "相关", "分别", "等", "以上", "以下", "及", "和", "与", "或", "并且", "并", "且",
               "的", "在", "为", "级")
_PIECE = re.compile(r"[^,，、;；:：()（）“”\"\s的]+")
_STATUS_GAP = re.compile(r"(?:被认定为|认定为|认定|获批为|获批|获得|被评为|评为|为|的|进入)*")
_NUMBER = r"\d+(?:\.\d+)?(?:千万|百万|亿|万|千)?|[零〇一二两三四五六七八九十百千万亿]+"
_UNITS = r"万元|亿元|元|件|家|人|名|亩|个月|个|项|%|周岁|岁|年|月"
# A cheap test before the full threshold pattern, which is slow to try at every position.
_RANGE_TAIL = re.compile(rf"至(?P<n>{_NUMBER})(?P<u>{_UNITS})")
_LEAD_SPLIT = re.compile(r"[,，、;；。的且和及并()（）]")
_NUMBER_HINT = re.compile(rf"[\d零〇一二两三四五六七八九十百千万亿](?:{_UNITS})")


@dataclass(frozen=True, slots=True)
class Lexicon:
    """The vocabularies conditions are read with, compiled once."""

    honours: dict[str, tuple[str, str]]       # wording → (name, group)
    honour_re: re.Pattern[str]
    rank_re: re.Pattern[str]
    levels: dict[str, str]
    level_re: re.Pattern[str]
    level_reversed: re.Pattern[str]   # matched on reversed text: the level just before an honour
    level_last: frozenset[str]        # the characters a level (国家级, 省级以上 …) can end with
    statuses: dict[str, str]
    status_re: re.Pattern[str]
    types: dict[str, str]                     # wording → type
    type_re: re.Pattern[str]
    size_re: re.Pattern[str]
    region_re: re.Pattern[str]
    fields: tuple[tuple[str, tuple[str, ...]], ...]
    threshold_re: re.Pattern[str]
    ops_before: dict[str, str]
    ops_before_longest: tuple[str, ...]
    ops_after: dict[str, str]


def _load(name: str) -> Any:
    return yaml.safe_load(resources.files("zhengce.lexicons").joinpath(name).read_text("utf-8"))


def _alternation(words: list[str]) -> str:
    """A pattern for any of `words`, the longest where several start at the same place.

    Written as a trie ("高(?:新技术企业|校院所)…"): the regex engine tries the words that
    continue what it has read, not the whole list at every character. Words matching at
    one place are prefixes of one another, and the greedy `?` tries the longer first, as a
    list sorted longest first would.
    """
    trie: dict[str, dict] = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        if word:
            node[""] = {}

    def pattern(node: dict[str, dict]) -> str:
        branches = [re.escape(ch) + pattern(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if "" not in node:
            return body
        return (body if len(body) == 1 else f"(?:{body})") + "?"  # a word ends here, or goes on

    return pattern(trie)


_GLUE = re.compile(_alternation(list(_GLUE_WORDS)))


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The vocabularies, loaded from the package's lexicon files."""
    h = _load("honours.yaml")
    honours: dict[str, tuple[str, str]] = {}
    for entry in h["honours"]:
        for wording in [entry["name"], *entry.get("aliases", [])]:
            honours[wording] = (entry["name"], entry.get("group", ""))
    levels = dict(h["levels"])
    statuses = dict(h["statuses"])
    r = _load("recipient_types.yaml")
    types = {w: t for t, words in r["types"].items() for w in words}
    t = _load("thresholds.yaml")
    fields = tuple((f["field"], tuple(f["words"])) for f in t["fields"])
    ops_before, ops_after = dict(t["before"]), dict(t["after"])
    # The pattern starts at the number (quick to scan for); the comparison word before it is read by hand.
    threshold_re = re.compile(
        rf"(?P<num>{_NUMBER})(?:(?P<unit>{_UNITS})|(?=\s*(?:—|-|~|至)\s*(?:{_NUMBER})(?:{_UNITS})))"
        rf"(?:\s*(?:—|-|~|至)\s*(?P<num2>{_NUMBER})(?P<unit2>{_UNITS})?)?(?P<op2>{_alternation(list(ops_after))})?"
    )
    return Lexicon(
        honours=honours,
        honour_re=re.compile(_alternation(list(honours))),
        rank_re=re.compile(_alternation(h["ranks"])),
        levels=levels,
            level_re=re.compile(rf"(?:{_alternation(list(levels))})(?:级)?(?:以上)?$"),
        level_reversed=re.compile(rf"(?:上以)?(?:级)?(?:{_alternation([w[::-1] for w in levels])})"),
        level_last=frozenset("上级" + "".join(w[-1] for w in levels)),
        statuses=statuses,
        status_re=re.compile(_alternation(list(statuses))),
        types=types,
        type_re=re.compile(_alternation(list(types))),
        size_re=re.compile(_alternation(r["sizes"])),
        region_re=re.compile(_alternation(r["regions"])),
        fields=fields,
        threshold_re=threshold_re,
        ops_before=ops_before,
        ops_before_longest=tuple(sorted(ops_before, key=len, reverse=True)),
        ops_after=ops_after,
    )


def _level(lex: Lexicon, before: str) -> tuple[str | None, int]:
    """The level written just before an honour (a gap of up to 3 characters, as in 山东省品牌…)."""
    reversed_before = before[::-1]
    for gap in range(0, min(4, len(before))):
        if gap and _NOT_GAP.match(reversed_before[gap - 1]):
            break
        m = lex.level_reversed.match(reversed_before, gap)
        if m:
            word = m.group(0)[::-1]
            core = word.removesuffix("以上")
            level = lex.levels.get(core) or lex.levels.get(core.removesuffix("级"))
            if level is None:
                continue
            if word.endswith("以上"):
                level += "以上"
            return level, len(before) - m.end()
    return None, len(before)


def honours(text: str) -> list[Condition]:
    """Honours and qualifications named in `text`, with level and status.

    >>> [(c.honour, c.level, c.status) for c in honours("新认定的高新技术企业")]
    [('高新技术企业', None, '新认定')]
    >>> [(c.honour, c.level) for c in honours("认定为山东省品牌科技企业孵化器和众创空间")]
    [('科技企业孵化器', '省级'), ('众创空间', '省级')]
    >>> [(c.honour, c.level, c.status) for c in honours("作为第一完成单位获得国家科学技术奖一等奖")]
    [('科学技术奖一等奖', '国家级', None)]
    >>> [(c.text, c.level, c.status) for c in honours("初次认定为国家级企业技术(研发)中心的企业")]
    [('初次认定为国家级企业技术(研发)中心', '国家级', '首次')]
    """
    return [c for _, _, c in honour_spans(_ascii(text))]


def honour_spans(text: str) -> list[tuple[int, int, Condition]]:
    lex = lexicon()
    found: list[tuple[int, int, Condition]] = []
    last_level: str | None = None
    prev_end = -1
    for m in lex.honour_re.finditer(text):
        honour_start, end = m.span()
        name = lex.honours[m.group()][0]
        rank = lex.rank_re.match(text, end)
        if rank:
            name += rank.group()
            end = rank.end()
        start = honour_start
        level = None
        # Most honours have no level word in reach: none of the four characters before can end one.
        if not lex.level_last.isdisjoint(text[max(0, honour_start - 4):honour_start]):
            window_start = max(0, honour_start - 12)
            level, lstart = _level(lex, text[window_start:honour_start])
            if level:
                start = window_start + lstart
        # "市级以上科技企业孵化器和众创空间": the second honour shares the first one's level.
        if level is None and prev_end >= 0 and _LIST_GAP.fullmatch(text, prev_end, honour_start):
            level = last_level
        before = text[max(0, start - 12):start]
        status = None
        if lex.status_re.search(before):  # most honours have none: no clause to cut then
            window = _CLAUSE_END.split(before)[-1]
            # The status must qualify this honour: only glue words between ("新认定的", "初次认定为"),
            # so 首次 in "首次通过绩效评价的…中心" stays with the evaluation.
            statuses = [s for s in lex.status_re.finditer(window) if _STATUS_GAP.fullmatch(window[s.end():])]
            if statuses:
                status = lex.statuses[statuses[-1].group()]
                start = start - len(window) + statuses[-1].start()
        found.append((start, end, Condition("honour", text[start:end], name, level, status)))
        last_level, prev_end = level, end
    return found


def _alternatives(text: str, spans: list[tuple[int, int, Condition]]) -> list[Condition]:
    """Honours listed together ("国家火炬特色产业基地、国家创新型产业集群") are alternatives: one
    condition whose `honour` (and `level`, where they differ) lists them with "|".

    >>> [(c.honour, c.level) for c in _alternatives("认定为山东省品牌科技企业孵化器和众创空间",
    ...                                              honour_spans("认定为山东省品牌科技企业孵化器和众创空间"))]
    [('科技企业孵化器|众创空间', '省级')]
    """
    if len(spans) < 2:
        return [c for _, _, c in spans]
    groups: list[list[tuple[int, int, Condition]]] = []
    for span in spans:
        if groups and _LIST_GAP.fullmatch(text, groups[-1][-1][1], span[0]):
            groups[-1].append(span)
        else:
            groups.append([span])
    out: list[Condition] = []
    for group in groups:
        if len(group) == 1:
            out.append(group[0][2])
            continue
        conds = [c for _, _, c in group]
        levels = list(dict.fromkeys(c.level for c in conds))
        level = levels[0] if len(levels) == 1 else "|".join(lv or "" for lv in (c.level for c in conds))
        out.append(Condition(kind="honour", text=text[group[0][0]:group[-1][1]],
                             honour="|".join(c.honour or "" for c in conds), level=level, status=conds[0].status))
    return out


def recipient_types(text: str) -> list[Condition]:
    """The recipient's type: the type word nearest the end (its head noun), with list alternatives.

    >>> [c.recipient_type for c in recipient_types("获得国家最高科学技术奖的个人")]
    ['个人']
    >>> [c.recipient_type for c in recipient_types("企业牵头组建的市级技术创新中心")]
    ['载体']
    >>> [c.recipient_type for c in recipient_types("举办创新创业大赛等活动的区市、企业、社会组织")]
    ['区县/乡镇|企业|社会组织']
    """
    return _types(text, list(lexicon().type_re.finditer(text)))


def _types(text: str, matches: list[re.Match[str]]) -> list[Condition]:
    if not matches:
        return []
    types = lexicon().types
    last = matches[-1]
    first = last
    kinds = [types[last.group()]]
    for m in reversed(matches[:-1]):
        if not _LIST_GAP.fullmatch(text, m.end(), first.start()):
            break
        first = m
        kind = types[m.group()]
        if kind in kinds:
            kinds.remove(kind)  # listed twice: it keeps its first place
        kinds.insert(0, kind)
    return [Condition("recipient_type", text[first.start():last.end()], recipient_type="|".join(kinds))]


def _field(lex: Lexicon, words: str) -> str | None:
    for field, wordings in lex.fields:
        if any(map(words.__contains__, wordings)):  # (a generator would cost a frame per word)
            return field
    return None


def thresholds(text: str) -> list[Condition]:
    """Numeric thresholds ("年获发明专利授权20件以上", "年销售额在1亿元及以上").

    >>> [(c.field, c.op, c.value, c.unit) for c in thresholds("年获发明专利授权20件以上的单位")]
    [('invention_patents', '>=', 20.0, '件')]
    >>> [(c.field, c.op, c.value, c.unit) for c in thresholds("年销售额在1亿元及以上的企业")]
    [('revenue', '>=', 100000000.0, '元')]
    >>> [(c.op, c.value) for c in thresholds("年纳税1000万元及以上至5000万元的企业")]
    [('>=', 10000000.0), ('<=', 50000000.0)]
    >>> [(c.field, c.op, c.value) for c in thresholds("年度代理市内发明专利授权超过100件的服务机构")]
    [('invention_patents', '>', 100.0)]
    """
    text = _ascii(text)
    if not _NUMBER_HINT.search(text):
        return []
    lex = lexicon()
    found: list[Condition] = []
    for m in lex.threshold_re.finditer(text):
        before = text[max(0, m.start() - 3):m.start()]
        # Most numbers have no comparison word before them: one test for all the words first.
        op1 = next((w for w in lex.ops_before_longest if before.endswith(w)), "") \
            if before.endswith(lex.ops_before_longest) else ""
        op = lex.ops_before.get(op1) or lex.ops_after.get(m.group("op2") or "")
        ranged = m.group("num2") is not None
        # "1000万元及以上至5000万元": the 至 part follows the 以上.
        tail = _RANGE_TAIL.match(text, m.end())
        if op is None and not ranged:
            continue
        lead = _LEAD_SPLIT.split(text[:m.start()])[-1]
        words = lead.removesuffix(op1).removesuffix("在").removesuffix("为").removesuffix("均")
        field = _field(lex, words + (m.group("unit") or m.group("unit2"))) or (words or None)
        low_unit = m.group("unit") or m.group("unit2")
        if ranged:
            high_unit = m.group("unit2") or low_unit
            low_unit = low_unit if m.group("unit2") else high_unit
            high = _scaled(m.group("num2"), high_unit)
            found.append(_threshold(m.group(0), field, ">=", _scaled(m.group("num"), low_unit), high_unit))
            found.append(_threshold(m.group(0), field, "<=", high, high_unit))
            continue
        assert op is not None
        found.append(_threshold(text[m.start() - len(lead) if lead else m.start() - len(op1):m.end()], field, op,
                                _scaled(m.group("num"), low_unit), low_unit))
        if tail:
            found.append(_threshold(tail.group(0), field, "<=", _scaled(tail.group("n"), tail.group("u")), tail.group("u")))
    return found


def _scaled(number: str, unit: str) -> float | None:
    value = parse_number(number)
    if value is None:
        return None
    return value * {"万元": 1e4, "亿元": 1e8, "%": 0.01}.get(unit, 1.0)


def _threshold(words: str, field: str | None, op: str, value: float | None, unit: str) -> Condition:
    unit = "元" if unit.endswith("元") else unit
    return Condition(kind="threshold", text=words, field=field, op=op, value=value, unit=unit)


# Full-width brackets and digits read like their ASCII forms (one character for one, so spans hold).
_WIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_FULL_WIDTH = re.compile("[\uff01-\uff5e]")


def _ascii(text: str) -> str:
    return text.translate(_WIDTH) if _FULL_WIDTH.search(text) else text


def read(text: str) -> tuple[Condition, ...]:
    """All the conditions a recipient phrase states, typed where possible.

    >>> [(c.kind, c.honour or c.recipient_type or c.text) for c in read("认定为国家级技术创新中心")]
    [('honour', '技术创新中心'), ('recipient_type', '载体')]
    >>> [(c.kind, c.text) for c in read("首次通过绩效评价的市级临床医学研究中心")]
    [('honour', '市级临床医学研究中心'), ('recipient_type', '中心'), ('text', '首次通过绩效评价')]
    >>> [(c.kind, c.text) for c in read("在我市注册、年度代理市内发明专利授权超过100件的服务机构")][1:]
    [('threshold', '年度代理市内发明专利授权超过100件'), ('region', '在我市注册')]
    """
    if not text:
        return ()
    text = _ascii(text)
    lex = lexicon()
    spans = honour_spans(text)
    found = [c for _, _, c in spans] if len(spans) < 2 else _alternatives(text, spans)
    taken = [(start, end) for start, end, _ in spans]
    # Type words are read once: for the type, and to mask them from the free text.
    type_matches = list(lex.type_re.finditer(text))
    types = _types(text, type_matches)
    # A type word inside an honour's name ("高新技术企业") still tells the type.
    if not types:
        for c in found:
            kind = _TYPE_OF_GROUP.get(lex.honours.get(c.honour or "", ("", ""))[1])
            if kind:
                types = [Condition("recipient_type", c.text, recipient_type=kind)]
                break
    found.extend(types)
    if _NUMBER_HINT.search(text):
        found.extend(thresholds(text))
    for m in lex.size_re.finditer(text):
        found.append(Condition("size", m.group(), field="size"))
    region = lex.region_re.search(text)
    if region:
        found.append(Condition("region", region.group(), field="region"))
    taken.extend(map(re.Match.span, type_matches))
    found.extend(_free_text(text, found, taken))
    return tuple(found)


_TYPE_OF_GROUP = {"qualification": "企业", "platform": "载体", "place": "区县/乡镇"}


# Three Chinese characters or more (matched, not counted: possessive, so a miss fails fast).
_THREE_CJK = re.compile(rf"(?:[^{_CJK}]*+[{_CJK}]){{3}}")


def requirement(line: str) -> tuple[Condition, ...]:
    """One line of a 申报条件 list: its typed parts, and the line itself as free text.

    Unlike a recipient phrase, a requirement line is kept whole (it is one rule of the
    guide), and it names no recipient type of its own.

    >>> [(c.kind, c.field or c.text) for c in requirement("初创企业登记注册满6个月")]
    [('threshold', 'registered_months'), ('text', '初创企业登记注册满6个月')]
    """
    line = _ascii(line).strip()
    if not line:
        return ()
    typed = [c for c in read(line) if c.kind not in ("recipient_type", "text")]
    return (*typed, Condition(kind="text", text=line))


def _free_text(text: str, typed: list[Condition], taken: list[tuple[int, int]]) -> list[Condition]:
    """What is left of the phrase once typed words (`taken`: honours and type words) and glue
    are removed, as free-text conditions."""
    masked = taken
    for c in typed:
        if c.text and c.kind != "honour":
            i = text.find(c.text)
            if i >= 0:
                masked.append((i, i + len(c.text)))
    # The pieces lie in the gaps between masked spans (which may overlap).
    gaps: list[tuple[int, int]] = []
    at = 0
    for a, b in sorted(masked):
        if a > at:
            gaps.append((at, a))
        at = max(at, b)
    if at < len(text):
        gaps.append((at, len(text)))
    pieces: list[Condition] = []
    for a, b in gaps:
        if b - a < 3:
            continue
        for m in _PIECE.finditer(text, a, b):
            piece = m.group()
            if len(piece) < 3:
                continue
            core = _GLUE.sub("", piece)
            if len(core) >= 3 and _THREE_CJK.match(core):
                pieces.append(Condition("text", piece.strip("和及与或并且、")))
    return pieces
