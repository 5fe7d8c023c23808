"""Benefit items (奖补事项): recipient + kind + amount + conditions, from each article.

An amount is a benefit only where a benefit verb gives it (给予/奖励/补助 … before it,
or 按…的50%给予 around a ratio) or a 标准 label states it; the same figures elsewhere
are thresholds (固定资产投资1000万元及以上), budgets (每年安排2亿元), targets
(技术交易额达到35亿元) or payment schedules (按应奖励额的30%), and are left alone.
`docs/items.md` describes the fields and bases.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from operator import attrgetter

from zhengce.model import Article, Condition, Item
from zhengce.reader import conditions, recipients
from zhengce.reader.amounts import find_matching, find_money, find_ratios
from zhengce.reader.recipients import EMPTY, Phrase
from zhengce.reader.text import MappedText

# Patterns searched over whole parts and articles start every alternative with a literal
# (a lookbehind goes after the word it guards: "给(?<![供交带发]给)", not "(?<![供交带发])给"):
# the regex engine then skips ahead to the characters that can start a match, instead of
# trying every alternative at every position.

# Verbs that give a benefit: the amount after them (in the same clause) is the benefit.
BENEFIT_VERB = re.compile(r"给予|予以|可获得|可享受|给(?<![供交带发]给)(?![予付])|奖励|补助|补贴|资助|支持|扶持|奖补|补偿|贴息|配套|发放|兑现")
# Between a verb and an amount, these make the amount a threshold ("给予年销售额超过1亿元的企业").
_THRESHOLD_BETWEEN = re.compile(r"达到|达|超过(?<!不超过)|突破|不低于|不少于|低于|高于(?<!不高于)|投资|产值|销售|收入|贡献|纳税|担保金额|规模|的企业|的项目")
_THRESHOLD_AFTER = re.compile(r"\s*(?:及以上|以上|及以下|以下|左右|多|余)")
_RATIO_NOT_BENEFIT_AFTER = re.compile(r"\s*(?:用于|以上|以下|及以上|左右)")
# "不超过" before a ratio after a verb is a maximum rate (给予不超过投入的30%), not a threshold.
_RATIO_BETWEEN = re.compile(r"达到|超过(?<!不超过)|占|降至|控制在|提高|增长|增加|下降|比重")
# A ratio of the benefit itself is a payment schedule, not a benefit ("分别按应奖励额的30%").
_SCHEDULE_BASE = re.compile(r"应奖|奖励额|奖金|奖励资金|补助资金|补贴资金|扶持资金|资金总额|应补")
_BASE = re.compile(r"按照|按|参照|依照|依据")
_MONEY_BASE = re.compile(r"按(?:照)?(?:[\u4e00-\u9fff]{0,6}?每[\u4e00-\u9fff]{1,2})?$|按(?:照)?(?=单个|每|[^,，的]{0,8}(?:最高|不超过))")
CAP_WORDS = re.compile(r"最高|最多|不超过|不高于|上限|封顶")
# A 对/凡 that names new recipients; "对单家企业…不超过50万元" only counts them (a cap).
_NEW_RECIPIENT = re.compile(
    r"(?:^|[^针相面核比总])对(?![于象接外标口比应照话称冲待]|单家|单个|每家|每个|同一)|凡"
)
_GIVE = re.compile(r"给予|予以")
# A clause that is only a cap: "最高1000万元", "最高不超过50万元", "每家最多100万元".
_LEADING_CAP = re.compile(r"\s*(?:每年|每家|每个|单个|单家|其中)?(?:最高|最多)?(?:不超过|不高于)?(?:可达|为)?")
# Where the subject a cap clause names ends ("汽车芯片单笔保单补贴金额最高…" → 汽车芯片单笔保单).
_CAP_SUBJECT_END = re.compile(r"最高|最多|不超过|不高于|上限|封顶|金额|总额|给予|予以|奖励|补助|补贴|资助|支持|补偿|贴息")
# What follows an item's figure and still belongs to it: its kind word and the conjunction after.
_PREVIOUS_TAIL = re.compile(r"的?(?:一次性)?(?:资金|经费)?(?:支持|奖励|补助|补贴|资助|奖补|扶持|贴息|配套)?[和及与、,，\s]*")
# A list of amounts by category after 按: "按博士每人10000元、硕士每人7000元、其他每人5000元标准给予补贴".
_TIER_FIRST = re.compile(r"按(?:照)?(?P<who>(?!每)[\u4e00-\u9fff]{0,6}?)每[\u4e00-\u9fff]{1,2}$")
_TIER_NEXT = re.compile(r"[、,，](?P<who>[\u4e00-\u9fff]{1,6}?)每[\u4e00-\u9fff]{1,2}")
_TRAILING_AN = re.compile(r"按照?$")
_DIGIT = re.compile(r"[0-9]")
# A cap clause says whose cap it is: per recipient, per year, in total.
# Words that count what a cap applies to, one at a time: 单个企业, 单台设备, 每家, 每笔.
_ONE_EACH = "单个|单户|单家|单笔|单项|单台|单套|单次|每笔|每家|每个|每户|每项|每台|每套|每次"
_CAP_SCOPE = re.compile(rf"{_ONE_EACH}|每年|累计|总额|合计|年度|总计|同一")
# Words that may open a clause before an amount that names its own kind ("每人每年1000元的交通补贴"),
# among them the applicant's verb ("…的,可申请1万元的一次性创业补贴").
_LEADING_FILLER = re.compile(
    r"[\s]*(?:分别|一次性|每家|每个|每户|每人|每名|每年|每月|各|市级|省级|区级|县级|再|另|"
    r"可以|均可|可|申请|申领|领取|获得)*"
)
# The kind named right after the amount, with a few words of its own name ("的一次性创业补贴").
_KIND_AFTER = re.compile(r"的?(?:一次性)?[\u4e00-\u9fff]{0,4}?(?:奖励|补助|补贴|资助|奖金|扶持资金|资金支持|配套)")
_SCOPE_PHRASE = re.compile(
    rf"(?:涉及|对)?(?:每年|年度)?(?:{_ONE_EACH}|一个|每一|同一|总|累计|合计)"
    r"[\u4e00-\u9fff的]{0,16}|(?:每年|年度|累计|合计|总计)"
)
_SEPARATOR_ONLY = re.compile(r"[\s、和及与或,，]*")
_PER_PHRASE = re.compile(
    r"每(?![年月家个户项])[^,，。;；\d]{0,8}?(?:\d+|[一二三四五六七八九十两]+)\s*"
    r"(?P<unit>位次|个|家|项|人|名|件|亩|年|次|台|套|吨|平方米|万元)"
)
# "每人最高可补贴300元": counted per person even with words between.
_PER_COUNTED = re.compile(r"每(?P<unit>人|名|亩|吨|台|套|件|平方米|床|辆)(?![次年])")
_PER_DIRECT = re.compile(r"每(?P<unit>[\u4e00-\u9fff]{1,2}?)(?:每[年月])?$")
# Kind words, in the form an item records them.
KINDS = {
    "风险补偿": "风险补偿", "贴息": "贴息", "配套": "配套", "后补助": "补助", "补助": "补助", "补贴": "补贴",
    "资助": "资助", "奖补": "奖补", "奖励": "奖励", "奖金": "奖励", "支持": "支持", "扶持": "支持",
    "税收优惠": "税收优惠", "补偿": "补偿",
}
_KIND = re.compile("|".join(sorted(KINDS, key=len, reverse=True)))
_COUNT_OF_YEARS = r"(?:\d+|[一二三四五六七八九十两])年"
# "3年(?=10%)": a rate for a number of years. Spelt out from each first character, so
# that every alternative of _PERIOD starts with a literal.
_YEARS_AT_RATE = "|".join([rf"{d}\d*年(?=\d+(?:\.\d+)?%)" for d in "0123456789"]
                          + [rf"{c}年(?=\d+(?:\.\d+)?%)" for c in "一二三四五六七八九十两"])
# "补贴期限最长不超过12个月", "贴息期限不超过2年": the longest a benefit is paid.
_LONGEST_TERM = r"(?:为|最长|最多)?(?:不超过|不超)?(?:\d+|[一二三四五六七八九十两]+)(?:个月|年)"
_PERIOD = re.compile(
    rf"一次性|连续{_COUNT_OF_YEARS}|前{_COUNT_OF_YEARS}|后{_COUNT_OF_YEARS}|每年|每月|"
    rf"累计不超过{_COUNT_OF_YEARS}|{_YEARS_AT_RATE}|期限(?P<term>{_LONGEST_TERM})|分{_COUNT_OF_YEARS}"
)
_TAX_HOW = re.compile(r"按|减按|依照|依据")
_TERM_DIGITS = re.compile(r"(?:\d+|[一二三四五六七八九十两]+)(?:个月|年)")
# "连续补贴3年" is "连续3年" with the benefit's verb between.
# "补贴3年" (how many years a benefit is paid) reads as "3年".
_RUN_OF_YEARS = re.compile(rf"(?:补贴|补助|资助|奖励|扶持|发放|享受)(?P<n>{_COUNT_OF_YEARS})(?![以内前后])")
# A label line of a service guide: 补贴对象:… / 补贴标准:… / 补贴期限:…
_MATCHING_WORD = re.compile(r"配套|匹配|比例")
_PER_TIME = re.compile(r"元/([年月])")
_LABEL_WORDS = frozenset(("对象", "标准", "期限", "额度", "条件"))
_LINE = re.compile(r"[^\n]+")
_UNQUANTIFIED = re.compile(
    r"给予[^,，。;；]{0,12}?(?:支持|奖励|补助|补贴|奖补|扶持|资助|贴息|补偿|配套|激励)|"
    r"予以[^,，。;；]{0,12}?(?:支持|奖励|补助|补贴|奖补|扶持|资助|贴息|补偿|配套|激励)|“一事一议”?|一事一议”?|"
    r"税收优惠|税前加计扣除|所得税优惠|税收减免|免征|减征|按(?:照)?一定比例(?:给予)?(?:奖励|补助|补贴|奖补)"
)


@dataclass(slots=True)
class _Value:
    """One benefit figure, with where its benefit expression starts."""

    start: int
    end: int
    sort: str                      # money | ratio | matching
    yuan: float | None = None
    low: float | None = None
    per: str | None = None
    ratio: float | None = None
    ratio_min: float | None = None
    role: str = "none"             # benefit | cap | none
    verb_at: int = -1
    clause: tuple[int, int] = (0, 0)
    tier: tuple[int, int] | None = None  # "按博士每人10000元、硕士每人7000元": the category words


@dataclass(slots=True)
class _Draft:
    """An item being built: fields settle as later clauses (caps) are read."""

    recipient: Phrase
    kind: str
    basis: str
    value: _Value
    unit: str | None
    period: str | None
    quote: tuple[int, int]
    clues: list[str] = field(default_factory=list)
    cap_yuan: float | None = None
    sentence: int = 0              # index of the 。-sentence
    part: int = 0                  # index of the ;-part


@dataclass(slots=True)
class _Article:
    """What an article says once for all its items (label lines of a service guide)."""

    no: int | None
    title: str
    start: int
    end: int
    target: Phrase = EMPTY         # 补贴对象
    period: str | None = None      # 补贴期限
    requirements: tuple[str, ...] = ()  # the lines under 补贴条件/申报条件, each read into conditions


def _label_marks(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """(start, end, what) of each label (补贴对象: / 补贴标准: …) in text[start:end].

    Found from the colons (the normalised text writes every colon ":"), which are few,
    rather than by a pattern tried at every position of the article.
    """
    marks: list[tuple[int, int, str]] = []
    i = text.find(":", start, end)
    while i >= 0:
        # "补贴标准为:" is the label "补贴标准:" with its copula.
        at = i - 1 if text[i - 1:i] == "为" else i
        what = text[at - 2:at]
        if at - 2 >= start and what in _LABEL_WORDS:
            marks.append((at - 2, i + 1, what))
        i = text.find(":", i + 1, end)
    return marks


def extract(mapped: MappedText, articles: Sequence[Article],
            outside: Sequence[tuple[int, int]] = ()) -> tuple[Item, ...]:
    """The benefit items of every article (of the whole text when no articles were found).

    `outside` are the body's stretches outside every article (normalised offsets, from
    `structure.uncovered`): their items have no article.
    """
    spans: list[tuple[int | None, str, int, int]]
    if articles:
        spans = [(a.no, a.title, mapped.locate(a.start), mapped.locate(a.end)) for a in articles]
        spans += [(None, "", start, end) for start, end in outside]
        spans.sort(key=lambda s: s[2])
    else:
        # No numbering found (a table, a short notice): each line stands for itself.
        spans = [(None, "", m.start(), m.end()) for m in _LINE.finditer(mapped.text)]
    items: list[Item] = []
    for no, title, start, end in spans:
        items.extend(_read_article(mapped, _Article(no, title, start, end)))
    return tuple(items)


_SENTENCE_MARK = re.compile(r"[。;；!?！？\n]")


def _sentences(text: str, start: int, end: int) -> list[tuple[int, int, int]]:
    """(start, end, index of the 。-sentence) for each ;-part of the text."""
    out: list[tuple[int, int, int]] = []
    s = start
    full = 0
    for m in _SENTENCE_MARK.finditer(text, start, end):
        i = m.start()
        if i > s:
            out.append((s, i, full))
        if m.group(0) not in ";；":
            full += 1
        s = i + 1
    if end > s:
        out.append((s, end, full))
    return out


# A guide card's field row names who it serves without a colon: "工具分类资金支持服务对象符合条件的农业项目",
# "服务对象\n在本市范围内…" (the value on the next lines), "服务\n对象" (the label broken by the layout).
_FIELD_WHO = frozenset(("服务", "支持", "申报", "申请", "适用", "补贴", "补助", "扶持", "奖励", "资助"))
# The card's next field, at the start of a line ("服务内容", "条件要求", "时间/频度"): where that value ends.
_FIELD_LABEL = re.compile(
    r"\s*(?:服务|支持|申报|申请|适用|补贴|补助|扶持|奖励|资助|政策|条件|办理|时间|联络|依据|发文|发布|工具|实施)"
    r"\s*/?\s*(?:内容|标准|条件|要求|流程|材料|方式|频度|期限|额度|程序|文件|字号|日期|分类|对象)"
)
_FIELD_LINES = 12  # a value longer than this many lines is not a field's


def _who_field(mapped: MappedText, start: int, end: int) -> tuple[int, Phrase]:
    """(label start, value) of the first 服务对象 / 支持对象 / 申报对象 / 适用对象 field row without a colon.

    Found from each "象" of the article (few), read backwards over the layout's breaks. The label is a
    field only where it opens its line or follows another field label of the row (not prose).
    The value runs from the label to the card's next field line (see `_field_value`).
    """
    text = mapped.text
    i = text.find("象", start, end)
    while i >= 0:
        # The three characters before 象, over at most four layout breaks ("服务\n对象").
        j, got, gaps = i - 1, [], 0
        while j >= start and len(got) < 3 and gaps <= 4:
            if text[j] in " \t\n\r":
                gaps += 1
            else:
                got.append(text[j])
            j -= 1
        label_start = j + 1
        if len(got) == 3 and got[0] == "对" and got[2] + got[1] in _FIELD_WHO:
            line_start = text.rfind("\n", start, label_start) + 1
            k = i + 1
            while k < end and text[k] in " \t":
                k += 1
            # Prose ("对…创业项目好的重点扶持对象借款人") is no field: the label opens its line, or follows
            # another field of the row ("工具分类资金支持、政策支持服务对象").
            before = text[line_start:label_start].strip(" \t\u3000")
            if (k < end and text[k] not in ":：" and (not before or _FIELD_LABEL.match(before))
                    and not any(c in before for c in ",，。;；:：")):
                value = _field_value(mapped, k, end)
                if value:
                    return label_start, value
        i = text.find("象", i + 1, end)
    return -1, EMPTY


def _field_value(mapped: MappedText, start: int, end: int) -> Phrase:
    """The value of a field row from `start`: whole lines up to the next field line, less the layout's breaks."""
    text = mapped.text
    if text.startswith("为", start):
        start += 1
    stop, line = end, start
    # The next field on the value's own row ("服务对象符合条件的农业项目服务内容…", a row the layout ran on).
    row_end = text.find("\n", start, end)
    nxt = _FIELD_LABEL.search(text, start + 1, row_end if row_end >= 0 else end)
    if nxt:
        stop = nxt.start()
    else:
        for _ in range(_FIELD_LINES):
            nl = text.find("\n", line, end)
            if nl < 0:
                break  # the value runs to the article's end
            line = nl + 1
            if _FIELD_LABEL.match(text, line):
                stop = line
                break
        else:
            stop = line  # a field's value is a few lines, not the rest of the card
    # Its characters, less the breaks, to the end of its sentence; cut after the first clause that ends
    # on who it is ("…等农业生产经营主体,鼓励补贴政策向…倾斜" → …主体; "在北京地区注册且具有独立法人资格,
    # 从事…的企业、机构、经济组织等单位" runs to 单位).
    positions: list[int] = []
    depth = 0
    for p in range(start, stop):
        ch = text[p]
        if ch in " \t\r\n":
            continue
        if ch in "(（":
            depth += 1
        elif ch in ")）":
            depth = max(0, depth - 1)
        elif ch in "。;；":
            break
        elif depth == 0 and ch in ",，" and _ends_on_who("".join(text[q] for q in positions)):
            break
        positions.append(p)
    return recipients.strip(Phrase("".join(text[q] for q in positions), tuple(positions)))


_WHO_TAIL = re.compile(r"(?:[(（][^)）]*[)）]|等)+$")


def _ends_on_who(text: str) -> bool:
    """The text ends on a recipient type ("…涉农企业等农业生产经营主体", "…企业(以下简称企业)")."""
    m = _WHO_TAIL.search(text)
    if m:
        text = text[:m.start()]
    n = len(text)
    return any(m.end() == n for m in conditions.lexicon().type_re.finditer(text, max(0, n - 12)))


def _labels(mapped: MappedText, art: _Article) -> _Article:
    text = mapped.text
    labels = _label_marks(text, art.start, art.end)
    field_at, art.target = _who_field(mapped, art.start, art.end) if text.find("象", art.start, art.end) >= 0 \
        else (-1, EMPTY)
    lines: list[Phrase] = []
    for k, (label_start, label_end, what) in enumerate(labels):
        line_end = min([i for i in (text.find("\n", label_end, art.end), text.find("。", label_end, art.end)) if i >= 0]
                       or [art.end])
        if what == "条件" and not art.requirements:
            # The block runs to the next label: "(1)…;\n(2)…" → one requirement per line.
            block_end = labels[k + 1][0] if k + 1 < len(labels) else art.end
            last_break = text.rfind("\n", label_end, block_end)
            if last_break > label_end:
                block_end = last_break  # the next label's own line starts there
            lines = [recipients.strip(Phrase.span(mapped, a.start(), a.end()))
                     for a in _LINE.finditer(text, label_end, block_end)]
            art.requirements = tuple(x for x in (line.text.rstrip("。;；") for line in lines) if x)
        elif what == "对象" and (not art.target or label_start < field_at):
            # The first recipient label wins: a 补贴对象: line before the card's field row too.
            art.target = recipients.strip(Phrase.span(mapped, label_end, line_end))
            field_at = -1
        elif what == "期限" and art.period is None:
            art.period = text[label_end:line_end].strip(" 。") or None
    if art.requirements and art.target and _QUALIFIED_ONLY.fullmatch(_BRACKETED.sub("", art.target.text)):
        # "补贴对象:符合条件的创业者" points to the 补贴条件 lines; the one that says what the applicant
        # does ("(2)初创企业租赁场地用于经营…") is who it is: "初创企业租赁场地用于经营的创业者".
        action = next(filter(None, (_action(mapped, line) for line in lines)), None)
        if action:
            art.target = action + art.target[art.target.text.find("的"):]
    return art


# A requirement's subject and its act: a recipient type (or size: 小微企业) opening the line, a verb right after it.
_NOT_VERB = "的、和及与或等,，:：;；(（"
_COUNTED = re.compile(r"[0-9]|[一二三四五六七八九十两]+(?:年|个月|周岁|人|家|次)")


def _action(mapped: MappedText, line: Phrase) -> Phrase | None:
    """The first clause of a requirement line that says what the applicant does, less its bracketed notes
    ("初创企业招用员工(签订1年以上…)" → 初创企业招用员工); None for a line that lists who qualifies
    ("①普通高等学校…学生"), names a threshold ("初创企业登记注册满6个月") or has no subject."""
    text = line.text
    numbering = mapped.text[mapped.text.rfind("\n", 0, line.start) + 1:line.start].strip()
    if not text or numbering and "\u2460" <= numbering[0] <= "\u2473":
        return None  # ①…⑳ list alternatives ("符合以下条件之一"), not what every applicant does
    lex = conditions.lexicon()
    subject = lex.type_re.match(text) or lex.size_re.match(text)
    if not subject or subject.end() >= len(text) or text[subject.end()] in _NOT_VERB:
        return None
    first = recipients.clauses(text, 0, len(text))[0]
    pieces, at = [], first[0]
    for m in _BRACKETED.finditer(text, first[0], first[1]):
        pieces.append((at, m.start()))
        at = m.end()
    pieces.append((at, first[1]))
    clause = "".join(text[a:b] for a, b in pieces)
    if _COUNTED.search(clause) or clause.endswith("之一"):
        return None
    phrase = EMPTY
    for a, b in pieces:
        if b > a:
            phrase = phrase + line[a:b]
    return phrase


_TOPIC = re.compile(r"(?:凡是|凡|对于|对)(?P<who>[^。;；\n]{2,60}?)(?:[,，。;；]|给予|$)")


def _topic(mapped: MappedText, start: int, end: int) -> Phrase:
    """The last 对… phrase before a benefit that names nobody ("对项目投产后根据绩效可以申请奖励。…给予80%的奖励")."""
    found = None
    for found in _TOPIC.finditer(mapped.text, start, end):
        pass
    if not found:
        return EMPTY
    return recipients.strip(Phrase.span(mapped, found.start("who"), found.end("who")))


_START = attrgetter("start")
# A cheap first look: no digit, 元, % or 百分之 means no figure to read. Digits are ASCII
# here (the normaliser turned full-width ones into ASCII), and [0-9] is cheaper to test
# at every character than \d, which looks the character up in the Unicode tables.
_FIGURE = re.compile(r"[0-9%‰元之]")


def _values(mapped: MappedText, start: int, end: int, standard: bool, spans: list[tuple[int, int]]) -> list[_Value]:
    """The figures of a ;-part (its clauses are `spans`), each with its role (benefit, cap or none)."""
    text = mapped.text
    raw: list[_Value] = []
    for m in find_money(text, start, end):
        raw.append(_Value(m.start, m.end, "money", yuan=m.yuan, low=m.low_yuan, per=m.per))
    for r in find_ratios(text, start, end):
        raw.append(_Value(r.start, r.end, "ratio", ratio=r.value, ratio_min=r.low))
    for x in find_matching(text, start, end):
        raw.append(_Value(x.start, x.end, "matching", ratio=x.value))
    raw.sort(key=_START)
    starts = [cs for cs, _ in spans]
    values: list[_Value] = []
    for v in raw:
        if values and v.start < values[-1].end:
            continue
        # Clauses are in order and do not overlap: the one holding v starts last at or before it.
        k = bisect_right(starts, v.start) - 1
        if k >= 0 and v.start >= spans[k][1]:
            k = -1
        v.clause = spans[k] if k >= 0 else (start, end)
        following = spans[k + 1] if 0 <= k < len(spans) - 1 else (v.clause[1], v.clause[1])
        _classify(text, v, standard, following, spans[k - 1] if k > 0 else None)
        if v.role == "none" and values and values[-1].tier and values[-1].clause == v.clause:
            tier = _TIER_NEXT.fullmatch(text, values[-1].end, v.start)
            if tier:
                v.role, v.verb_at, v.tier = "benefit", values[-1].verb_at, tier.span("who")
        values.append(v)
    return values


def _classify(text: str, v: _Value, standard: bool, following: tuple[int, int],
              preceding: tuple[int, int] | None = None) -> None:
    cs, ce = v.clause
    before = text[cs:v.start]
    after = text[v.end:ce]
    verbs = list(BENEFIT_VERB.finditer(text, cs, v.start))
    verb = verbs[-1] if verbs else None
    if v.sort == "money":
        if _THRESHOLD_AFTER.match(after):
            return
        if verb and not _THRESHOLD_BETWEEN.search(text, verb.end(), v.start):
            v.role, v.verb_at = "benefit", verb.start()
            return
        # "按每人2000元给予补贴", "按单个产品不超过500万元…给予分档奖励": the verb follows.
        base = _MONEY_BASE.search(before)
        # "按照每人3000元标准,给予…": the verb may open the next clause.
        then = after if after.strip() not in ("标准", "的标准") else text[following[0]:following[1]]
        if base and "对" not in before[base.end():] and BENEFIT_VERB.search(then):
            v.role, v.verb_at = "benefit", cs + base.start()
            tier = _TIER_FIRST.match(text, cs + base.start(), v.start)
            if tier and tier.end("who") > tier.start("who"):
                v.tier = tier.span("who")
            return
        if standard and not _THRESHOLD_BETWEEN.search(before):
            v.role, v.verb_at = "benefit", v.start
            return
        # "获得一等奖的,一次性20万元奖励": the amount opens its clause and names its kind.
        if _LEADING_FILLER.fullmatch(before) and _KIND_AFTER.match(after):
            v.role, v.verb_at = "benefit", cs
            return
        if CAP_WORDS.search(before):
            v.role, v.verb_at = "cap", v.start
            # "给予新落户的总部企业开办补助,最高1000万元": the clause before gives the benefit
            # and names no figure of its own; the 最高 amount is how much it is.
            if preceding and not verb and _LEADING_CAP.fullmatch(before):
                given = _GIVE.search(text, *preceding)
                if given and _KIND.search(text, given.end(), preceding[1]) and not _FIGURE.search(text, *preceding):
                    v.role, v.verb_at = "benefit", given.start()
        return
    if v.sort == "ratio":
        if _RATIO_NOT_BENEFIT_AFTER.match(after) or _SCHEDULE_BASE.search(before):
            return
        if verb and not _RATIO_BETWEEN.search(text, verb.end(), v.start) and "对" not in text[verb.end():v.start]:
            v.role, v.verb_at = "benefit", verb.start()
            return
        bases = list(_BASE.finditer(text, cs, v.start))
        # The verb may open the next clause: "可按不超过年度研发投入30%的,给予…最高5000万元的支持".
        then = after if BENEFIT_VERB.search(after) or _KIND.search(after) else text[following[0]:following[1]]
        # "…每月按不低于当地最低工资80%的标准对见习人员支付工作补贴的,": a clause ending in 的 is a
        # condition the applicant meets, and what it pays is not what it gets.
        if text[ce - 1:ce] == "的" or "支付" in after:
            return
        if bases and "对" not in text[bases[-1].end():v.start] and (BENEFIT_VERB.search(then) or _KIND.search(then)):
            if not _RATIO_BETWEEN.search(text, bases[-1].end(), v.start):
                v.role, v.verb_at = "benefit", bases[-1].start()
        return
    # matching: 1:1 配套
    if _MATCHING_WORD.search(text, cs, ce):
        bases = list(_BASE.finditer(text, cs, v.start))
        v.role = "benefit"
        v.verb_at = bases[-1].start() if bases else (verb.start() if verb else v.start)


def _groups(text: str, values: list[_Value]) -> list[list[_Value]]:
    """Runs of benefit figures of one sort that share a verb ("1000万元、500万元")."""
    groups: list[list[_Value]] = []
    for v in values:
        if v.role != "benefit" and v.role != "cap":
            continue
        if (groups and groups[-1][-1].sort == v.sort and v.role == "benefit" == groups[-1][-1].role
                and (_SEPARATOR_ONLY.fullmatch(text[groups[-1][-1].end:v.start]) or v.tier and groups[-1][-1].tier)
                and not (v.sort == "money" and CAP_WORDS.search(text, v.clause[0], v.start) and v.clause != groups[-1][-1].clause)):
            v.verb_at = groups[-1][0].verb_at
            groups[-1].append(v)
        else:
            groups.append([v])
    return groups


def _read_article(mapped: MappedText, art: _Article) -> list[Item]:
    text = mapped.text
    unquantified = list(_UNQUANTIFIED.finditer(text, art.start, art.end))
    figure = _FIGURE.search(text, art.start, art.end)
    if not (unquantified or figure):
        return []
    # The next figure at or after the part being read: the article is scanned for figures once.
    next_figure = figure.start() if figure else art.end
    art = _labels(mapped, art)
    # Where the article's unquantified wordings lie: a part (or clause) holds one only where these say so.
    unquantified_at = [m.start() for m in unquantified]
    unquantified_end = [m.end() for m in unquantified]
    drafts: list[_Draft] = []
    covered: list[tuple[int, int]] = []
    standard_until = -1
    # A 对… phrase may run over ;-parts that list conditions ("对企业取得…;研发并取得…;…投产达效后,给予…").
    carry: tuple[int, int] | None = None
    for p_index, (ps, pe, s_index) in enumerate(_sentences(text, art.start, art.end)):
        open_start = carry[0] if carry and carry[1] == s_index else ps
        marks = _label_marks(text, ps, pe) if text.find(":", ps, pe) >= 0 else ()
        label = marks[0] if marks else None
        if label and label[2] in ("标准", "额度"):
            nl = text.find("\n", label[1], art.end)
            standard_until = nl if nl >= 0 else art.end
        standard = ps < standard_until
        k = bisect_left(unquantified_at, ps)
        has_unquantified = k < len(unquantified_at) and unquantified_at[k] < pe
        if next_figure < ps:
            figure = _FIGURE.search(text, ps, art.end)
            next_figure = figure.start() if figure else art.end
        has_figure = next_figure < pe
        # The part's clauses, read once for its figures and its unquantified benefits.
        spans = recipients.clauses(text, ps, pe) if has_figure or has_unquantified else []
        values = _values(mapped, ps, pe, standard, spans) if has_figure else []
        seg_start = open_start
        part_drafts: list[_Draft] = []
        for group in _groups(text, values) if values else ():
            if _attach_cap(text, group, drafts, part_drafts, s_index, p_index, ps):
                seg_start = max(seg_start, group[-1].clause[1])
                continue
            if group[0].role != "benefit":
                continue
            new = _drafts_for(mapped, art, group, seg_start, open_start, part_drafts, s_index, p_index, drafts)
            part_drafts.extend(new)
            drafts.extend(new)
            seg_start = max(seg_start, group[-1].clause[1])
            if new:
                covered.append((min(d.quote[0] for d in new), group[-1].clause[1]))
        before = len(drafts)
        if has_unquantified:
            _unquantified(mapped, art, ps, pe, spans, (unquantified_at, unquantified_end), s_index, p_index, covered,
                          drafts)
        opens = carry is not None or text.find("对", ps, pe) >= 0 or text.find("凡", ps, pe) >= 0
        if len(drafts) == before and opens and not BENEFIT_VERB.search(text, ps, pe):
            carry = (open_start, s_index)
        else:
            carry = None
    # Read each recipient's conditions once (distributed and fallback recipients repeat), and the
    # guide's requirement lines once for the whole article.
    required = tuple(c for line in art.requirements for c in conditions.requirement(line)) if art.requirements else ()
    read: dict[str, tuple[Condition, ...]] = {}
    return [_item(mapped, art, d, read, required) for d in sorted(_without_restatements(drafts), key=lambda d: d.quote[0])]


def _without_restatements(drafts: list[_Draft]) -> list[_Draft]:
    """Drop "对X给予补助" where the article also says how much X gets ("…按投资额的1%给予补助,最高300万元"):
    the unquantified wording only announces the quantified item of the same kind and recipient."""
    quantified = [d for d in drafts if d.basis != "unquantified"]
    if not quantified or len(quantified) == len(drafts):
        return drafts
    def announced(u: _Draft) -> bool:
        who = u.recipient.text
        return bool(who) and any(q.kind == u.kind and q.quote[0] > u.quote[0] and q.recipient.text
                                 and (who in q.recipient.text or q.recipient.text in who) for q in quantified)
    return [d for d in drafts if d.basis != "unquantified" or not announced(d)]


def _attach_cap(text: str, group: list[_Value], drafts: list[_Draft], part_drafts: list[_Draft],
                s_index: int, p_index: int, part_start: int) -> bool:
    """Read "最高不超过50万元" after an item as that item's cap; True when it was one."""
    if len(group) != 1 or group[0].sort != "money":
        return False
    v = group[0]
    cs, ce = v.clause
    before = text[cs:v.start]
    if not (CAP_WORDS.search(before) or text.startswith("以内", v.end)):
        return False
    # "对单家企业年度利息补贴不超过50万元" counts recipients; "对X企业…" names new ones.
    if _NEW_RECIPIENT.search(before):
        return False
    scoped = _CAP_SCOPE.search(before)
    # A ratio earlier in the same clause: "按照项目投入的10%给予最高200万元奖励".
    same_clause = [d for d in part_drafts if d.value.clause == v.clause and d.basis == "ratio" and d.cap_yuan is None]
    if same_clause:
        targets = same_clause
    else:
        open_ = [d for d in drafts if d.sentence == s_index and d.cap_yuan is None and d.basis in ("ratio", "per_unit")]
        last = [d for d in part_drafts if d.cap_yuan is None]
        # A sentence that only caps the item before it: "…单笔补贴不超过200万元。每年每家投资机构补贴总额不超过500万元。"
        previous = []
        if scoped and not part_drafts and not _GIVE.search(before):
            previous = [d for d in drafts if d.sentence in (s_index, s_index - 1) and d.part < p_index
                        and d.basis in ("ratio", "per_unit", "matching")]
        if open_:
            targets = open_
        elif last and scoped:
            targets = [last[-1]]
        elif previous and not text[:cs].rstrip().endswith((",", "，")):
            targets = [previous[-1]]
        else:
            return False
        # The clause names its own subject ("汽车芯片单笔保单补贴金额最高不超过500万元"): a new item.
        # A cap only counts ("单个企业年度", "每年每家投资机构", "涉及单家企业的年度").
        # Its words run from the figure before it in its clause (less that item's kind word and the
        # conjunction: "500万元支持和投资性补助最高100万元"), from its clause's start, or from the part's
        # start where the part has no item yet ("…(GYB),每人最高可补贴300元;创办企业培训(SYB),每人最高…").
        own_start = cs if part_drafts else part_start
        same = [d.value.end for d in part_drafts if d.value.clause == v.clause and d.value.end <= v.start]
        if same:
            own_start = _PREVIOUS_TAIL.match(text, max(same), v.start).end()  # type: ignore[union-attr]
        own = _CAP_SUBJECT_END.split(text[own_start:v.start], 1)[0]
        own = recipients.strip(Phrase(own, range(own_start, own_start + len(own)))).text
        if own and not _SCOPE_PHRASE.fullmatch(own):
            return False
    for d in targets:
        if d.cap_yuan is None:
            d.cap_yuan = v.yuan
        d.clues.append(text[cs:ce].strip())
        d.quote = (d.quote[0], max(d.quote[1], ce))
    return True


def _drafts_for(mapped: MappedText, art: _Article, group: list[_Value], seg_start: int, part_start: int,
                part_drafts: list[_Draft], s_index: int, p_index: int,
                drafts_so_far: list[_Draft]) -> list[_Draft]:
    text = mapped.text
    first, last = group[0], group[-1]
    cs, ce = first.clause
    verb_at = first.verb_at
    rec = recipients.find(mapped, seg_start, verb_at, part_start)
    if text.startswith("按", verb_at):
        # Named after the amount: "广东省按每人10000元标准向承办机构支付培训补助" (广东省 pays);
        # "按照每人3000元标准,给予每名新招募…人员一次性安家费补贴" where nobody is named before.
        rec = _object_after(mapped, last, not (rec and _names_someone(rec))) or rec
    if rec and _ROLE_ONLY.fullmatch(rec.text):
        rec = _run_by(mapped, part_start, rec)
    condition_at = -1  # where the words the label stands in for were said: the quote starts there
    if rec and art.target and not _names_someone(rec):
        condition_at = rec.start
        # "每连续租满1年" says how much, the 补贴对象 label says who; a condition that names nobody
        # ("获准在基础层挂牌的", "招用3人以下的") says which of them: the label's words, then the condition
        # (where the label ends on who it is).
        if not recipients.headless(rec):
            rec = art.target
        elif _ends_on_who(art.target.text):
            rec = art.target + rec
    if not rec:
        rec = _fallback(mapped, part_drafts, art, part_start)
        if not rec and text.startswith(("给予", "予以"), verb_at) and verb_at < cs:
            # Nobody named before, and the verb opens its clause: "给予新落户的总部企业开办补助,最高1000万元".
            rec = _given_to(mapped, verb_at + 2, cs)
    elif recipients.headless(rec):
        # "对首次认定的高新技术企业,给予…;对重新认定的,给予…": the sentence's earlier recipients lend their noun.
        earlier = [d for d in drafts_so_far if d.sentence == s_index and d.basis != "unquantified"] or part_drafts
        head = _head(mapped, rec, earlier, part_start)
        rec = recipients.complete(rec, head) if head else rec
    if rec and not _names_someone(rec):
        subject = recipients.with_subject(mapped, part_start, rec)
        if subject is rec and _CONDITION_ONLY.search(rec.text) \
                and not text[max(0, rec.start - 2):rec.start].endswith(("对", "凡", "对于", "凡是")):
            # "…合作社,按其吸纳就业人数给予创业带动就业补贴。招用3人以下的按每人2000元给予补贴": a sentence
            # with no subject of its own says which of those the sentence before named. (Only a condition
            # ending in 的, or in 的 and a per-unit phrase, and not after 对: "对…产品取得商业成果的", "…的转化成果"
            # name their own, in words the lexicon does not know.)
            before = next((d.recipient for d in reversed(drafts_so_far) if d.sentence == s_index - 1
                           and d.recipient and _names_someone(d.recipient)), None)
            if before is not None and before.end <= rec.start:
                subject = before + rec
        rec = subject
    elif rec and _PREPOSITION.match(rec.text) and recipients.headless(rec):
        # "毕业生,向公共就业服务机构以灵活就业人员身份登记…的": a clause that opens with a preposition has its
        # subject before it; the people it names are whom the applicant deals with.
        rec = recipients.with_subject(mapped, part_start, rec)
    elif rec and _QUALIFIED_ONLY.fullmatch(rec.text):
        rec = _with_supported(mapped, part_start, rec)
    # "对培训机构给予创业培训补贴,其中创业意识培训…300元;创办企业培训…1200元": each part after 其中
    # is a kind of the benefit given to the recipient named before it.
    # (Not the label's words: the 其中 of the label's own text is not this sentence's.)
    whole = next((d for d in drafts_so_far if d.sentence == s_index and d.recipient
                  and d.recipient.start != art.target.start
                  and 0 <= text.find("其中", d.recipient.end, cs) < part_start), None)
    if whole and rec and rec.start >= part_start and not rec.text.startswith(whole.recipient.text):
        rec = whole.recipient + rec
    if recipients.RANK.match(rec.text):
        rec = recipients.rank_name(mapped, rec, art.start, art.end)
        if art.target:
            # "符合条件的创业项目" → "…一等奖" + "的创业项目"
            de = art.target.text.rfind("的")
            rec = rec + (art.target[de:] if de >= 0 else art.target)
    rec_end = rec.end if rec and rec.end <= first.start else seg_start
    respectively = "分别" in text[max(rec_end, cs, seg_start):first.start]
    if art.target and rec is art.target:
        # The label says who may apply; the amounts listed after it do not divide that list.
        pairs = [(rec, v) for v in group]
    elif len(group) > 1 and all(v.tier for v in group):
        # "按博士每人10000元、硕士每人7000元…标准给予补贴": the recipient, of each category.
        pairs = [(recipients.drop_de(rec) + Phrase.span(mapped, *v.tier), v) for v in group if v.tier]
    elif len(group) > 1:
        parts = recipients.split(rec, len(group))
        if len(parts) != len(group):
            parts = _threshold_tiers(mapped, rec, len(group)) or [rec] * len(group)
        pairs = list(zip(parts, group))
    elif respectively:
        pairs = [(p, first) for p in recipients.split(rec, None)]
    else:
        pairs = [(rec, first)]
    kind_end = last.clause[1]
    if text[last.end:kind_end].strip() in ("标准", "的标准"):
        kind_end = _clause_after(text, kind_end)  # "按照每人3000元标准,给予…安家费补贴"
    kind = _kind(text, last.end, kind_end, first.verb_at, first.start, art)
    period = _period(text, seg_start, _period_clause_end(text, last.clause[1])) or art.period
    if part_start <= condition_at <= cs:
        quote_start = condition_at
    elif rec and part_start <= rec.start <= cs:
        quote_start = rec.start
    else:
        quote_start = seg_start if seg_start <= cs else cs
    quote = (quote_start, last.clause[1])
    drafts: list[_Draft] = []
    for phrase, v in pairs:
        basis, unit, clue = _basis(text, v, seg_start)
        if unit is not None and clue and clue.startswith(("每人", "每名")) and _counts_recipients(text, phrase, part_start, v):
            basis, unit = "max" if CAP_WORDS.search(text, v.clause[0], v.start) else "fixed", None
        drafts.append(_Draft(recipient=recipients.drop_de(phrase), kind="配套" if basis == "matching" and "配套" in text[cs:ce] else kind,
                             basis=basis, value=v, unit=unit, period=period, quote=quote,
                             clues=[clue] if clue else [], sentence=s_index, part=p_index))
    return drafts


# Words that count people an employer or trainer takes on: 每人 after them is per person taken on.
_TAKES_ON = re.compile(r"招用|招收|招聘|聘用|聘请|吸纳|录用|安置|接收|人数")


def _counts_recipients(text: str, phrase: Phrase, part_start: int, v: _Value) -> bool:
    """每人 counts the recipients themselves, as 每家 does firms, where they are people ("…的毕业生,按每人
    每月300元标准给予补贴"); it counts people taken on where an employer or trainer gets it ("招用3人以下的
    按每人2000元", "向承办机构支付")."""
    who = _NOTES.sub("", phrase.text) if "(" in phrase.text or "（" in phrase.text else phrase.text
    if _subject_type(who) != "个人":
        return False
    return not (_TAKES_ON.search(who) or _TAKES_ON.search(text, part_start, v.start))


_NOTES = re.compile(r"[(（][^)）]*(?:[)）]|$)")  # bracketed notes, one left open by the cut too
_LIST_GLUE = ("、", "和", "及", "与", "或")


_SHORT_GAP = re.compile(r"[\u4e00-\u9fff]{0,3}")
_PHRASE_END = re.compile(r"[的,，;；:：]")


def _subject_type(who: str) -> str | None:
    """The type of whom a recipient is about: the type word it ends on ("组织培训的企业"), else its first noun
    phrase's head: the first type word, or where that one opens a list or modifies a noun after it
    ("普通高等学校、职业学校、技工院校毕业生到…就业", "高校毕业生"), the one the phrase ends on."""
    lex = conditions.lexicon()
    found = None
    matches = list(lex.type_re.finditer(who))
    if matches and matches[-1].end() == len(who.rstrip("等 ")):
        return lex.types.get(matches[-1].group(0))  # "…的企业": the relative clause's head
    for m in matches:
        if found is not None:
            gap = who[found.end():m.start()]
            # A list goes on after 、/和/及; an institution names whose people they are, a few characters before
            # them ("院校应届毕业生"); 的 or a comma ends the phrase.
            if _PHRASE_END.search(gap) or not (gap[:1] in _LIST_GLUE or _SHORT_GAP.fullmatch(gap)
                                               and lex.types.get(m.group(0)) == "个人"):
                break
        found = m
    return lex.types.get(found.group(0)) if found else None


# Who an amount set by 按 goes to, named after it: "按每人10000元标准向承办机构支付培训补助",
# "按照每人3000元标准,给予每名新招募…的“三支一扶”人员一次性安家费补贴".
_OBJECT_AFTER = re.compile(
    r"(?:向|对)(?P<to>[^,，。;；]{2,40}?)(?:支付|拨付|发放|给予|予以)|"
    r"给予(?:每名|每位|每个|每家|每户)?(?P<given>[^,，。;；]{2,40}?)(?:一次性)?[\u4e00-\u9fff]{0,4}?(?:补贴|补助|奖励|资助)(?=[,，。;；]|$)"
)


def _given_to(mapped: MappedText, start: int, end: int) -> Phrase:
    """Who a sentence that opens with its verb gives to: "给予新落户的总部企业开办补助" → 新落户的总部企业
    (up to the last recipient type before the benefit's name), or EMPTY."""
    text = mapped.text
    kind = _KIND.search(text, start, end)
    stop = kind.start() if kind else end
    last = None
    for last in conditions.lexicon().type_re.finditer(text, start, stop):
        pass
    return recipients.strip(Phrase.span(mapped, start, last.end())) if last else EMPTY


def _clause_after(text: str, at: int) -> int:
    """Where the clause after the mark at `at` ends."""
    ends = [i for i in (text.find(c, at + 1, at + 80) for c in ",，。;；\n") if i >= 0]
    return min(ends) if ends else min(len(text), at + 80)


def _object_after(mapped: MappedText, value: _Value, given: bool) -> Phrase:
    """The recipient named after an amount that comes before its verb (向X支付; 给予X…补贴 if `given`), or EMPTY."""
    text = mapped.text
    stop = _clause_after(text, value.clause[1])
    m = _OBJECT_AFTER.search(text, value.end, stop)
    if not m:
        return EMPTY
    group = "to" if m.group("to") is not None else "given"
    if group == "given" and not given:
        return EMPTY
    phrase = recipients.strip(Phrase.span(mapped, m.start(group), m.end(group)))
    # An institution named by its role ("承办机构", "培训机构") is someone too.
    return phrase if _names_someone(phrase) or phrase.text.endswith("机构") else EMPTY


_BRACKETED = re.compile(r"[(（][^)）]*[)）]")
# An institution named only by its role towards something else ("承办机构": it runs what?).
_ROLE_ONLY = re.compile(r"(?:承办|承训|实施|运营|执行)(?:机构|单位)")
_TAKES_PART = re.compile(r"参加|参与")


def _run_by(mapped: MappedText, part_start: int, rec: Phrase) -> Phrase:
    """A role named alone, with what the sentence said people take part in before it: "可报名参加广东省每年组织的
    免费…能力提升培训,…向承办机构支付" → 广东省每年组织的免费…能力提升培训承办机构."""
    text = mapped.text
    found = None
    for found in _TAKES_PART.finditer(text, part_start, rec.start):
        pass
    if not found:
        return rec
    end = min([i for i in (text.find(c, found.end(), rec.start) for c in ",，") if i >= 0] or [rec.start])
    activity = recipients.strip(Phrase.span(mapped, found.end(), end))
    return activity + rec if activity else rec


_PREPOSITION = re.compile(r"向|到|从|与|通过")
_CONDITION_ONLY = re.compile(r"的(?:每[^的]*)?$")
# A recipient that only says it qualifies ("符合条件的项目"): what it is, the sentence said before.
_QUALIFIED_ONLY = re.compile(r"(?:符合条件|符合要求|符合规定|经认定)的[\u4e00-\u9fff]{1,6}")
_SUPPORTS = re.compile(r"支持|鼓励|引导")


def _with_supported(mapped: MappedText, part_start: int, rec: Phrase) -> Phrase:
    """"支持企业申请…技术改造项目,对符合条件的项目给予…": the supported activity, then the qualifier."""
    text = mapped.text
    for cs, ce in reversed(recipients.clauses(text, part_start, rec.start)):
        if _SUPPORTS.match(text, cs):
            return recipients.strip(Phrase.span(mapped, cs, ce)) + rec
    return rec


def _names_someone(rec: Phrase) -> bool:
    lex = conditions.lexicon()
    # A bracketed note ("(不含创业者本人)") names whom it leaves out, not the recipient.
    text = _BRACKETED.sub("", rec.text) if "(" in rec.text or "（" in rec.text else rec.text
    return bool(lex.type_re.search(text) or lex.honour_re.search(text) or recipients.RANK.match(text))


def _fallback(mapped: MappedText, part_drafts: list[_Draft], art: _Article, part_start: int) -> Phrase:
    """A benefit that names nobody is for the recipient before it, or the one the article names."""
    if part_drafts:
        return part_drafts[-1].recipient
    # A 对… phrase after the label is nearer: "对开展首轮投资的投资机构…。按照实际投资额的20%给予…"
    # under a card's 服务对象 field. (Only the text after the label is searched.)
    topic = _topic(mapped, art.target.end if art.target else art.start, part_start)
    if topic:
        return topic
    if art.target:
        return art.target
    # "…打造…技术应用与场景建设项目。单个项目可按照不超过核定总投入的80%,给予最高500万元":
    # the sentence before says who.
    for cs, ce in reversed(recipients.clauses(mapped.text, art.start, part_start)):
        candidate = Phrase.span(mapped, cs, ce)
        if recipients.adverbial(candidate.text):
            continue
        candidate = recipients.strip(candidate)
        if recipients.substantive(candidate) and _names_someone(candidate):
            return candidate
    return EMPTY


def _head(mapped: MappedText, rec: Phrase, part_drafts: list[_Draft], part_start: int) -> Phrase:
    """The noun a headless recipient leaves out: the previous recipient's, or the honour the sentence is about."""
    topic = recipients.topic(mapped, part_start, rec.start)
    prev = part_drafts[-1].recipient if part_drafts else EMPTY
    if topic and (not prev or topic.start > prev.end):
        return topic
    head = recipients.head_of(prev) if prev else EMPTY
    return head or topic


def _threshold_tiers(mapped: MappedText, rec: Phrase, count: int) -> list[Phrase] | None:
    """Tiers named by a list of thresholds ("年营业收入首次超过100亿元、50亿元…的企业")."""
    found = find_money(rec.text)
    if len(found) != count:
        return None
    out = []
    for m in found:
        out.append(rec[:found[0].start] + rec[m.start:m.end] + rec[found[-1].end:])
    return out


def _basis(text: str, v: _Value, seg_start: int) -> tuple[str, str | None, str | None]:
    """(basis, unit, clue) of one figure."""
    if v.sort == "matching":
        return "matching", None, text[v.start:v.end]
    if v.sort == "ratio":
        return "ratio", None, None
    cs, _ce = v.clause
    if v.per and v.per not in ("年", "月"):  # "5万元/年" is an amount each year: see period
        return "per_unit", v.per, text[v.start:v.end]
    direct = _PER_DIRECT.search(_TRAILING_AN.sub("", text[cs:v.start]))
    if direct and direct.group("unit")[0] not in "年月家个户所项":
        return "per_unit", direct.group("unit"), direct.group(0)
    counted = _PER_COUNTED.search(text, cs, v.start)
    if counted:
        return "per_unit", counted.group("unit"), text[counted.start():v.end]
    region = text[seg_start:v.start]
    per = None
    for per in _PER_PHRASE.finditer(region):
        pass
    if per:
        unit = per.group("unit")
        if unit == "个" and region.startswith("位次", per.end()):
            unit = "位次"
        return "per_unit", unit, per.group(0)
    lead = text[max(cs, v.verb_at - 4):v.start]
    cap = CAP_WORDS.search(lead)
    if cap:
        return "max", None, text[cap.start() + max(cs, v.verb_at - 4):v.end]
    if v.low is not None:
        return "max", None, text[v.start:v.end]
    if text.startswith("以内", v.end):
        return "max", None, text[v.start:v.end + 2]
    return "fixed", None, None


def _kind(text: str, after: int, clause_end: int, verb_at: int, value_start: int, art: _Article) -> str:
    m = _KIND.search(text, after, clause_end)
    if m:
        return KINDS[m.group(0)]
    m = _KIND.search(text, max(0, verb_at), value_start)
    if m:
        return KINDS[m.group(0)]
    m = _KIND.search(art.title)
    if m:
        return KINDS[m.group(0)]
    label = next(iter(_label_marks(text, art.start, art.end)), None)
    if label:
        m = _KIND.match(text, max(art.start, label[0] - 2), label[0])
        if m:
            return KINDS[m.group(0)]
    return "支持"


# A clause after the amount that only says for how long: "给予每人每年3万元生活补贴,连续补贴3年".
_PERIOD_CLAUSE = re.compile(
    rf"[,，]\s*(?:并|可)?(?:(?:连续(?:补贴|补助|资助|奖励|支持|扶持|发放|享受|给予)?|(?:补贴|补助|资助|发放|享受))"
    rf"{_COUNT_OF_YEARS}|(?:补贴|补助|资助|支持|享受|贴息)?期限{_LONGEST_TERM}|分{_COUNT_OF_YEARS}(?:发放|拨付|兑现|支付)?)"
    rf"(?=[。;；,，\n]|$)"
)


def _period_clause_end(text: str, clause_end: int) -> int:
    """Where the period words of an amount's clause end: the clause itself, or the duration clause after it."""
    m = _PERIOD_CLAUSE.match(text, clause_end)
    return m.end() if m else clause_end


def _period(text: str, start: int, end: int) -> str | None:
    # Every period names a year or a month, or is 一次性: most benefit clauses have none.
    if text.find("年", start, end) < 0 and text.find("月", start, end) < 0 and text.find("一次性", start, end) < 0:
        return None
    found: list[str] = []
    per = _PER_TIME.search(text, start, end)
    if per:
        found.append("每" + per.group(1))
    for m in _PERIOD.finditer(text, start, end):
        # 期限最长不超过12个月 → 最长12个月; 期限为3年 → 3年
        term = m.group("term")
        word = m.group(0) if not term else \
            ("最长" if "最" in term or "不超" in term else "") + _TERM_DIGITS.search(term).group(0)
        if word not in found:
            found.append(word)
    run = _RUN_OF_YEARS.search(text, start, end)
    if run:
        # "连续补贴3年" is 连续3年; without 连续, the years it is paid for
        years = ("连续" if text.startswith("连续", run.start() - 2) else "") + run.group("n")
        if years not in found and "连续" + years not in found:
            found.append(years)
    return "、".join(found) or None


def _overlaps(spans: list[tuple[int, int]], cs: int, ce: int) -> bool:
    for a, b in spans:
        if a <= cs < b or a < ce <= b:
            return True
    return False


def _unquantified(mapped: MappedText, art: _Article, ps: int, pe: int, spans: list[tuple[int, int]],
                  in_article: tuple[list[int], list[int]], s_index: int, p_index: int,
                  covered: list[tuple[int, int]], drafts: list[_Draft]) -> None:
    """一事一议, 择优给予资金支持, 税收优惠 in the clauses `spans` of a part: kept as items with basis unquantified.

    `in_article` holds the starts and ends of the matches in the whole article: a clause has a
    match of its own only where one of those overlaps it.
    """
    text = mapped.text
    starts, ends = in_article
    seg_start = max([ps] + [b for a, b in covered if ps <= b <= pe])
    for cs, ce in spans:
        k = bisect_right(ends, cs)
        if k == len(ends) or starts[k] >= ce:
            continue
        if covered and _overlaps(covered, cs, ce):
            continue
        matches = list(_UNQUANTIFIED.finditer(text, cs, ce))
        if not matches:
            continue
        if _DIGIT.search(text, matches[0].start(), ce) and (find_money(text, cs, ce) or find_ratios(text, cs, ce)):
            continue
        # One item per clause, but each tax relief named in it is its own item.
        taxes = [m for m in matches if "税" in m.group(0) or m.group(0) in ("免征", "减征")]
        for m in taxes or matches[:1]:
            word = m.group(0)
            if taxes:
                # "落实企业研发费用税前加计扣除、高新技术企业税收优惠": the words just before the tax term.
                lead = max(cs, text.rfind("、", cs, m.start()) + 1)
                # "研发费用按100%在税前加计扣除": the words before how it is counted.
                how = _TAX_HOW.search(text, lead, m.start())
                rec = recipients.strip(Phrase.span(mapped, lead, how.start() if how else m.start()))
                kind = "税收优惠"
            else:
                rec = recipients.find(mapped, seg_start, m.start(), ps)
                k = _KIND.search(text, m.start(), ce)
                kind = KINDS[k.group(0)] if k else "支持"
            rec = rec or art.target or EMPTY
            quote_start = rec.start if rec and ps <= rec.start < m.start() else cs
            drafts.append(_Draft(recipient=recipients.drop_de(rec), kind=kind, basis="unquantified",
                                 value=_Value(m.start(), m.end(), "none"), unit=None,
                                 period=_period(text, cs, ce), quote=(quote_start, ce),
                                 clues=[word.strip("“”")], sentence=s_index, part=p_index))
        covered.append((cs, ce))
        seg_start = ce


def _item(mapped: MappedText, art: _Article, d: _Draft, read: dict[str, tuple[Condition, ...]],
          required: tuple[Condition, ...]) -> Item:
    v = d.value
    recipient = d.recipient.display(mapped)
    quote = mapped.quote(*d.quote)
    return Item(
        article=art.no,
        recipient=recipient,
        kind=d.kind,
        basis=d.basis,
        amount_yuan=_number(v.yuan) if v.sort == "money" else None,
        ratio=v.ratio if v.sort in ("ratio", "matching") else None,
        ratio_min=v.ratio_min,
        cap_yuan=_number(d.cap_yuan),
        unit=d.unit,
        period=d.period,
        conditions=_conditions(d.recipient.text, read) + required,
        quote=quote,
        clue="; ".join(filter(None, d.clues)) or None,
    )


def _conditions(recipient: str, read: dict[str, tuple[Condition, ...]]) -> tuple[Condition, ...]:
    if recipient not in read:
        read[recipient] = conditions.read(recipient)
    return read[recipient]


def _number(x: float | None) -> float | None:
    """Whole yuan as an int, so the JSON reads 200000 like the gold files, not 200000.0."""
    if x is None:
        return None
    return int(x) if float(x).is_integer() else x
