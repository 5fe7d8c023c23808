"""政策正文: the policy's clean text as blocks with anchors, benefits and targets marked in place.

Offsets in the model point into the original text, so the page cuts everything
from it: chapter headings, each article (anchor `a-<no>`), and inside them the
item quotes (`item-<seq>`) and target quotes. The page furniture around the body
(tabs, tags, footers) is left out using the reader's own chrome rule.
"""
from __future__ import annotations

from dataclasses import dataclass

from zhengce.model import Policy


@dataclass(frozen=True, slots=True)
class Span:
    """A run of text, plain or marked (`item` with its seq, or `target`)."""

    text: str
    mark: str | None = None
    ref: int | None = None


@dataclass(frozen=True, slots=True)
class Block:
    """A heading, an article or a loose paragraph of the body."""

    kind: str                          # chapter | article | para
    anchor: str | None
    paragraphs: tuple[tuple[Span, ...], ...]
    no: int | None = None


def body_span(policy: Policy) -> tuple[int, int, list[tuple[int, int]]]:
    """Where the body lies in the original text, and the furniture lines inside it
    (the reader's chrome rule; else everything).
    """
    try:
        from zhengce.reader import chrome
        from zhengce.reader.text import normalise

        mapped = normalise(policy.text)
        page = chrome.strip(mapped)
        start, end = mapped.origin(page.body_start), mapped.origin_end(page.body_end)
        furniture = list(page.furniture)
        words = tuple(chrome.lexicon().get("drop", ())) + tuple(
            label for labels in chrome.lexicon().get("header", {}).values() for label in labels)
    except Exception:  # a reader change must not take the page down: show the whole text
        return 0, len(policy.text), []
    if not 0 <= start < end <= len(policy.text):
        return 0, len(policy.text), []
    # Header lines the reader keeps in the body (tab captions, 发布日期:…) are furniture on a page.
    at = start
    for line in policy.text[start:end].split("\n"):
        bare = "".join(line.split())
        if bare and any(bare.startswith(w.replace(" ", "")) for w in words):
            furniture.append((at, at + len(line)))
        at += len(line) + 1
    return start, end, furniture


def blocks(policy: Policy) -> tuple[Block, ...]:
    """The body as blocks in reading order."""
    text = policy.text
    start, end, furniture = body_span(policy)
    if policy.articles:
        start = min(start, min(a.start for a in policy.articles))
        end = max(end, max(a.end for a in policy.articles))
    marks = _marks(policy)
    cuts: list[tuple[int, str, int]] = []
    for c in policy.chapters:
        cuts.append((c.start, "chapter", c.no))
    for a in policy.articles:
        cuts.append((a.start, "article", a.no))
    cuts = sorted({(s, k, n) for s, k, n in cuts if start <= s < end}, key=lambda c: (c[0], c[1] != "chapter"))
    article_end = {a.no: a.end for a in policy.articles}
    out: list[Block] = []
    at = start
    for i, (s, kind, no) in enumerate(cuts):
        if s > at:
            out.append(Block("para", None, _paragraphs(text, at, s, marks, furniture)))
        stop = cuts[i + 1][0] if i + 1 < len(cuts) else end
        if kind == "article" and article_end.get(no, stop) > s:
            # Text after an article's end (a closing paragraph) becomes a loose paragraph.
            stop = min(stop, article_end[no])
        anchor = f"{'c' if kind == 'chapter' else 'a'}-{no}"
        out.append(Block(kind, anchor, _paragraphs(text, s, stop, marks), no))
        at = stop
    if at < end:
        out.append(Block("para", None, _paragraphs(text, at, end, marks, furniture)))
    return tuple(b for b in out if b.paragraphs or b.anchor)


def _marks(policy: Policy) -> list[tuple[int, int, str, int]]:
    spans = [(i.quote.start, i.quote.end, "item", seq) for seq, i in enumerate(policy.items) if i.quote]
    spans += [(t.quote.start, t.quote.end, "target", seq) for seq, t in enumerate(policy.targets) if t.quote]
    spans.sort(key=lambda m: (m[0], -(m[1] - m[0])))
    kept: list[tuple[int, int, str, int]] = []
    for m in spans:
        # Overlapping quotes (an item inside a longer one) keep the first: marks cannot nest.
        if m[0] < m[1] and (not kept or m[0] >= kept[-1][1]):
            kept.append(m)
    return kept


def _paragraphs(text: str, start: int, end: int, marks: list[tuple[int, int, str, int]],
                furniture: list[tuple[int, int]] = ()) -> tuple[tuple[Span, ...], ...]:  # type: ignore[assignment]
    for fs, fe in sorted(furniture, reverse=True):
        # Furniture is blanked to line breaks so offsets (and marks) stay where they were.
        if start <= fs < end:
            text = text[:fs] + "\n" * (min(fe, end) - fs) + text[min(fe, end):]
    spans: list[Span] = []
    at = start
    for s, e, kind, ref in marks:
        if e <= start or s >= end:
            continue
        s, e = max(s, start), min(e, end)
        if s > at:
            spans.append(Span(text[at:s]))
        spans.append(Span(text[s:e], kind, ref))
        at = e
    if at < end:
        spans.append(Span(text[at:end]))
    # Split on line breaks into paragraphs, keeping marks whole (a mark may hold a break: kept inline).
    paras: list[list[Span]] = [[]]
    for span in spans:
        if span.mark:
            paras[-1].append(Span(" ".join(span.text.split()) if "\n" in span.text else span.text,
                                  span.mark, span.ref))
            continue
        lines = span.text.split("\n")
        for k, line in enumerate(lines):
            if k:
                paras.append([])
            if line:
                paras[-1].append(Span(line))
    return tuple(tuple(p) for p in paras if "".join(s.text for s in p).strip())
