"""Money, ratios and 1:1 配套 in policy text, with the spans they were read from.

Only the reading of numbers lives here: whether an amount is a benefit, a
threshold or a budget is decided by `items.py`, which sees the words around it.
The text is the normaliser's output: ASCII digits and punctuation, no spaces
inside numbers ("２０ 万元" arrives as "20万元").

Chinese numerals go through cn2an in smart mode, which is the mode that also
takes "1.5亿" and "5千"; strict mode refuses them (see LIBRARIES.md).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import cn2an

_CN_DIGIT = "零〇一二两三四五六七八九"
_CN_NUMERAL = rf"[{_CN_DIGIT}十][{_CN_DIGIT}十百千万亿]*(?:点[{_CN_DIGIT}]+)?"
_ARABIC = r"\d+(?:\.\d+)?"
# Where a pattern starts at a number, the first digit is tested at every character: ASCII
# digits (the normaliser made them so) are cheaper to test than \d's Unicode lookup.
_ARABIC_START = r"[0-9]+(?:\.\d+)?"
# Magnitudes written after an arabic number: "1.5亿元", "5千元", "1千万".
_MULTIPLIERS = {"千万": 1e7, "百万": 1e6, "万亿": 1e12, "亿": 1e8, "万": 1e4, "千": 1e3, "百": 1e2, "": 1.0}
_MULT = "千万|百万|万亿|亿|万|千|百"
# A unit an amount is counted per: "100元/亩", "5000元/人", "480元/吨", "元/人·月".
_PER = r"/(?P<per>平方米|立方米|公斤|千克|千瓦时|千瓦|标准箱|人次|人·月|人·年|[\u4e00-\u9fff])"
# "10万元", "二十万元", and the informal "10万奖励" where a benefit word follows the magnitude.
# The pattern opens with one character class, the first character of the number, and the
# alternatives look back at it: the engine then skips to the digits and numerals, instead of
# trying every alternative at every position. The number is text[match.start():group end].
_MONEY = re.compile(
    rf"[0-9{_CN_DIGIT}十](?:"
    rf"(?:(?<=[0-9])(?P<ar>\d*(?:\.\d+)?)(?P<mult>{_MULT})?|(?<=[{_CN_DIGIT}十])(?P<cn>[{_CN_DIGIT}十百千万亿]*(?:点[{_CN_DIGIT}]+)?))"
    rf"元(?:{_PER})?|"
    rf"(?<=[0-9])(?P<ar2>\d*(?:\.\d+)?)(?P<mult2>万|亿)(?=的?(?:奖励|补贴|补助|资助|支持|扶持|配套|一次性|资金|经费)))"
)
# The low end of a range, before a dash: "10万元—100万元", "10—100万元", "10万至100万元".
_RANGE_LOW = re.compile(rf"(?P<low>{_ARABIC})(?P<lmult>{_MULT})?元?\s*(?:—{{1,2}}|-|~|至|到)\s*$")
# Bare numbers that share the unit of the amount after them: "200、100、50万元".
_SHARED_UNIT = re.compile(rf"(?:{_ARABIC}[、和及])+$")
_PERCENT = re.compile(rf"(?P<ar>{_ARABIC_START})\s*(?P<sign>%|‰)|百分之(?P<cn>{_CN_NUMERAL})")
_PERCENT_LOW = re.compile(rf"(?P<low>{_ARABIC})\s*(?:%|‰)?\s*(?:—{{1,2}}|-|~|至|到)\s*$")
_MATCHING = re.compile(rf"(?P<parts>{_ARABIC_START}(?:\s*[:比]\s*{_ARABIC})+)(?![\d:])")
_MATCHING_SPLIT = re.compile(r"\s*[:比]\s*")
_ARABIC_NUMBER = re.compile(_ARABIC)
_ARABIC_MAGNITUDE = re.compile(rf"({_ARABIC})({_MULT})?")
# What the text before an amount must end with for _RANGE_LOW (a dash, then spaces) or
# _SHARED_UNIT (a list mark; `$` also matches before a final line break) to match there.
_RANGE_DASHES = "—-~至到"
_LIST_MARKS = "、和及"


@dataclass(slots=True)
class Money:
    """An amount of money read from the text (金额)."""

    start: int
    end: int
    yuan: float
    low_yuan: float | None = None  # lower end of a range "10万元—100万元"
    per: str | None = None         # unit counted per: "亩" in "100元/亩"


@dataclass(slots=True)
class Ratio:
    """A percentage (比例): 0.5 for "50%"; a range keeps its lower end."""

    start: int
    end: int
    value: float
    low: float | None = None


@dataclass(slots=True)
class Matching:
    """A matching ratio (配套比例): "1:1" → 1.0, "1:1:1" → 1.0, "1:0.5" → 0.5."""

    start: int
    end: int
    value: float


def parse_number(text: str) -> float | None:
    """The value of a number written in digits, Chinese numerals or both.

    >>> parse_number("二十万"), parse_number("一万"), parse_number("1.5亿"), parse_number("5千")
    (200000.0, 10000.0, 150000000.0, 5000.0)
    >>> parse_number("三千五百万"), parse_number("两千"), parse_number("1000")
    (35000000.0, 2000.0, 1000.0)
    >>> parse_number("万元") is None
    True
    """
    text = text.strip()
    if not text:
        return None
    m = _ARABIC_MAGNITUDE.fullmatch(text)
    if m:
        return float(m.group(1)) * _MULTIPLIERS[m.group(2) or ""]
    try:
        return float(cn2an.cn2an(text.replace("〇", "零"), "smart"))
    except (ValueError, KeyError, TypeError, IndexError):
        return None


def _money_value(m: re.Match[str]) -> float | None:
    text, start = m.string, m.start()
    if m.group("ar2") is not None:
        return float(text[start:m.end("ar2")]) * _MULTIPLIERS[m.group("mult2")]
    if m.group("ar") is not None:
        return float(text[start:m.end("ar")]) * _MULTIPLIERS[m.group("mult") or ""]
    return parse_number(text[start:m.end("cn")])


def find_money(text: str, start: int = 0, end: int | None = None) -> list[Money]:
    """Every amount of money in text[start:end], in order; lists sharing one unit are expanded.

    >>> [m.yuan for m in find_money("市级分别给予1000万元、500万元支持")]
    [10000000.0, 5000000.0]
    >>> [m.yuan for m in find_money("分别给予200、100、50万元配套奖励")]
    [2000000.0, 1000000.0, 500000.0]
    >>> [(m.yuan, m.per) for m in find_money("一次性奖励企业100元/亩")]
    [(100.0, '亩')]
    >>> [(m.low_yuan, m.yuan) for m in find_money("给予企业10万元—100万元资金支持")]
    [(100000.0, 1000000.0)]
    >>> [m.yuan for m in find_money("对获得者给予二十万元奖励,另给予一万元补贴")]
    [200000.0, 10000.0]
    >>> [m.yuan for m in find_money("投资1.5亿元以上,补贴标准5000元/人")]
    [150000000.0, 5000.0]
    >>> [m.yuan for m in find_money("给予10万奖励,规模达到3万人")]
    [100000.0]
    """
    end = len(text) if end is None else end
    found: list[Money] = []
    if text.find("元", start, end) < 0 and text.find("万", start, end) < 0 and text.find("亿", start, end) < 0:
        return found
    for m in _MONEY.finditer(text, start, end):
        value = _money_value(m)
        if value is None:
            continue
        s = m.start()
        before = text[max(start, s - 16):s]
        low = None
        tail = before.rstrip()
        r = _RANGE_LOW.search(before) if tail and tail[-1] in _RANGE_DASHES else None
        if r:
            low = float(r.group("low")) * _MULTIPLIERS[r.group("lmult") or m.group("mult") or m.group("mult2") or ""]
            s -= len(r.group(0))
            if found and found[-1].end > s:
                found.pop()  # "10万元" was already taken alone: it is the range's lower end
        shared = None
        if not r and (m.group("ar") is not None or m.group("ar2") is not None):
            last = before[-2:-1] if before.endswith("\n") else before[-1:]
            shared = _SHARED_UNIT.search(before) if last and last in _LIST_MARKS else None
        if shared:
            mult = _MULTIPLIERS[m.group("mult") or m.group("mult2") or ""]
            pos = s - len(shared.group(0))
            for n in _ARABIC_NUMBER.finditer(shared.group(0)):
                found.append(Money(pos + n.start(), pos + n.end(), float(n.group(0)) * mult))
        found.append(Money(s, m.end(), value, low, m.group("per") if m.group("ar2") is None else None))
    return found


def find_ratios(text: str, start: int = 0, end: int | None = None) -> list[Ratio]:
    """Every percentage in text[start:end]; "5%-20%" is one ratio with its lower end.

    >>> [(r.value, r.low) for r in find_ratios("按项目固定资产实际投资额度给企业5%-20%奖励支持")]
    [(0.2, 0.05)]
    >>> [r.value for r in find_ratios("分别参照其地方财政贡献的70%、80%和90%")]
    [0.7, 0.8, 0.9]
    >>> [r.value for r in find_ratios("按项目实际投资额的1‰给予补助,给予百分之五十的补贴")]
    [0.001, 0.5]
    """
    end = len(text) if end is None else end
    found: list[Ratio] = []
    if text.find("%", start, end) < 0 and text.find("‰", start, end) < 0 and text.find("百分之", start, end) < 0:
        return found
    for m in _PERCENT.finditer(text, start, end):
        if m.group("ar") is not None:
            scale = 1000.0 if m.group("sign") == "‰" else 100.0
            value = float(m.group("ar")) / scale
        else:
            n = parse_number(m.group("cn"))
            if n is None:
                continue
            scale, value = 100.0, n / 100.0
        s = m.start()
        low = None
        lead = text[max(start, s - 12):s].rstrip()
        r = _PERCENT_LOW.search(text, max(start, s - 12), s) if lead and lead[-1] in _RANGE_DASHES else None
        if r and r.end() == s:
            low = float(r.group("low")) / scale
            s = r.start()
            if found and found[-1].end > s:
                found.pop()  # "5%" was already taken alone: it is the range's lower end
        found.append(Ratio(s, m.end(), round(value, 6), None if low is None else round(low, 6)))
    return found


def find_matching(text: str, start: int = 0, end: int | None = None) -> list[Matching]:
    """Every matching ratio (1:1 配套) in text[start:end].

    >>> [x.value for x in find_matching("按上级支持资金1:1给予配套")]
    [1.0]
    >>> [x.value for x in find_matching("按照国家、省、市1:1:1配套奖励")]
    [1.0]
    >>> [x.value for x in find_matching("按1:0.5的比例配套")]
    [0.5]
    """
    end = len(text) if end is None else end
    found: list[Matching] = []
    if text.find(":", start, end) < 0 and text.find("比", start, end) < 0:
        return found
    for m in _MATCHING.finditer(text, start, end):
        if m.start() > 0 and text[m.start() - 1] in "0123456789.:":
            continue
        parts = [float(p) for p in _MATCHING_SPLIT.split(m.group("parts"))]
        # A clock time or a scale is not a matching ratio: parts are small and the first is nonzero.
        if parts[0] == 0 or max(parts) > 10:
            continue
        found.append(Matching(m.start(), m.end(), round(parts[-1] / parts[0], 6)))
    return found


def yuan(text: str) -> float | None:
    """The amount of the first money expression in `text`, in yuan.

    >>> yuan("最高不超过50万元"), yuan("二十万元"), yuan("3万"), yuan("1.5亿元")
    (500000.0, 200000.0, None, 150000000.0)
    """
    found = find_money(text)
    return found[0].yuan if found else None
