"""Chapters and articles, in every common numbering.

Policies number their units as 第一章/第一条, 一、/(一)/1., or 一是/二是. A marker
is only believed when it continues a sequence: "2." after "1." is an article,
"2.85%" is not (a digit follows), and a "6." in the middle of a line counts only
where 6 is exactly the next number (a chapter heading run into its first article,
or an article starting after a closing parenthesis).
"""
from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import cn2an

from zhengce.model import Article, Chapter
from zhengce.reader.text import MappedText

CN_DIGITS = "零〇一二三四五六七八九十百两"
_CN = rf"[{CN_DIGITS}]{{1,4}}"

# Each style: how a marker looks. Group "n" holds the number. A pattern that opens with a
# repeated class spells its first character apart ("\d\d{0,2}" for "\d{1,3}"): the regex
# engine then skips ahead to the characters that can start a marker.
STYLES: dict[str, re.Pattern[str]] = {
    "zhang": re.compile(rf"第(?P<n>{_CN}|\d{{1,3}})章"),
    "tiao": re.compile(rf"第(?P<n>{_CN}|\d{{1,3}})条"),
    "cn": re.compile(rf"(?P<n>[{CN_DIGITS}][{CN_DIGITS}]{{0,3}})[、.](?![{CN_DIGITS}]+[、.]|\d)"),
    "paren_cn": re.compile(rf"[(（](?P<n>{_CN})[)）]"),
    # ASCII digits (the normaliser made them so): [0-9] is cheaper than \d at every character.
    "arabic": re.compile(r"(?P<n>[0-9][0-9]{0,2})(?:[.、](?![\d.])|\s(?=[\u4e00-\u9fff])|\t(?=[\t ]*[\u4e00-\u9fff]))"),
    "paren_arabic": re.compile(r"[(（](?P<n>\d{1,3})[)）]"),
    "yishi": re.compile(r"(?P<n>[一二三四五六七八九十][一二三四五六七八九十]{0,2})是(?=[\u4e00-\u9fff“])"),
}
# Where a marker may stand mid-line: after these characters (sentence or clause ends).
_MIDLINE_AFTER = "。;；)）"
TITLE_MAX = 40
# Headings that may stand above an article style, after which its numbering may restart.
_HIGHER = {"arabic": ("paren_cn",), "paren_arabic": ("paren_cn", "arabic"), "tiao": ("zhang",)}


@dataclass(frozen=True, slots=True)
class Marker:
    style: str
    number: int
    start: int          # normalised offset of the marker
    end: int            # just past the marker
    at_line_start: bool
    after_space: bool = False  # a space stood before it in the original


@lru_cache(maxsize=512)
def to_int(numeral: str) -> int | None:
    """'十二' → 12, '12' → 12.

    >>> to_int("二十七"), to_int("3"), to_int("两")
    (27, 3, 2)
    """
    if numeral.isdigit():
        return int(numeral)
    try:
        return int(cn2an.cn2an(numeral.replace("〇", "零"), "smart"))
    except (ValueError, KeyError, TypeError):
        return None


# Styles whose markers open with a bracket: brackets are few, and str.find jumps to them
# far faster than the regex engine tests every character against the bracket class.
_BRACKET_STYLES = frozenset(("paren_cn", "paren_arabic"))


def _bracket_matches(pattern: re.Pattern[str], text: str, start: int, end: int) -> list[re.Match[str]]:
    """pattern.finditer(text, start, end) for a pattern whose matches open with ( or （."""
    found: list[re.Match[str]] = []
    pos = start
    while True:
        at = [i for i in (text.find("(", pos, end), text.find("（", pos, end)) if i >= 0]
        if not at:
            return found
        m = pattern.match(text, min(at), end)
        if m:
            found.append(m)
            pos = max(m.end(), min(at) + 1)
        else:
            pos = min(at) + 1


def _candidates(mapped: MappedText, start: int, end: int, style: str) -> list[Marker]:
    text = mapped.text
    found = []
    pattern = STYLES[style]
    matches = _bracket_matches(pattern, text, start, end) if style in _BRACKET_STYLES \
        else pattern.finditer(text, start, end)
    for m in matches:
        number = to_int(m.group("n"))
        if number is None or number == 0:
            continue
        line_start = text.rfind("\n", 0, m.start()) + 1
        at_line_start = not text[line_start:m.start()].strip()
        if style == "yishi":
            at_line_start = False
        origin = mapped.origin(m.start())
        after_space = origin > 0 and mapped.plain[origin - 1] == " "
        found.append(Marker(style, number, m.start(), m.end(), at_line_start, after_space))
    return found


def _chain(markers: list[Marker], text: str, restart_after: list[int]) -> list[Marker]:
    """The markers that form a sequence 1, 2, 3 … (restarting at 1 after a higher heading)."""
    chain: list[Marker] = []
    for marker in markers:
        expected = chain[-1].number + 1 if chain else 1
        if marker.number == expected:
            if marker.at_line_start or _midline_ok(text, marker, chain, restart_after):
                chain.append(marker)
        elif marker.number == expected + 1 and marker.at_line_start and len(chain) >= 2 \
                and chain[-1].at_line_start and chain[-2].at_line_start:
            # One number lost ("11.121人才梯队项目" reads as a decimal) or skipped by the
            # drafters: the numbering carries on at the next line that continues it.
            chain.append(marker)
        elif marker.number == 1 and marker.at_line_start and chain:
            # A restart is believed only after a higher-level heading since the last
            # marker, or right under a heading line of its own ("面向毕业生的扶持政策").
            if any(chain[-1].start < h < marker.start for h in restart_after) \
                    or _under_plain_heading(text, marker.start):
                chain.append(marker)
    return chain


_NOT_HEADING = re.compile(r"[。;:,，、\d]")
_HIGHER_MARKER = re.compile(rf"\s*(?:{_CN}、|第{_CN}章)")
_CLAUSE_MARK = re.compile(r"[,，。]")


def _under_plain_heading(text: str, start: int) -> bool:
    line_end = text.rfind("\n", 0, start)
    previous = text[text.rfind("\n", 0, line_end) + 1:line_end].strip() if line_end > 0 else ""
    return 2 <= len(previous) <= 20 and not _NOT_HEADING.search(previous)


def _group_headings(text: str, chain: list[Marker], body_start: int) -> list[Marker]:
    """Unnumbered headings over a numbering that starts again under each of them.

    "面向单位的扶持政策" over 一、…七、 and "面向毕业生的扶持政策" over 一、…十一、: the
    headings group the articles, so they are the chapters (numbered in order).
    """
    headings: list[Marker] = []
    for marker in chain:
        if marker.number != 1 or not _under_plain_heading(text, marker.start):
            continue
        line_end = text.rfind("\n", 0, marker.start)
        line_start = text.rfind("\n", 0, line_end) + 1
        start = line_start + len(text[line_start:line_end]) - len(text[line_start:line_end].lstrip())
        if start >= body_start:
            headings.append(Marker("heading", len(headings) + 1, start, start, True))
    return headings if len(headings) >= 2 else []


# A card's heading is printed again under its number when the repeat shares this much
# of its characters (guides vary the repeat: "北京市" dropped, words reordered).
_CARD_REPEAT = 0.6
_CLAUSE_END = re.compile(r"[。;,]")


def _similar(a: str, b: str) -> bool:
    """Character F1 of a and b at least _CARD_REPEAT."""
    if _CARD_REPEAT * (len(a) + len(b)) > 2 * min(len(a), len(b)):
        return False  # lengths too far apart for the characters to agree enough
    common = sum((Counter(a) & Counter(b)).values())
    return 2 * common >= _CARD_REPEAT * (len(a) + len(b))


def _cards(text: str, markers: list[Marker]) -> tuple[list[Marker], dict[int, tuple[int, int]]]:
    """The numbered headings of a guide's policy cards, and their title spans.

    A guide prints each card as "8. 北京市关于提升…能力" with the heading repeated,
    unnumbered, on the next line (or on the one after, when the numbered heading
    wraps), then the card's fields and its own 1. 2. 3. lists. The repeat tells a
    card from a list point, so the cards are the articles, numbered as printed
    (an extract may start at any number), and the lists stay inside them.
    """
    cards: list[Marker] = []
    titles: dict[int, tuple[int, int]] = {}
    for marker in markers:
        if not marker.at_line_start:
            continue
        line_end = text.find("\n", marker.end)
        if line_end == -1:
            break
        heading = text[marker.end:line_end].strip()
        if len(heading) < 6 or _CLAUSE_END.search(heading):
            continue  # a list point's sentence, not a heading
        next_end = text.find("\n", line_end + 1)
        second = text[line_end + 1:next_end if next_end != -1 else len(text)].strip()
        if second[:1].isdigit():
            continue  # the next point of a list of like sentences
        title_end = line_end
        if not _similar(heading, second) and next_end != -1:
            third_end = text.find("\n", next_end + 1)
            third = text[next_end + 1:third_end if third_end != -1 else len(text)].strip()
            if not _similar(heading + second, third):
                continue
            title_end = next_end  # the heading wrapped onto a second line
        if cards and marker.number <= cards[-1].number and marker.number != 1:
            continue  # cards count up, starting again only at 1 in a new section
        cards.append(marker)
        titles[marker.start] = (marker.end + len(text[marker.end:line_end]) - len(text[marker.end:line_end].lstrip()),
                                _rstrip_end(text, title_end))
    return cards, titles


def _card_sections(text: str, cards: list[Marker], cands: Callable[[str], list[Marker]]) -> list[Marker]:
    """The section headings of a guide ("六、现代农业篇") that stand right above a card."""
    card_starts = [c.start for c in cards]
    for style in ("cn", "paren_cn"):
        sections = []
        for marker in cands(style):
            line_end = text.find("\n", marker.end)
            i = bisect_right(card_starts, marker.start)
            if not marker.at_line_start or line_end == -1 or i == len(card_starts):
                continue
            heading = text[marker.end:line_end].strip()
            between = text[line_end:card_starts[i]].strip()
            # Directly above the card, or above a sub-section heading that is.
            if 2 <= len(heading) <= 20 and not _NOT_HEADING.search(heading) \
                    and (not between or ("\n" not in between and len(between) <= 24)):
                sections.append(marker)
        if sections:
            return sections
    return []


def _midline_ok(text: str, marker: Marker, chain: list[Marker], headings: list[int]) -> bool:
    if marker.style == "yishi":
        return True
    # Right after a higher heading in the same run of text ("三、支持内容(一)支持…").
    if any(0 < marker.start - h <= 40 and "。" not in text[h:marker.start] for h in headings):
        return True
    if marker.after_space and marker.style in ("cn", "paren_cn", "zhang", "tiao"):
        return True  # pages that lost their line breaks keep a space before each heading
    before = text[:marker.start].rstrip(" ")
    if not before:
        return True
    if before[-1] in _MIDLINE_AFTER:
        return True
    # A heading run into its first article: the line began with a higher marker.
    line = text[text.rfind("\n", 0, marker.start) + 1:marker.start]
    return bool(chain) and bool(_HIGHER_MARKER.match(line)) and len(line) <= 60


def _runs(chain: list[Marker]) -> list[list[Marker]]:
    """The chain cut where its numbering starts again at 1."""
    runs: list[list[Marker]] = []
    for marker in chain:
        if marker.number == 1 or not runs:
            runs.append([])
        runs[-1].append(marker)
    return runs


def _section_of(pos: int, section_starts: list[int]) -> int:
    return bisect_right(section_starts, pos)


def _sparse_restarts(chain: list[Marker], section_starts: list[int]) -> bool:
    """A numbering that starts again in each section yet leaves half the sections bare.

    Such short lists are local to the sections that hold them (the conditions of
    one section, the award types of another): the sections are the articles. Where
    most sections are divided, or one list is longer than the list of sections
    (ten measures under 三、支持内容, two notes under 四、附则), the restarting
    numbering is the article level.
    """
    runs = _runs(chain)
    if len(runs) < 2 or max(map(len, runs)) >= len(section_starts):
        return False
    held = {_section_of(m.start, section_starts) for m in chain} - {0}
    return 2 * len(held) <= len(section_starts)


def _inside_clauses(text: str, chain: list[Marker], paren: list[Marker], section_starts: list[int]) -> bool:
    """A "1." numbering that only ever lists the points of one (N) clause.

    Each run stays within one (N) unit or section, and some run stands under a (N)
    that says something of its own ("(二)评估奖励。…按三个档次给予奖励。" then
    1. 2. 3.): the numbering is below the (N) level, so it cannot be the articles.
    A run that carries on across (N) headings (1.…9. under (一)…(四)) is the article
    level, and so is one under (N) lines that are bare group headings.
    """
    if not paren:
        return False
    starts = [m.start for m in paren]
    under_clause = False
    for run in _runs(chain):
        first, last = run[0].start, run[-1].start
        i = bisect_right(starts, first)
        if i < len(starts) and starts[i] < last:
            return False  # the run crosses a (N) heading: it numbers across them
        if i == 0:
            continue
        opener = paren[i - 1]
        if _section_of(opener.start, section_starts) != _section_of(first, section_starts):
            continue  # the last (N) belongs to an earlier section
        if "。" in text[opener.end:first] and not _plain_heading_within(text, opener.end, first):
            under_clause = True
    return under_clause


def _plain_heading_within(text: str, start: int, end: int) -> bool:
    """Whether a heading line of its own ("申请材料要求") stands in the lines after `start`'s."""
    line_start = text.find("\n", start, end) + 1
    while 0 < line_start < end:
        line_end = text.find("\n", line_start, end)
        if line_end == -1:
            return False
        line = text[line_start:line_end].strip()
        if 2 <= len(line) <= 20 and not _NOT_HEADING.search(line):
            return True
        line_start = line_end + 1
    return False


_BRACKETED_TITLE = re.compile(r"\s*[【\[]([^】\]\n]{1,%d})[】\]]" % TITLE_MAX)
_SENTENCE_TITLE = re.compile(r"\s*([^。;\n]{1,%d}?)[。;:]" % TITLE_MAX)


def _title_span(text: str, start: int, end: int) -> tuple[int, int] | None:
    """An article's short heading: the words up to the first full stop, if short."""
    segment = text[start:end]
    line = segment.split("\n", 1)[0]
    bracketed = _BRACKETED_TITLE.match(line)
    if bracketed:
        return start + bracketed.start(1), start + bracketed.end(1)
    # A table row: its first cell after the number names the item ("1\t重点物流项目\t…").
    lead = len(line) - len(line.lstrip())
    cell_end = line.find("\t", lead)
    if cell_end > lead and cell_end - lead <= TITLE_MAX:
        return start + lead, start + len(line[:cell_end].rstrip())
    m = _SENTENCE_TITLE.match(line)
    if m:
        return start + m.start(1), start + m.end(1)
    stripped = line.rstrip().rstrip("。;:")
    lead = len(line) - len(line.lstrip())
    if stripped.strip() and len(stripped) <= TITLE_MAX and "\n" in segment:
        return start + lead, start + len(stripped)
    return None


def _rstrip_end(text: str, end: int) -> int:
    """len(text[:end].rstrip()), without copying the text before `end`."""
    while end > 0 and text[end - 1].isspace():
        end -= 1
    return end


def _is_heading(text: str, start: int, span: tuple[int, int]) -> bool:
    """A 第N条 heading: 【…】 or a short line of its own."""
    if text[start:span[0]].lstrip().startswith(("【", "[")) and text[span[1]:span[1] + 1] in ("】", "]"):
        return True
    line_end = text.find("\n", start)
    return line_end == span[1] and not _CLAUSE_MARK.search(text, span[0], span[1])


def _heading_of(mapped: MappedText, start: int, end: int, stop: int | None) -> str:
    """A chapter heading: the rest of its line, up to a run-in article."""
    text = mapped.text
    line_end = text.find("\n", start)
    line_end = end if line_end == -1 or line_end > end else line_end
    if stop is not None and start <= stop < line_end:
        line_end = stop
    while line_end > start and text[line_end - 1] in " 。:":
        line_end -= 1
    return mapped.display(start, line_end)


def read(mapped: MappedText, body_start: int, body_end: int) -> tuple[tuple[Chapter, ...], tuple[Article, ...]]:
    """Find the chapters and articles of the body [body_start, body_end) (normalised offsets)."""
    text = mapped.text
    found: dict[str, list[Marker]] = {}

    def cands(style: str) -> list[Marker]:
        # Each style scans the whole body: only the styles a decision needs are read.
        if style not in found:
            found[style] = _candidates(mapped, body_start, body_end, style)
        return found[style]

    cards, card_titles = _cards(text, cands("arabic"))
    if len(cards) >= 2:
        return _assemble(mapped, body_end, cards, _card_sections(text, cards, cands), card_titles)

    top = _chain(cands("zhang"), text, []) if len(cands("zhang")) >= 2 else []
    if len(top) < 2:
        top = _chain(cands("cn"), text, [])
    top_starts = [m.start for m in top]

    chapters_from: list[Marker] = top if len(top) >= 2 else []
    chains = {}
    for style in ("tiao", "arabic", "paren_cn"):
        higher = sorted(top_starts + [m.start for s in _HIGHER.get(style, ()) for m in cands(s)])
        chain = _chain(cands(style), text, higher)
        if len(chain) < 2:
            continue
        if style != "tiao" and len(top) >= 2 and _sparse_restarts(chain, top_starts):
            continue
        if style == "arabic" and _inside_clauses(text, chain, cands("paren_cn"), top_starts):
            continue
        chains[style] = chain
    # 第N条 when present; otherwise the numbering that carries more of the text: a
    # few "1. 2." inside one (一) are sub-points, thirty "1." under 一、 are articles.
    article_chain: list[Marker] = chains.get("tiao", [])
    if not article_chain and chains:
        article_chain = max(chains.values(), key=len)
    if not article_chain and len(top) >= 2:
        article_chain, chapters_from = top, []
    if not article_chain:
        article_chain = _chain(cands("yishi"), text, top_starts)
        if len(article_chain) < 2:
            article_chain = []
    if not article_chain:
        return (), ()
    if not chapters_from:
        chapters_from = _group_headings(text, article_chain, body_start)
    return _assemble(mapped, body_end, article_chain, chapters_from, {})


def _assemble(mapped: MappedText, body_end: int, article_chain: list[Marker], chapters_from: list[Marker],
              titles: dict[int, tuple[int, int]]) -> tuple[tuple[Chapter, ...], tuple[Article, ...]]:
    """Chapters and articles from their markers; `titles` gives an article's title span by its start."""
    text = mapped.text
    numbers = [m.number for m in article_chain]
    unique = len(set(numbers)) == len(numbers)
    boundaries = sorted({m.start for m in article_chain} | {m.start for m in chapters_from} | {body_end})

    def next_boundary(pos: int) -> int:
        i = bisect_right(boundaries, pos)
        return boundaries[i] if i < len(boundaries) else body_end

    articles: list[Article] = []
    chapter_of: dict[int, int] = {}
    chapter_no = {m.start: (i + 1 if len({c.number for c in chapters_from}) != len(chapters_from) else m.number)
                  for i, m in enumerate(chapters_from)}
    for index, marker in enumerate(article_chain):
        no = marker.number if unique else index + 1
        end = next_boundary(marker.start)
        chapter = None
        for c in chapters_from:
            if c.start <= marker.start:
                chapter = chapter_no[c.start]
        body = text[marker.end:end]
        title_span = titles.get(marker.start) or _title_span(text, marker.end, end)
        if marker.style == "tiao" and title_span and not _is_heading(text, marker.end, title_span):
            title_span = None  # 第N条 opens with a sentence, not a heading
        articles.append(Article(
            no=no,
            title=mapped.display(*title_span) if title_span else "",
            label=text[marker.start:marker.end].rstrip(),
            text=body.strip(),
            start=mapped.origin(marker.start),
            end=mapped.origin_end(_rstrip_end(text, end)),
            chapter=chapter,
        ))
        if chapter is not None:
            chapter_of[no] = chapter

    chapters: list[Chapter] = []
    for i, c in enumerate(chapters_from):
        c_end = chapters_from[i + 1].start if i + 1 < len(chapters_from) else body_end
        first_article = next((m.start for m in article_chain if c.start < m.start < c_end), None)
        no = chapter_no[c.start]
        chapters.append(Chapter(
            no=no,
            title=_heading_of(mapped, c.end, c_end, first_article),
            label=text[c.start:c.end],
            start=mapped.origin(c.start),
            end=mapped.origin_end(c_end),
            articles=tuple(a for a, ch in chapter_of.items() if ch == no),
        ))
    return tuple(chapters), tuple(articles)


_SENTENCE_END = re.compile(r"[。;]")


def uncovered(mapped: MappedText, articles: tuple[Article, ...], body_start: int, body_end: int) -> tuple[tuple[int, int], ...]:
    """The stretches of the body outside every article that hold a sentence (normalised offsets).

    A preamble before the first article, a chapter's words before its first article
    and a chapter without articles ("一、财政支持 设立规模不低于1亿元的…资金。")
    still say things a reader must not lose; headings alone are left out.
    """
    text = mapped.text
    spans = sorted((mapped.locate(a.start), mapped.locate(a.end)) for a in articles)
    found = []
    pos = body_start
    for start, end in spans + [(body_end, body_end)]:
        if start > pos and _SENTENCE_END.search(text, pos, start):
            found.append((pos, _rstrip_end(text, start)))
        pos = max(pos, end)
    return tuple(found)
