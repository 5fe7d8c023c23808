"""Normalise a document's text while remembering where every character came from.

Policy texts arrive with full-width digits (２０２１), spaces inside numbers and
words ("第 1 0 条", "2 0 万元", "战略新 兴"), and line breaks in the middle of
sentences (PDF extracts). The rules read a normalised copy; `MappedText.origin`
maps any offset of that copy back to the original, so quotes show in place.
"""
from __future__ import annotations

import re
from array import array
from bisect import bisect_left
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
_FULL_WIDTH[ord("\t")] = ord(" ")

_CJK = r"\u3400-\u9fff\uf900-\ufaff"
_CJK_PUNCT = r"，。、；：？！“”‘’《》（）〔〕【】…—"
# Spaces between two characters that never have a space between them in Chinese
# prose: CJK-CJK, digit-digit, CJK-digit and digit-CJK, and around CJK punctuation.
_INNER_SPACE = re.compile(
    rf"(?<=[{_CJK}{_CJK_PUNCT}%,:;()\[\]]) +(?=[{_CJK}{_CJK_PUNCT}0-9%.,:;()\[\]])"
    rf"|(?<=[0-9.]) +(?=[{_CJK}{_CJK_PUNCT}%,:;()\[\]])"
    # between digits only where one side is a lone digit ("2 0 万元"), not "04-08 11:24"
    rf"|(?<=(?<![0-9.])[0-9]) +(?=[0-9])|(?<=[0-9]) +(?=[0-9](?![0-9]))"
)
# A line break inside a sentence: the line does not end in sentence-final
# punctuation and the next line does not start a new numbered unit or heading.
_SENTENCE_END = "。；;：:！？!?）)】〕>」』\""
_NEW_UNIT = re.compile(
    rf"\s*(?:[一二三四五六七八九十百]+[、.．]|第[一二三四五六七八九十百零〇0-9]+[章节条]|"
    rf"[(（][一二三四五六七八九十0-9]+[)）]|[0-9]+[.．、](?![0-9])|[①-⑳]|[•·●◆■□▪*-]|"
    rf"=|\[|$)"
)


_DOC_TYPE_END = re.compile(
    r"(?:意见|办法|通知|方案|规定|细则|措施|指南|决定|清单|公告|通告|条例|规划|计划|批复|请查收|补贴|政策)\s*$"
)


@dataclass(frozen=True, slots=True)
class MappedText:
    """Normalised text plus, for each of its characters, the offset in the original."""

    text: str
    original: str
    offsets: array  # len(text) + 1 entries; the last maps the end
    plain: str = ""  # the original with characters translated one to one (same offsets)

    def origin(self, index: int) -> int:
        """The original offset of normalised position `index` (an end is exclusive)."""
        if index <= 0:
            return self.offsets[0] if self.offsets else 0
        if index >= len(self.text):
            return self.offsets[len(self.text)]
        return self.offsets[index]

    def origin_end(self, index: int) -> int:
        """The original offset just past normalised character `index - 1`."""
        if index <= 0:
            return self.origin(0)
        return self.offsets[index - 1] + 1

    def locate(self, original_index: int) -> int:
        """The normalised position of original offset `original_index` (or the next kept one)."""
        return bisect_left(self.offsets, original_index, 0, len(self.text))

    def quote(self, start: int, end: int) -> Quote:
        """A quote of normalised span [start, end) with offsets into the original."""
        o_start, o_end = self.origin(start), self.origin_end(end)
        return Quote(text=self.original[o_start:o_end], start=o_start, end=o_end)

    def display(self, start: int, end: int) -> str:
        """The original wording of a normalised span, with line breaks and stray spaces removed."""
        return tidy(self.original[self.origin(start):self.origin_end(end)])


def tidy(text: str) -> str:
    """Remove the breaks and spaces that layout put inside a phrase.

    >>> tidy("战略新 兴\\n产业 2 0 万元")
    '战略新兴产业20万元'
    """
    text = text.translate({0x3000: 0x20, 0xA0: 0x20, 0x0D: 0x20, 0x0A: 0x20, 0x09: 0x20})
    text = _INNER_SPACE.sub("", text)
    text = re.sub(rf"(?<=[{_CJK}]) +| +(?=[{_CJK}])", "", text)
    return re.sub(r" {2,}", " ", text).strip()


def _deletions(text: str) -> list[tuple[int, int, str]]:
    """Spans of `text` to replace: (start, end, replacement)."""
    edits: list[tuple[int, int, str]] = []
    for m in _INNER_SPACE.finditer(text):
        edits.append((m.start(), m.end(), ""))
    # Mid-sentence line breaks (layout, PDF): join the lines.
    for m in re.finditer(r"[ ]*\n[ \n]*", text):
        before = text[m.start() - 1] if m.start() > 0 else "\n"
        if before in _SENTENCE_END or before == "\n":
            continue
        if not re.match(rf"[{_CJK}0-9%，、,]", before):
            continue
        line_start = text.rfind("\n", 0, m.start()) + 1
        line = text[line_start:m.start()].strip()
        # Layout breaks lines that are full; short lines are menus, labels and titles.
        if len(line) < 20 or _DOC_TYPE_END.search(line):
            continue
        after = text[m.end():m.end() + 12]
        if not after or _NEW_UNIT.match(after):
            continue
        if not re.match(rf"[{_CJK}0-9“《(（、，,]", after[0]):
            continue
        edits.append((m.start(), m.end(), ""))
    edits.sort()
    merged: list[tuple[int, int, str]] = []
    for edit in edits:
        if merged and edit[0] < merged[-1][1]:
            prev = merged[-1]
            merged[-1] = (prev[0], max(prev[1], edit[1]), "")
        else:
            merged.append(edit)
    return merged


def normalise(original: str) -> MappedText:
    """Normalise `original`, keeping a map back to it.

    >>> m = normalise("第 1 0 条  给予２０万元")
    >>> m.text
    '第10条给予20万元'
    >>> m.quote(m.text.index("20"), m.text.index("元") + 1).text
    '２０万元'
    """
    # Step 1: one-to-one character translation (no offsets move).
    translated = original.translate(_FULL_WIDTH)
    # Step 2: deletions, each recorded so offsets can be mapped back.
    edits = _deletions(translated)
    pieces: list[str] = []
    offsets = array("l")
    pos = 0
    for start, end, replacement in edits:
        pieces.append(translated[pos:start])
        offsets.extend(range(pos, start))
        if replacement:
            pieces.append(replacement)
            offsets.extend([start] * len(replacement))
        pos = end
    pieces.append(translated[pos:])
    offsets.extend(range(pos, len(translated)))
    offsets.append(len(translated))
    return MappedText(text="".join(pieces), original=original, offsets=offsets, plain=translated)
