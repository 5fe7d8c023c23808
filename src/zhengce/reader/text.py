"""Normalise a document's text while remembering where every character came from.

Policy texts arrive with full-width digits (２０２１), spaces inside numbers and
words ("第 1 0 条", "2 0 万元", "战略新 兴"), and line breaks in the middle of
sentences (PDF extracts). The rules read a normalised copy; `MappedText.origin`
maps any offset of that copy back to the original, so quotes show in place.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from itertools import accumulate
from operator import itemgetter
from dataclasses import dataclass

from zhengce.model import Quote

# Full-width ASCII (！ to ～) → ASCII; the ideographic space → space. 、。《》“” stay:
# they carry meaning the rules use.
_FULL_WIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_FULL_WIDTH[0x3000] = 0x20
_FULL_WIDTH[0x00A0] = 0x20
# Brackets that policies use interchangeably around years and notes.
_FULL_WIDTH[ord("［")] = ord("[")
_FULL_WIDTH[ord("］")] = ord("]")
for _dash in "－—–‐‑−﹣":
    _FULL_WIDTH[ord(_dash)] = ord("—") if _dash in "—" else ord("-")
_FULL_WIDTH[ord("〜")] = ord("~")
_FULL_WIDTH[ord("～")] = ord("~")
_FULL_WIDTH[ord("﹪")] = ord("%")
_FULL_WIDTH[ord("\u200b")] = ord(" ")
_FULL_WIDTH[ord("\ufeff")] = ord(" ")
_FULL_WIDTH[ord("\r")] = ord("\n")

_FULL_WIDTH_RE = re.compile("[" + "".join(re.escape(chr(cp)) for cp in _FULL_WIDTH) + "]")
# Tabs between two cells of a row (tables of HTML, DOCX and text lists) part them and stay,
# one per cell boundary (empty cells keep their place). Tabs at a line's edge are layout: spaces.
_TAB_RUN = re.compile(r"[ \t]*\t[ \t]*")


def _cell_break(m: re.Match[str]) -> str:
    run, start, end = m.group(0), m.start(), m.end()
    text = m.string
    if start == 0 or end == len(text) or text[start - 1] == "\n" or text[end] == "\n":
        return " " * len(run)
    return run


_CJK = r"\u3400-\u9fff\uf900-\ufaff"
_CJK_PUNCT = r"，。、；：？！“”‘’《》（）〔〕【】…—"
# Spaces between two characters that never have a space between them in Chinese
# prose: CJK-CJK, digit-digit, CJK-digit and digit-CJK, and around CJK punctuation.
# The pattern opens with the space, before the alternatives, and each alternative then
# looks back past it ("(?<=[0-9] )" for "(?<=[0-9]) "): a literal prefix, so the regex
# engine jumps from space to space with its fastest scan instead of trying the
# lookbehinds at every position, and the whole text is read in one pass.
# A match is always a whole run of spaces (no class before or after holds a space).
_INNER_SPACE_AT = (
    rf" (?:(?<=[{_CJK}{_CJK_PUNCT}%,:;()\[\]\t] ) *(?=[{_CJK}{_CJK_PUNCT}0-9%.,:;()\[\]])"
    rf"|(?<=[0-9.] ) *(?=[{_CJK}{_CJK_PUNCT}%,:;()\[\]])"
    # between digits only where one side is a lone digit ("2 0 万元"), not "04-08 11:24"
    rf"|(?<=(?<![0-9.])[0-9] ) *(?=[0-9])|(?<=[0-9] ) *(?=[0-9](?![0-9])))"
)
_INNER_SPACE = re.compile(_INNER_SPACE_AT)
# Whole-text patterns open with a literal ("(?:\n| [ ]*\n)" for "[ ]*\n"): the regex
# engine then skips ahead to where a match can start instead of trying every position.
_PAGE_BREAK = re.compile(
    r"(?:\n| [ ]*\n)(?:[ ]*\n)*[ ]*(?:=+[^\n=]*第\s*\d+\s*页[^\n=]*=+|[-—]\s*\d{1,4}\s*[-—])[ ]*\n"
    r"(?:[ ]*\n)*(?:[ ]*\d{1,4}[ ]*\n)?(?:[ ]*\n)*"
)

# What every page break holds: "第N页 ===" or "- N -", then the line's end. A text without
# one has no page break; each pattern opens with its own literal, which is quick to look for.
_PAGE_MARKS = (re.compile(r"页[^\n=]*=+ *\n"), re.compile(r"-\s*\d{1,4}\s*[-—] *\n"),
               re.compile(r"—\s*\d{1,4}\s*[-—] *\n"))

# A line break inside a sentence: the line does not end in sentence-final
# punctuation and the next line does not start a new numbered unit or heading.
_SENTENCE_END = "。；;：:！？!?）)】〕>」』\""
_NEW_UNIT = re.compile(
    rf"\s*(?:[一二三四五六七八九十百]+[、.．]|第[一二三四五六七八九十百零〇0-9]+[章节条]|"
    rf"[(（][一二三四五六七八九十0-9]+[)）]|[0-9]+[.．、](?![0-9])|[①-⑳]|[•·●◆■□▪*-]|"
    rf"=|\[|$)"
)


# The words a title line ends with (the line is stripped, so str.endswith reads it: a
# pattern would be tried at every character of the line).
_DOC_TYPE_END = ("意见", "办法", "通知", "方案", "规定", "细则", "措施", "指南", "决定", "清单", "公告", "通告", "条例",
                 "规划", "计划", "批复", "请查收", "补贴", "政策")


@dataclass(frozen=True, slots=True)
class MappedText:
    """Normalised text plus the map from its positions to the original's.

    Normalising only deletes characters, so the map is kept as the list of
    places where kept text resumes: `norm_at[k]` in the normalised text is
    `orig_at[k]` in the original. Lookups are a bisect.
    """

    text: str
    original: str
    norm_at: tuple[int, ...]
    orig_at: tuple[int, ...]
    plain: str = ""  # the original with characters translated one to one (same offsets)

    def origin(self, index: int) -> int:
        """The original offset of normalised position `index`."""
        if index < 0:
            index = 0
        elif index > len(self.text):
            index = len(self.text)
        k = bisect_right(self.norm_at, index) - 1
        return self.orig_at[k] + (index - self.norm_at[k])

    def origin_end(self, index: int) -> int:
        """The original offset just past normalised character `index - 1` (an exclusive end)."""
        if index <= 0:
            return self.origin(0)
        index = min(index - 1, len(self.text))  # origin(index - 1) + 1, without the second call
        k = bisect_right(self.norm_at, index) - 1
        return self.orig_at[k] + (index - self.norm_at[k]) + 1

    def locate(self, original_index: int) -> int:
        """The normalised position of original offset `original_index` (or of the next kept character)."""
        k = bisect_right(self.orig_at, original_index) - 1
        if k < 0:
            return 0
        nxt = self.orig_at[k + 1] if k + 1 < len(self.orig_at) else None
        run_length = (self.norm_at[k + 1] - self.norm_at[k]) if nxt is not None else len(self.text) - self.norm_at[k]
        offset = original_index - self.orig_at[k]
        return self.norm_at[k] + min(offset, run_length)

    def quote(self, start: int, end: int) -> Quote:
        """A quote of normalised span [start, end) with offsets into the original."""
        o_start, o_end = self.origin(start), self.origin_end(end)
        return Quote(text=self.original[o_start:o_end], start=o_start, end=o_end)

    def display(self, start: int, end: int) -> str:
        """The original wording of a normalised span, with line breaks and stray spaces removed."""
        return tidy(self.original[self.origin(start):self.origin_end(end)])


_LAYOUT_SPACE = str.maketrans({0x3000: 0x20, 0xA0: 0x20, 0x0D: 0x20, 0x0A: 0x20, 0x09: 0x20})
_ANY_LAYOUT_SPACE = re.compile("[ \u3000\xa0\r\n\t]")
_SPACE_BY_CJK = re.compile(rf"(?<=[{_CJK}]) +| +(?=[{_CJK}])")
_SPACE_RUN = re.compile(r" {2,}")


def tidy(text: str) -> str:
    """Remove the breaks and spaces that layout put inside a phrase.

    >>> tidy("战略新 兴\\n产业 2 0 万元")
    '战略新兴产业20万元'
    """
    # Most phrases hold no space or break at all: then every step below is a no-op.
    if not _ANY_LAYOUT_SPACE.search(text):
        return text.strip()
    text = text.translate(_LAYOUT_SPACE)
    text = _INNER_SPACE.sub("", text)
    text = _SPACE_BY_CJK.sub("", text)
    return _SPACE_RUN.sub(" ", text).strip()


_LINE_BREAK = re.compile(r"(?:\n| [ ]*\n)[ \n]*")
# The characters a sentence broken by layout may end a line with, and start the next with.
_JOINS_BEFORE = re.compile(rf"[{_CJK}0-9%，、,]")
_JOINS_AFTER = re.compile(rf"[{_CJK}0-9“《(（、，,]")


def _wrap_width(text: str) -> int | None:
    """The line width of a text wrapped by layout (PDF extracts), or None for paragraph-per-line text."""
    lengths = Counter(n for n in map(len, map(str.strip, text.split("\n"))) if n >= 20)
    total = sum(lengths.values())
    if total < 10:
        return None
    width, _ = lengths.most_common(1)[0]
    near = sum(n for length, n in lengths.items() if abs(length - width) <= 2)
    return width if near / total >= 0.3 else None


def _deletions(text: str) -> list[tuple[int, int]]:
    """Spans of `text` to delete, in order, none overlapping: (start, end)."""
    edits: list[tuple[int, int]] = [m.span() for m in _INNER_SPACE.finditer(text)]
    spaces_only = len(edits)
    # Page breaks of PDF extracts ("=== 第22页 ===", a lone page number, "- 3 -")
    # stand inside sentences: drop them, keeping a line break only where one belongs.
    page_breaks = _PAGE_BREAK.finditer(text) if any(p.search(text) for p in _PAGE_MARKS) else ()
    for m in page_breaks:
        before = text[m.start() - 1] if m.start() else "\n"
        after = text[m.end():m.end() + 12]
        keep_break = before in _SENTENCE_END or not after or bool(_NEW_UNIT.match(after)) \
            or not _JOINS_AFTER.match(after[0])
        start = text.index("\n", m.start()) + 1 if keep_break else m.start()
        edits.append((start, m.end()))
    # Mid-sentence line breaks (layout, PDF): join the lines.
    wrap_width = _wrap_width(text)
    for m in _LINE_BREAK.finditer(text):
        before = text[m.start() - 1] if m.start() > 0 else "\n"
        if before in _SENTENCE_END or before == "\n":
            continue
        if not _JOINS_BEFORE.match(before):
            continue
        line_start = text.rfind("\n", 0, m.start()) + 1
        line = text[line_start:m.start()].strip()
        if "\t" in line:
            next_end = text.find("\n", m.end())
            if "\t" in text[m.end():next_end if next_end >= 0 else len(text)]:
                continue  # one row of a table, then the next: rows are never wrapped into each other
        # Layout breaks lines that are full; short lines are menus, labels and titles.
        if len(line) < 20 or line.endswith(_DOC_TYPE_END):
            continue
        if wrap_width and len(line) < wrap_width - 3:
            continue  # shorter than the page's wrapped lines: the paragraph ends here
        after = text[m.end():m.end() + 12]
        if not after or _NEW_UNIT.match(after):
            continue
        if not _JOINS_AFTER.match(after[0]):
            continue
        edits.append(m.span())
    if len(edits) == spaces_only:
        return edits  # the inner spaces alone: in order, and runs of spaces never overlap
    edits.sort()
    merged: list[tuple[int, int]] = []
    for start, end in edits:
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def normalise(original: str) -> MappedText:
    """Normalise `original`, keeping a map back to it.

    >>> m = normalise("第 1 0 条  给予２０万元")
    >>> m.text
    '第10条给予20万元'
    >>> m.quote(m.text.index("20"), m.text.index("元") + 1).text
    '２０万元'
    """
    # Step 1: one-to-one character translation (no offsets move). A regex finds the few
    # kinds of character to change (str.translate would look every character up), and
    # str.replace changes each kind at once (a Python call per match costs more). No
    # replacement is itself a character to change, so the order of the kinds is free.
    translated = original
    for kind in set(_FULL_WIDTH_RE.findall(original)):
        translated = translated.replace(kind, chr(_FULL_WIDTH[ord(kind)]))
    if "\t" in translated:
        translated = _TAB_RUN.sub(_cell_break, translated)
    # Step 2: deletions, each recorded so offsets can be mapped back.
    deletions = _deletions(translated)
    # Kept text resumes at 0 and after each deletion; the normalised text holds the kept runs.
    orig_at = (0, *map(itemgetter(1), deletions))
    kept = [translated[resume:start] for resume, (start, _) in zip(orig_at, deletions)]
    norm_at = (0, *accumulate(map(len, kept)))
    kept.append(translated[orig_at[-1]:])
    return MappedText(text="".join(kept), original=original, norm_at=norm_at, orig_at=orig_at, plain=translated)
