"""Tell the policy from the page around it: title, header fields, tags, body bounds.

Web pages wrap a policy in navigation, tabs, header tables, evaluation forms and
footers. The furniture words live in `lexicons/page_chrome.yaml`; this module
finds where the policy's body begins and ends, and reads what the page states
about it (header fields such as 发文字号, and portal tags such as 所属行业).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

import yaml

from zhengce.reader.text import MappedText

TITLE_END = re.compile(
    r"(?:意见|办法|通知|方案|规定|细则|措施|指南|决定|清单|公告|通告|条例|规划|计划|批复|政策|补贴|"
    r"请查收|若干规定|实施意见|指导意见|工作方案|行动计划|暂行办法|管理办法|实施细则|扶持政策|支持政策|"
    r"导引|指引|汇编|白皮书)"
    r"(?:\([^()]{1,12}\))?$"
)
# At least six / thirty Chinese characters: matched lazily, not counted, so a long line
# stops being scanned at the sixth or thirtieth (possessive: a short one fails fast).
_SIX_CJK = re.compile(r"(?:[^\u4e00-\u9fff]*+[\u4e00-\u9fff]){6}")
_THIRTY_CJK = re.compile(r"(?:[^\u4e00-\u9fff]*+[\u4e00-\u9fff]){30}")
_LONE_DATE = re.compile(r"[12]\d{3}(?:-\d{1,2}-\d{1,2}|年\d{1,2}月\d{1,2}日)(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?")


@cache
def lexicon() -> dict:
    return yaml.safe_load(resources.files("zhengce.lexicons").joinpath("page_chrome.yaml").read_text("utf-8"))


@dataclass
class Page:
    """What the page says about the policy, and where its body lies.

    body_start/body_end are normalised offsets; title_span and furniture are
    offsets into the original text.
    """

    title: str = ""
    title_span: tuple[int, int] | None = None
    header: dict[str, str] = field(default_factory=dict)
    tags: dict[str, list[str]] = field(default_factory=dict)
    body_start: int = 0
    body_end: int = 0
    furniture: list[tuple[int, int]] = field(default_factory=list)


def _lines(text: str):
    """(start, end, stripped line) for each line."""
    pos = 0
    for line in text.split("\n"):
        end = pos + len(line)
        yield pos, end, line.strip()
        pos = end + 1


@cache
def _header_pattern() -> re.Pattern[str]:
    labels = {label: key for key, names in lexicon()["header"].items() for label in names}
    alt = "|".join(sorted((re.escape(l).replace(r"\ ", r"\s*") for l in labels), key=len, reverse=True))
    # "发文字号：…" anywhere on a line; "发文机构 北京市…" (no colon) only at its start.
    return re.compile(rf"(?:^|\s)({alt})\s*[:：]\s*|^({alt})\s+(?=\S)")


@cache
def _tag_label_only() -> re.Pattern[str]:
    return re.compile(_tag_pattern().pattern.replace(r":\s*(.+)$", r":\s*$"))


@cache
def _tag_pattern() -> re.Pattern[str]:
    labels = [label for names in lexicon()["tags"].values() for label in names]
    alt = "|".join(sorted(map(re.escape, labels), key=len, reverse=True))
    return re.compile(rf"^[•·●\-*\s]*({alt})\s*:\s*(.+)$")


@cache
def _key_of(label: str, section: str) -> str:
    label = re.sub(r"\s+", "", label)
    for key, names in lexicon()[section].items():
        if label in (re.sub(r"\s+", "", n) for n in names):
            return key
    return label


@cache
def _closing_words() -> tuple[tuple[str, ...], frozenset[str]]:
    """The words that end a page's body, and the furniture lines to drop, without spaces."""
    chrome = lexicon()
    return tuple("".join(w.split()) for w in chrome["end"]), frozenset("".join(w.split()) for w in chrome["drop"])


def _is_title(line: str) -> bool:
    return 6 <= len(line) <= 90 and bool(TITLE_END.search(line)) and bool(_SIX_CJK.match(line))


def _closes(line: str, word: str) -> bool:
    """Whether `line` is the closing furniture `word` (a label, not a sentence that starts with it)."""
    if not line.startswith(word):
        return False
    rest = line[len(word):]
    return not rest or rest[0] in ":：" or word.isascii()


def _is_prose(line: str) -> bool:
    return len(line) >= 30 and bool(_THIRTY_CJK.match(line))


def _title_candidate(line: str) -> str | None:
    """The title inside a line, if the line carries one (pages run title and site name together)."""
    for part in re.split(r"\s+[-|_]\s+|\s{2,}| (?=[\u4e00-\u9fff]{2,6}:)", line):
        part = part.strip()
        if _is_title(part):
            return part
    if " " in line:
        first = line.split(" ")[0]
        if _is_title(first):
            return first
    return None


def strip(mapped: MappedText) -> Page:
    """Find the title, header fields, tags and the body's bounds."""
    # Lines and spaces are read on the one-to-one copy of the original: pages use
    # them to separate fields that the normalised text runs together.
    text = mapped.plain
    page = Page(body_end=len(text))
    header_re, tag_re = _header_pattern(), _tag_pattern()
    end_words, drop_words = _closing_words()
    lines = list(_lines(text))

    first_long = next((s for s, e, l in lines if _is_prose(l) and not tag_re.match(l)
                       and not header_re.search(l[:12]) and not _is_title(l)), len(text))
    # Header fields: "发文字号：国办发〔2019〕6号", value on the same line or the next.
    # They stand before the prose; the same labels later on are forms or other cards.
    for i, (start, end, line) in enumerate(lines):
        if start >= first_long:
            break
        for m in header_re.finditer(line):
            key = _key_of(m.group(1) or m.group(2), "header")
            value = line[m.end():]
            nxt = header_re.search(value)
            value = value[:nxt.start()] if nxt else value
            value = value.strip()
            if not value and i + 1 < len(lines):
                value = lines[i + 1][2]
                if header_re.search(value):
                    value = ""
            value = re.split(r"\s{2,}| (?=\S{2,8}\s?:)", value)[0].strip() if value else ""
            if value and value not in ("-", "/", "—") and key not in page.header:
                page.header[key] = value
        if "published" not in page.header and _LONE_DATE.fullmatch(line):
            page.header["date_line"] = line  # a date alone under the title: the publish date
        m = tag_re.match(line)
        if not m and i + 1 < len(lines):
            # "主题分类：" with its value on the next line.
            label_only = _tag_label_only().match(line)
            if label_only and lines[i + 1][2]:
                m = tag_re.match(f"{label_only.group(1)}:{lines[i + 1][2]}")
        if m:
            key = _key_of(m.group(1), "tags")
            values = [v.strip() for v in re.split(r"[,，;；]", m.group(2)) if v.strip()]
            page.tags.setdefault(key, values)
            page.furniture.append((start, end))

    # The title: the header's, else the first line that reads like a document title.
    title = page.header.get("title")
    if title:
        title = re.sub(r"\s+", "", title)
    else:
        for start, end, line in lines:
            if start > first_long + 5000:
                break
            candidate = _title_candidate(line)
            if candidate:
                title = candidate
                break
    if title:
        page.title = title
        # The body starts after the last place the title stands before the prose.
        flat_positions = [m.start() for m in re.finditer(re.escape(title[:12]), text)]
        before = [p for p in flat_positions if p <= first_long] or flat_positions[:1]
        if before:
            at = before[-1]
            line_end = text.find("\n", at)
            page.title_span = (at, at + len(title))
            if text[at:at + len(title)] == title:
                page.title = mapped.original[at:at + len(title)]
            page.body_start = line_end + 1 if line_end != -1 else len(text)
            if page.body_start > first_long:
                page.body_start = at + len(title)
    if not title:
        page.body_start = first_long if first_long < len(text) else 0

    # The body ends at the first closing furniture line once prose has begun.
    seen_prose = False
    for start, end, line in lines:
        if start < page.body_start:
            continue
        words = line.split()
        if not words:
            continue
        compact = "".join(words)
        if not seen_prose and _is_prose(line) and not tag_re.match(line):
            seen_prose = True
        if compact in drop_words or (len(words) > 1 and all(w in drop_words for w in words)):
            page.furniture.append((start, end))
            continue
        label = compact.lstrip("•·●-*")
        # One startswith for all the words first: few lines begin with any of them.
        if seen_prose and len(compact) <= 40 and label.startswith(end_words) \
                and any(_closes(label, w) for w in end_words):
            page.body_end = start
            break
    page.body_start = mapped.locate(page.body_start)
    page.body_end = mapped.locate(page.body_end)
    return page
