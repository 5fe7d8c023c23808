"""Who a benefit is for (奖补对象): the phrase before the benefit verb, made whole.

Policy sentences name recipients in a few recurring shapes, each handled here:

- 对X的,给予… / 凡X的,给予…: the 对/凡 phrase, up to the benefit verb, less the
  adverbials that sit between (在原有政策资助的基础上, 按照实际发生费用的50%).
- X的给予… without 对: the words before the verb, or the clause before it.
- 分别 lists: "对认定为国家级、省级技术创新中心的,分别给予1000万元、500万元" gives
  one phrase per element, each completed with the shared prefix (认定为) and head
  (技术创新中心).
- Headless phrases ("重新认定的", "获奖的"): the head noun comes from the previous
  recipient in the sentence or from the honour the sentence is about.

A phrase is kept as the positions of its characters in the normalised text, so it
can be shown in the original wording (`MappedText.display`) even when assembled from
pieces.
"""
from __future__ import annotations

import re

from zhengce.reader import conditions
from zhengce.reader.text import MappedText, tidy

# 对 as a preposition, not inside 对于象/针对/相对/总对总/对接 … (the lookbehind follows 对 so that
# every alternative starts with a literal, which the regex engine can skip ahead to).
_MARKER = re.compile(r"凡是|凡|对于|对(?<![针相面核比总应绝反核]对)(?![于象接外标口比应照话称冲待他此])")
# What may stand between a clause's start and its 对 (the giver, a connective): "市级财政对企业给予…".
_BEFORE_MARKER = re.compile(r"(?:第[一二三四五六七八九十百零\d]{1,4}条|[一二三四五六七八九十]{1,2}是|\d{1,2}[.、]|[(（][一二三四五六七八九十\d]{1,3}[)）]|[①-⑳]|[市省县区]级?|财政|政府|部门|资金|同时|并|另|再|其中|此外|另外|凡|各|可以|均可|可|\s)*")
# Clauses that only say how or when (adverbials): they are not part of a recipient.
_ADVERBIAL = re.compile(
    # (通过/采取/采用 … 的 is a relative clause: who passed or uses something, "通过CMMI三级评估的".)
    r"^(?:按照|按|参照|依照|依据|根据|视|(?:通过|采取|采用)(?!.*的$)|其中|同时|并|自.{1,10}起|"
    r"在.{0,24}?(?:基础上|前提下|期内|期间|范围内|之内|以内|之后|以后|期|时|中)$|"
    # A label of a service guide ("补贴标准:") names a field, not a recipient.
    r"[\u4e00-\u9fff]{0,4}(?:标准|对象|期限|条件|额度|方式|内容|依据)$|"
    r"经[^,，的]{0,6}(?:评价|认定|审核|评审|考核|评估|批准|核定|备案)后?$)"
)
# Adverbials inside the clause that holds the verb: cut the recipient there.
_INNER_ADVERBIAL = re.compile(
    r"(?<=的)(?:按照|按|参照|依照|依据|根据|视)|(?<=[\u4e00-\u9fff])(?:按照(?!规定)|参照|依照|按(?![时期揭规]))"
)
# Words between a recipient and its benefit verb that belong to neither (the giver, manner, period).
_FILLER_WORDS = (
    "分别|一次性|择优|优先|最高|最多|每年度|每年|年度|当年|每家|每个|每户|每项|每所|单个企业|单个项目|单个|"
    "均|各|再|可|一律|另|累计|分阶段|分期|分年度|分档|每人|每名|再增加|增加|另行|额外|给予|予以|经综合评价|经认定|经评审|经审核|经评估|经考核|"
    "市级财政|县级财政|区级财政|省级财政|市级|省级|县级|区级|两级|三级|"
    "市财政|县财政|区财政|财政|政府|科技资金|资金|其中|共同|联合|即|实行|采取|采用|按规定|按照规定|,|，| "
)
_COUNT = "[一二三四五六七八九十两0-9]+"
# Matched on the reversed text, so stripping the tail costs the tail's length, not the phrase's.
_FILLER_TAIL_REVERSED = re.compile(
    "(?:" + "|".join(w[::-1] for w in _FILLER_WORDS.split("|")) + f"|年{_COUNT}[前后]|年{_COUNT}续连|内年{_COUNT}|年{_COUNT}分)+"
)
_NUMBERING = re.compile(r"^\s*(?:第[一二三四五六七八九十百零\d]{1,4}条\s*|[一二三四五六七八九十]{1,2}是(?=对|凡)|\d{1,3}[.、](?!\d)|[(（][一二三四五六七八九十\d]{1,3}[)）]|[一二三四五六七八九十]{1,3}、|[①-⑳])")
_LEAD_VERBS = re.compile(r"^(?:给予|予以|并|同时|全面|继续|鼓励|支持|引导|推动|组织|实施好|实施|落实好|落实|执行|享受|对于|对(?![应象接外标口比照话称冲待])|凡是|凡|其(?![他余它])|即)+")
_SEPARATORS = "、"
_CONJ = re.compile(r"(?<!以)(?:和|及|与|或)(?!以[上下]|其)")
_JOINED = re.compile(r"\s*(?:且|并且|并|或|同时)")
_CONDITION = re.compile(r"\d[\d.]*\s*(?:万元|亿元|元|家|件|人|名|个|项|%|亩)(?:以上|及以上|以下)|(?:达到?|超过|不低于|不少于)\d|的$")
_LEVEL_WORDS = ("国家级", "省部级", "省级", "市级", "区级", "县级", "国家", "全国", "中国", "国际", "省", "市", "区", "县")
RANK = re.compile(r"^(?:特等|特别|一等|二等|三等|优秀|优胜|金|银|铜)奖$")
# "认定为X的", "获得X的": the X is the honour held, the phrase needs no head.
_HOLDS = re.compile(r"(?:认定为|评为|获批为|获批|获得|入选|列入|纳入|确定为|成为)[^,，的]{2,}的$")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_DIGIT = re.compile(r"\d")


class Phrase:
    """Text assembled from positions of the normalised text (not always one span).

    `positions` is a range while the phrase is one span of the text, as most are, and a
    tuple once pieces from several places are joined: a range costs nothing to build or
    slice, a tuple holds one int object per character.

    A plain class, not a dataclass: a page's reading makes hundreds of phrases, and a
    frozen dataclass costs five times as much to build. Treat it as a value.
    """

    __slots__ = ("text", "positions")

    def __init__(self, text: str, positions: range | tuple[int, ...]) -> None:
        self.text = text
        self.positions = positions

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Phrase) and self.text == other.text \
            and tuple(self.positions) == tuple(other.positions)

    def __hash__(self) -> int:
        return hash((self.text, tuple(self.positions)))

    def __repr__(self) -> str:
        return f"Phrase({self.text!r}, {tuple(self.positions)!r})"

    @staticmethod
    def span(mapped: MappedText, start: int, end: int) -> Phrase:
        return Phrase(mapped.text[start:end], range(start, end))

    def __add__(self, other: Phrase) -> Phrase:
        a, b = self.positions, other.positions
        if isinstance(a, range) and isinstance(b, range) and (a.stop == b.start or not a or not b) \
                and a.step == b.step == 1:
            joined: range | tuple[int, ...] = range(a.start, b.stop) if a and b else (a if a else b)
        else:
            joined = tuple(a) + tuple(b)
        return Phrase(self.text + other.text, joined)

    def __getitem__(self, key: slice) -> Phrase:
        return Phrase(self.text[key], self.positions[key])

    def __bool__(self) -> bool:
        return bool(self.text)

    @property
    def start(self) -> int:
        return self.positions[0] if self.positions else -1

    @property
    def end(self) -> int:
        return self.positions[-1] + 1 if self.positions else -1

    def display(self, mapped: MappedText) -> str:
        """The phrase in the original wording, run by run."""
        positions = self.positions
        if not positions:
            return ""
        first, last = positions[0], positions[-1]
        if (positions.step == 1 if isinstance(positions, range)
                else last - first + 1 == len(positions) and positions == tuple(range(first, last + 1))):
            # One span of the text, as most recipients are.
            return tidy(mapped.original[mapped.origin(first):mapped.origin_end(last + 1)])
        pieces: list[str] = []
        run_start = prev = first
        for p in positions[1:]:
            if p != prev + 1:
                pieces.append(mapped.original[mapped.origin(run_start):mapped.origin_end(prev + 1)])
                run_start = p
            prev = p
        pieces.append(mapped.original[mapped.origin(run_start):mapped.origin_end(prev + 1)])
        return tidy("".join(pieces))


EMPTY = Phrase("", ())


def strip(phrase: Phrase, lead: bool = True) -> Phrase:
    """Remove the lead verbs (鼓励, 对 …), the filler before the benefit verb and the edges' punctuation."""
    text = phrase.text
    start, end = 0, len(text)
    while start < end and text[start] in " \n\t,，、:：;；。“\"":
        start += 1
    numbering = _NUMBERING.match(text, start, end)
    if numbering:
        start = numbering.end()
    if lead:
        m = _LEAD_VERBS.match(text, start, end)
        if m and m.end() < end:
            start = m.end()
    m = _FILLER_TAIL_REVERSED.match(text[start:end][::-1])
    if m:
        end -= m.end()
    while end > start and text[end - 1] in " ,，、:：":
        end -= 1
    return phrase[start:end]


_QUANTIFIER = re.compile(r"(?:单个|单家|单户|每个|每家|每户|每项)[\u4e00-\u9fff]{0,5}")
_NOT_WHO = re.compile(r"[每单个家年度当首次性]")


# A phrase that only says when: "第一年", "第二至三年", "前三年", "首年".
_WHEN = re.compile(r"(?:第|前|后|首|当|次)?[一二三四五六七八九十两\d]*(?:至|到|-|—)?[一二三四五六七八九十两\d]*年度?(?:内|起|后|以后)?")
# What is paid for, listed after 对 ("对项目设备购置、房租、研发投入等分档予以支持"): not who.
_EXPENSES = re.compile(r"(?:购置|房租|租金|投入|费用|支出|成本|利息|保费|研发费)等?$")
_OWN_VERB = re.compile(r"给予|予以")


def substantive(phrase: Phrase) -> bool:
    """A phrase says who, not only how much or when: two or more Chinese characters of content."""
    if _QUANTIFIER.fullmatch(phrase.text) or _WHEN.fullmatch(phrase.text):
        return False  # "单个创新主体" counts recipients; who they are is said before
    return len(_CJK.findall(_NOT_WHO.sub("", phrase.text))) >= 2


# A tab parts the cells of a table row (the normaliser keeps one between cells), as firmly as a line break.
_CLAUSE_MARKS = re.compile(r"[,，:：。;；\n\t(（《“\[【)）》”\]】]")


def clauses(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Clause spans of text[start:end], split at commas and colons outside brackets and numbers."""
    spans: list[tuple[int, int]] = []
    depth = 0
    cstart = start
    for m in _CLAUSE_MARKS.finditer(text, start, end):
        ch = m.group(0)
        i = m.start()
        if ch in "(（《“[【":
            depth += 1
        elif ch in ")）》”]】":
            depth = max(0, depth - 1)
        elif depth == 0 or ch in "。;；\n\t":
            if ch in ",:" and 0 < i < len(text) - 1 and text[i - 1].isdigit() and text[i + 1].isdigit():
                continue  # 1,000万元, 1:1 配套
            if i > cstart:
                spans.append((cstart, i))
            cstart = i + 1
    if end > cstart:
        spans.append((cstart, end))
    return spans


def _heading(text: str, start: int, end: int) -> bool:
    """"贷款贴息:", "风险补偿:" name the benefit that follows, not who gets it."""
    return end - start <= 8 and text[end:end + 1] in ":：" and "的" not in text[start:end]


def adverbial(text: str) -> bool:
    return bool(_ADVERBIAL.match(text.strip(" ,，")))


_CLAUSE_END_MARKS = ",，;；。:：\n"
_PER_ONLY = re.compile(r"\s*(?:每[年月])?每[\u4e00-\u9fff]{1,3}?(?:每[年月])?\s*")


def _opens_clause(text: str, seg_start: int, at: int) -> bool:
    """对 as the recipient's preposition opens its clause; "增强对全市的辐射" is another 对."""
    # The clause starts after the last mark before `at` (a few rfinds: cheaper than a pattern).
    cs = seg_start
    for mark in _CLAUSE_END_MARKS:
        i = text.rfind(mark, cs, at)
        if i >= 0:
            cs = i + 1
    return bool(_BEFORE_MARKER.fullmatch(text, cs, at))


def find(mapped: MappedText, seg_start: int, verb_at: int, sentence_start: int) -> Phrase:
    """The recipient of a benefit whose verb stands at `verb_at`, looking back to `seg_start`."""
    text = mapped.text
    # The last 对/凡 that opens its clause, tried from the verb back (earlier ones need no test).
    m = None
    for candidate in reversed(list(_MARKER.finditer(text, seg_start, verb_at))):
        if _opens_clause(text, seg_start, candidate.start()):
            m = candidate
            break
    if m:
        rec_start = m.end()
        spans = clauses(text, rec_start, verb_at)
        kept: list[tuple[int, int]] = []
        for i, (cs, ce) in enumerate(spans):
            # "对…的家庭农场,每亩补贴200元": a clause that only says per what is paid is no part of who.
            if i > 0 and (adverbial(text[cs:ce]) or _PER_ONLY.fullmatch(text, cs, ce)):
                break
            inner = _INNER_ADVERBIAL.search(text, cs + 1, ce)
            if inner:
                kept.append((cs, inner.start()))
                break
            kept.append((cs, ce))
        own_verb = _OWN_VERB.search(text, kept[0][0], kept[0][1]) if kept else None
        if own_verb:
            # "对培训机构给予创业培训补贴,其中…每人最高300元": the 对 phrase ends at its own verb.
            kept = [(kept[0][0], own_verb.start())]
            if _EXPENSES.search(strip(Phrase.span(mapped, *kept[0])).text):
                return _without_marker(mapped, seg_start, verb_at)
        if not kept:
            return EMPTY
        phrase = Phrase.span(mapped, kept[0][0], kept[-1][1])
        # "…过渡型研发机构的,对其在我市注册的依托单位": 其 points back to the clause before.
        if text.startswith("其", rec_start):
            if text.startswith("其", rec_start):
                phrase = phrase[1:]
            before = clauses(text, seg_start, m.start())
            if before:
                cs, ce = before[-1]
                if text[cs:ce].rstrip(" ,，").endswith("的"):
                    lead = strip(Phrase.span(mapped, cs, ce))
                    phrase = lead + phrase
        return strip(phrase)
    return _without_marker(mapped, seg_start, verb_at)


def _without_marker(mapped: MappedText, seg_start: int, verb_at: int) -> Phrase:
    """No 对: the words before the verb in its clause, else the nearest clause before that says who."""
    text = mapped.text
    spans = clauses(text, seg_start, verb_at)
    if not spans:
        return EMPTY
    cs, ce = spans[-1]
    own = Phrase.span(mapped, cs, ce)
    inner = _INNER_ADVERBIAL.search(text, cs + 1, ce)
    if adverbial(own.text):
        own = EMPTY
    elif inner:
        own = Phrase.span(mapped, cs, inner.start())
    own = strip(own)
    if own and (_benefit_name(text, own, verb_at) or _NOT_WHO_CLAUSE.match(own.text)):
        own = EMPTY  # "生活补贴每人每月3600元", "贷款贴息给予…": the benefit's name, not who gets it
    if own and substantive(own):
        return _with_conditions_before(mapped, spans, len(spans) - 1, own)
    for k in range(len(spans) - 2, -1, -1):
        cs, ce = spans[k]
        candidate = Phrase.span(mapped, cs, ce)
        if adverbial(candidate.text) or _heading(text, cs, ce) or _OWN_VERB.search(text, cs, ce):
            continue  # a clause with its own 给予/予以 is a benefit of its own, not who gets this one
        if _NOT_WHO_CLAUSE.match(text, cs, ce):
            continue
        candidate = strip(candidate)
        if substantive(candidate):
            return _with_conditions_before(mapped, spans, k, candidate)
    return EMPTY


_KIND_NOUN = ("补贴", "补助", "奖励", "资助", "贴息", "奖补", "补偿")
# Clauses between who and the amount that say neither: the applicant's verb with the benefit's name
# ("可申请一次性求职补贴"), a pointer to conditions listed elsewhere ("符合以下3个条件之一").
_NOT_WHO_CLAUSE = re.compile(
    r"\s*(?:(?:可以|均可|可)?(?:申请|申领|享受)[\u4e00-\u9fff]{0,10}(?:补贴|补助|奖励|资助|贴息|奖补)\s*$|"
    r"符合(?:以下|下列|如下))"
)


def _benefit_name(text: str, own: Phrase, verb_at: int) -> bool:
    """A few words that, with the kind word after them or in them, name the benefit ("生活补贴", "贷款贴息")."""
    words = own.text
    if len(words) > 6 or "的" in words or not _CJK.fullmatch(words[-1]):
        return False
    if conditions.lexicon().type_re.search(words):
        return False
    if words.endswith(_KIND_NOUN):
        return True
    return own.end == verb_at and len(words) <= 4 and text.startswith(_KIND_NOUN, verb_at)


def _with_conditions_before(mapped: MappedText, spans: list[tuple[int, int]], k: int, phrase: Phrase) -> Phrase:
    """Conditions listed clause by clause belong together:
    "服务我市企业500家以上,业务收入达1000万元,且比上年度增加20%的科技服务机构"."""
    text = mapped.text
    first = k
    while first > 0 and (_JOINED.match(text, spans[first][0]) or _CONDITION.search(text, *spans[first - 1])):
        if adverbial(text[spans[first - 1][0]:spans[first - 1][1]]):
            break
        first -= 1
    if first == k:
        return phrase
    return strip(Phrase.span(mapped, spans[first][0], phrase.end))


def _names(text: str, start: int, end: int) -> bool:
    """text[start:end] names someone: a recipient type or an honour."""
    lex = conditions.lexicon()
    return bool(lex.type_re.search(text, start, end) or lex.honour_re.search(text, start, end))


def with_subject(mapped: MappedText, seg_start: int, phrase: Phrase) -> Phrase:
    """Conditions that name nobody ("签订1年以上劳动合同的"), with the subject named before them in the
    sentence ("毕业生到粤东地区用人单位就业,签订…的"); the phrase itself where none is."""
    text = mapped.text
    subject = -1
    # The sentence's subject is the first clause of the run before the phrase that names someone
    # ("在校大学生…创办…合作社,并担任…,登记注册满12个月,…的").
    for cs, ce in reversed(clauses(text, seg_start, phrase.start)):
        # "并担任该主体法定代表人" goes on with the subject's predicates; "并" opens no adverbial here.
        if adverbial(text[cs:ce]) and not _JOINED.match(text, cs):
            break
        if _names(text, cs, ce):
            subject = cs
    if subject < 0:
        return phrase
    return strip(Phrase.span(mapped, subject, phrase.end))


def headless(phrase: Phrase) -> bool:
    """A relative clause with no noun after its 的: "重新认定的", "企业牵头组建的", "获奖的"."""
    text = phrase.text.rstrip(" ,，")
    if not text.endswith("的"):
        return False
    if _HOLDS.search(text):
        return False
    lex = conditions.lexicon()
    if lex.honour_re.search(text):
        return False
    for m in lex.type_re.finditer(text):
        if m.end() >= len(text) - 1 or text[m.end()] in "的,，、":
            return False
    return True


def head_of(phrase: Phrase) -> Phrase:
    """The head noun phrase of a recipient: what follows its last 的 ("新认定的高新技术企业" → 高新技术企业)."""
    text = phrase.text
    i = text.rfind("的")
    if i < 0 or i == len(text) - 1:
        return EMPTY
    head = phrase[i + 1:]
    return head if len(head.text) <= 16 and "," not in head.text else EMPTY


def topic(mapped: MappedText, start: int, end: int) -> Phrase:
    """The last honour the text before a headless recipient is about, with its level ("市级技术创新中心")."""
    spans = conditions.honour_spans(mapped.text[start:end])
    if not spans:
        return EMPTY
    s, e, c = spans[-1]
    text = mapped.text[start + s:start + e]
    # Keep the level and the honour, not a status word before them.
    if c.status:
        for word in conditions.lexicon().statuses:
            i = text.find(word)
            if i >= 0:
                s += i + len(word)
                break
        while s < e and mapped.text[start + s] in "的为认定":
            s += 1
    return Phrase.span(mapped, start + s, start + e)


def complete(phrase: Phrase, head: Phrase) -> Phrase:
    """"重新认定的" + 高新技术企业 → "重新认定的高新技术企业".

    A phrase that names its own level takes the head without the head's: "晋升为省级的" + 市级众创空间
    → "晋升为省级的众创空间".
    """
    if not head:
        return phrase
    own = _level_at_start(head.text)
    if own and any(w in phrase.text for w in _LEVEL_WORDS if w.endswith("级")) and own < len(head.text):
        head = head[own:]
    return phrase + head


def drop_de(phrase: Phrase) -> Phrase:
    """A recipient named by what it did ("认定为…中心的") reads without the final 的."""
    text = phrase.text.rstrip(" ,，")
    keep = len(text) - 1 if text.endswith("的") and len(text) > 1 else len(text)
    return phrase if keep == len(phrase.text) else phrase[:keep]


# --- 分别 lists -------------------------------------------------------------------------


# A grade listed like a level: "AAAA级、AAAAA级旅游景区", "3A级", "四星级", "一级、二级".
_GRADE = re.compile(r"(?:[A-Z0-9]{1,6}|[一二三四五六七八九十]{1,2}星?)级")
_GRADE_AT_END = re.compile(_GRADE.pattern + "$")


def _level_at_end(text: str) -> int:
    """Length of the level word (国家级, 省 …) or grade (AAAA级) `text` ends with, or 0."""
    for w in _LEVEL_WORDS:
        if text.endswith(w):
            return len(w)
    grade = _GRADE_AT_END.search(text) if text.endswith("级") else None
    return len(grade.group()) if grade else 0


def _level_at_start(text: str) -> int:
    for w in _LEVEL_WORDS:
        if text.startswith(w):
            n = len(w)
            if text.startswith("级", n):
                n += 1
            return n
    grade = _GRADE.match(text)
    return grade.end() if grade else 0


_LIST_MARKS = re.compile(rf"[(（《“)）》”{_SEPARATORS}]")


def _separators(text: str, conj: bool) -> list[tuple[int, int]]:
    """List separators outside brackets: 、 and, where asked, 和/及/与/或."""
    seps: list[tuple[int, int]] = []
    depth = 0
    for m in _LIST_MARKS.finditer(text):
        ch = m.group()
        if ch in "(（《“":
            depth += 1
        elif ch in ")）》”":
            depth = max(0, depth - 1)
        elif depth == 0:  # a separator
            seps.append(m.span())
    if conj:
        for m in _CONJ.finditer(text):
            if not any(s <= m.start() < e for s, e in seps) and _depth_at(text, m.start()) == 0:
                seps.append((m.start(), m.end()))
        seps.sort()
    return seps


_BRACKET_MARKS = re.compile(r"[(（《“)）》”]")


def _depth_at(text: str, index: int) -> int:
    depth = 0
    for m in _BRACKET_MARKS.finditer(text, 0, index):
        depth = depth + 1 if m.group() in "(（《“" else max(0, depth - 1)
    return depth


def split(phrase: Phrase, count: int | None) -> list[Phrase]:
    """One recipient per element of a 分别 list, each made whole; [phrase] when there is no such list.

    `count` is the number of amounts (None: one amount given to each element).
    """
    text = phrase.text
    # The list sits in the last clause that has one; what comes before is shared by all.
    spans = clauses(text, 0, len(text))
    lead_end = 0
    for cs, ce in reversed(spans):
        if _separators(text[cs:ce], conj=True):
            lead_end = cs
            break
    lead, body = phrase[:lead_end], phrase[lead_end:]
    seps = _separators(body.text, conj=False)
    if count is None:
        if not seps:
            seps = _separators(body.text, conj=True)
    elif len(seps) + 1 < count:
        seps = _separators(body.text, conj=True)
    if not seps or (count is not None and len(seps) + 1 < count):
        return [phrase]
    if count is not None and len(seps) + 1 > count:
        seps = seps[len(seps) - (count - 1):]
    bounds = [0] + [e for _, e in seps]
    ends = [s for s, _ in seps] + [len(body.text)]
    elements = [body[b:e] for b, e in zip(bounds, ends)]
    if any(not el.text for el in elements):
        return [phrase]
    first, last = elements[0], elements[-1]
    prev = elements[-2]
    prefix, suffix = EMPTY, EMPTY
    # Suffix: the head the last element carries for all ("国家级、省级技术创新中心").
    lvl_prev, lvl_last = _level_at_end(prev.text), _level_at_start(last.text)
    if lvl_prev and lvl_last and len(last.text) > lvl_last:
        suffix = last[lvl_last:]
        elements[-1] = last[:lvl_last]
        if len(elements) == 2 or all(_level_at_end(e.text) == len(e.text) for e in elements[1:-1]):
            prefix = first[:len(first.text) - _level_at_end(first.text)]
    else:
        m = len(prev.text)
        if 2 <= m < len(last.text) and last.text[m - 1] == prev.text[-1]:
            suffix = last[m:]
            elements[-1] = last[:m]
        else:
            i = last.text.rfind("的")
            if 0 < i and len(last.text) - i <= 7 and "、" not in last.text[i:]:
                suffix = last[i:]
                elements[-1] = last[:i]
    # Prefix: what the first element says before its own name ("认定为", "获得", "当年确定的").
    if not prefix:
        second = elements[1]
        prefix = _shared_prefix(first, second)
    out: list[Phrase] = []
    for k, el in enumerate(elements):
        p = el
        if k > 0 and prefix and not el.text.startswith(prefix.text):
            p = prefix + p
        if suffix:
            p = p + suffix
        out.append(lead + p)
    return out


def _shared_prefix(first: Phrase, second: Phrase) -> Phrase:
    """The words before the first element's own name, to lend to the elements after it."""
    f, s = first.text, second.text
    if s and s[0].isdigit():
        m = _DIGIT.search(f)
        return first[:m.start()] if m else EMPTY
    if _CJK.match(s or " "):
        best_k, best_p = 0, -1
        for k in range(min(len(s), len(f)), 1, -1):
            p = f.find(s[:k], 1)
            if p > 0:
                best_k, best_p = k, p
                break
        if best_k:
            cut = best_p - _level_at_end(f[:best_p])
            return first[:cut]
    # "当年新认定的国家级专精特新…企业、省级专精特新中小企业": the second starts with a level;
    # the first's lead words end where its own level starts.
    if _level_at_start(s):
        for w in _LEVEL_WORDS:
            p = f.find(w, 1)
            if p > 0:
                return first[:p]
    # Ranks and grades: "山东省专利奖特别奖、一等奖" (short, shaped like the first's tail).
    if s and len(s) <= 6 and len(s) < len(f) and f.endswith(s[-1]):
        tail = f[len(f) - len(s)]
        if tail.isdigit() == s[0].isdigit():
            return first[:len(f) - len(s)]
    return EMPTY


_AWARD = re.compile(r"获得([^,，。;；:：]{2,30}?)(?:特等奖|特别奖|一等奖|二等奖|三等奖|优秀奖|优胜奖|金奖|银奖|铜奖)")


def rank_name(mapped: MappedText, phrase: Phrase, start: int, end: int) -> Phrase:
    """A bare rank (一等奖) with the award it belongs to, as the article names it ("获得…大赛优胜奖")."""
    if not RANK.match(phrase.text):
        return phrase
    m = None
    for m in _AWARD.finditer(mapped.text[start:end]):
        break
    if not m:
        return phrase
    award = Phrase.span(mapped, start + m.start(), start + m.start(1) + len(m.group(1)))
    return award + phrase
