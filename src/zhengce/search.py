"""Chinese search: the tokens both backends index, the query language, snippets.

Documents are indexed as CJK bigrams plus one trailing unigram per CJK run, and
lower-case ASCII words. A query word becomes a *phrase* of the same bigrams, so
专利 and 奖励 (two characters, one token) and 众创空间 (众创 创空 空间, adjacent) are
found exactly, wherever a word segmenter would have cut them. The trailing
unigram stops a phrase from spanning two runs ("…AB，BC…" never matches ABC)
and lets a one-character query match as a prefix (税 → 税*).

rjieba segments long unspaced queries ("高新技术企业奖励" → three phrases) and picks
the keywords of a policy for "related policies"; it never decides recall.

The same token text goes to SQLite FTS5 (`ascii` tokenizer) and to PostgreSQL
(`array_to_tsvector` over the distinct tokens). Each token is written as
`<tok>` so a phrase can also be counted as a plain substring: that is how
PostgreSQL computes the very BM25 that FTS5's `bm25()` returns (see store/fulltext.py).
SQLite counts phrases in the *segment text* instead (the runs and words the tokens are
cut from, one space apart): a third of the bytes, and a phrase is mostly a plain
substring there (`Phrase.in_segments` gives the same counts as the token text).
"""
from __future__ import annotations

import hashlib
import heapq
import math
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from operator import itemgetter
import unicodedata
import zlib
from dataclasses import dataclass, field
from functools import lru_cache

import rjieba

from zhengce.model import Article, Item, Policy

_CJK_CHARS = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff"
_SEGMENT = re.compile(rf"(?P<cjk>[{_CJK_CHARS}]+)|(?P<word>[0-9a-z]+)")
_CHUNK_SPLIT = re.compile(rf"[^{_CJK_CHARS}0-9a-z]+")

# The index's tokens and packing; change the name whenever either changes, and open libraries rebuild.
TOKENIZER = "bigram+tail+facets+segs+terms-5"

# Hostile queries (10,000 characters, thousands of words) get the first words only.
MAX_QUERY_CHARS = 256
MAX_PHRASES = 12
MAX_PHRASE_TOKENS = 24
# An unspaced run longer than this is segmented by rjieba into several phrases.
MAX_UNSEGMENTED = 6

# Policy terms rjieba's default dictionary splits (众创/空间, 及众/创/空间): see LIBRARIES.md.
POLICY_TERMS = (
    "众创空间", "孵化器", "加速器", "高新技术企业", "科技型中小企业", "专精特新", "小巨人",
    "瞪羚企业", "独角兽企业", "隐形冠军", "单项冠军", "技术创新中心", "工程技术研究中心",
    "重点实验室", "企业技术中心", "新型研发机构", "首台套", "研发费用", "贷款贴息",
    "风险补偿", "融资担保", "知识产权", "发明专利", "科技成果转化", "产学研",
)


@lru_cache(maxsize=1)
def _segmenter() -> None:
    for term in POLICY_TERMS:
        rjieba.add_word(term, None, None)


def fold(text: str) -> str:
    """The comparable form of text: NFKC (full-width → ASCII) and lower case."""
    return unicodedata.normalize("NFKC", text).lower()


def tokens(text: str) -> list[str]:
    """The index tokens of a text.

    >>> tokens("支持众创空间，给予5G奖励")
    ['支持', '持众', '众创', '创空', '空间', '间', '给予', '予', '5g', '奖励', '励']
    """
    out: list[str] = []
    for m in _SEGMENT.finditer(fold(text)):
        run = m.group("cjk")
        if run is None:
            out.append(m.group("word"))
            continue
        out.extend(run[i:i + 2] for i in range(len(run) - 1))
        out.append(run[-1])
    return out


@lru_cache(maxsize=65536)
def token_text(text: str) -> str:
    """Tokens as stored in the index: `<众创><创空>…` (cached: synthetic libraries repeat clauses)."""
    return "".join(f"<{t}>" for t in tokens(text))


@lru_cache(maxsize=65536)
def segment_text(text: str) -> str:
    """The CJK runs and ASCII words the tokens are cut from, one space apart.

    Its tokens are the text's: `token_text(segment_text(t)) == token_text(t)`.

    >>> segment_text("支持众创空间，给予5G奖励")
    '支持众创空间 给予 5g 奖励'
    """
    return " ".join(m.group() for m in _SEGMENT.finditer(fold(text)))


def count_tokens(text: str) -> int:
    """How many tokens a stored token text holds."""
    return text.count("<")


@dataclass(frozen=True, slots=True)
class Phrase:
    """One query word as adjacent tokens; `prefix` when its last token is a prefix (税*)."""

    tokens: tuple[str, ...]
    prefix: bool = False
    words: tuple[str, ...] = ()      # what to highlight in the original text

    def fts5(self) -> str:
        """FTS5 syntax: every token inside double quotes, so no user text is ever an operator."""
        body = " ".join(t.replace('"', '""') for t in self.tokens)
        return f'"{body}"' + ("*" if self.prefix else "")

    def pattern(self) -> str:
        """The substring of a stored token text that marks one occurrence."""
        text = "".join(f"<{t}>" for t in self.tokens)
        return text[:-1] if self.prefix else text

    def lexemes(self) -> str:
        """A tsquery matching every document that may hold the phrase (checked exactly later)."""
        parts = [f"'{t}'" for t in self.tokens]
        if self.prefix:
            parts[-1] += ":*"
        return "(" + " & ".join(parts) + ")"

    def in_segments(self) -> SegmentPattern:
        """How to count the phrase in a UTF-8 segment text, as `pattern()` counts in the token text."""
        return _segment_pattern(self.tokens, self.prefix)


@dataclass(frozen=True, slots=True)
class SegmentPattern:
    """A phrase in segment texts: a plain substring when that counts exactly, else a regex.

    The token text is counted without overlaps, token by token, so the next occurrence
    may begin inside the last token of one found (哈哈 in 哈哈哈: twice); `back` steps
    back over that token's last character after each match.
    """

    needle: bytes
    regex: re.Pattern[bytes] | None = None
    back: int = 0

    def count(self, data: bytes, start: int, end: int) -> int:
        """Occurrences in data[start:end], one column of a packed segment text."""
        if self.regex is None:
            return data.count(self.needle, start, end)
        n, at = 0, start
        while (m := self.regex.search(data, at, end)) is not None:
            n += 1
            at = m.end() - self.back
        return n


# Segment texts hold runs and words one space apart, columns \x1f apart: what bounds a segment.
_EDGE_BEFORE, _EDGE_AFTER = rb"(?<![^ \x1f])", rb"(?![^ \x1f])"


def _segment_pattern(toks: tuple[str, ...], prefix: bool) -> SegmentPattern:
    # Adjacent tokens are either a chain of bigrams (one run, perhaps closed by its trailing
    # unigram: the run ends there) or an ASCII word; consecutive parts are consecutive segments.
    parts: list[tuple[str, bool]] = []     # (text, is it a whole ASCII word or a run's end)
    i, last = 0, len(toks) - 1
    while i <= last:
        tok = toks[i]
        i += 1
        if tok.isascii():
            parts.append((tok, True))
            continue
        chars = tok
        while len(chars) > 1 and i <= last and len(toks[i]) == 2 and not toks[i].isascii() and toks[i][0] == chars[-1]:
            chars += toks[i][1]
            i += 1
        ends = len(tok) == 1 and not (prefix and i > last)
        if len(chars) > 1 and i <= last and toks[i] == chars[-1]:
            ends = not (prefix and i == last)
            i += 1
        parts.append((chars, ends))
    text, closed = parts[-1]
    tail_is_bigram = not text.isascii() and len(text) > 1 and not closed
    back = len(text[-1].encode()) if tail_is_bigram else 0
    if len(parts) == 1 and not text.isascii() and not closed and (len(text) == 1 or text[0] != text[-1]):
        return SegmentPattern(text.encode())
    body = b" ".join(re.escape(t.encode()) for t, _ in parts)
    if parts[0][0].isascii():
        body = _EDGE_BEFORE + body
    if closed:
        body += _EDGE_AFTER
    return SegmentPattern(text.encode(), re.compile(body), back)


@dataclass(frozen=True, slots=True)
class Query:
    """A parsed query: phrases that must all (or, with `any`, some) occur."""

    phrases: tuple[Phrase, ...]
    any: bool = False

    def __bool__(self) -> bool:
        return bool(self.phrases)

    def fts5(self) -> str:
        return (" OR " if self.any else " AND ").join(p.fts5() for p in self.phrases)

    def tsquery(self) -> str:
        return (" | " if self.any else " & ").join(p.lexemes() for p in self.phrases)

    def words(self) -> tuple[str, ...]:
        return tuple(w for p in self.phrases for w in p.words)


def _phrase(chunk: str) -> Phrase | None:
    """A query chunk without spaces (`5G基站`, `众创空间`, `税`) as one phrase."""
    segments = [(m.group("cjk"), m.group("word")) for m in _SEGMENT.finditer(chunk)]
    if not segments:
        return None
    toks: list[str] = []
    for i, (run, word) in enumerate(segments):
        if run is None:
            toks.append(word)
            continue
        toks.extend(run[j:j + 2] for j in range(len(run) - 1))
        last = i == len(segments) - 1
        # Inside a chunk the document has the run's trailing unigram next; at the end of
        # the chunk the document may go on with more characters, so a bigram must end it.
        if not last or len(run) == 1:
            toks.append(run[-1])
    prefix = segments[-1][0] is not None and len(segments[-1][0]) == 1
    words = tuple(run or word for run, word in segments)
    return Phrase(tuple(toks[:MAX_PHRASE_TOKENS]), prefix and len(toks) <= MAX_PHRASE_TOKENS, words)


def parse_query(text: str, any: bool = False) -> Query:
    """Parse what a person typed; never fails, whatever the text.

    >>> [p.fts5() for p in parse_query('众创空间 "奖励" OR 税').phrases]
    ['"众创 创空 空间"', '"奖励"', '"or"', '"税"*']
    """
    _segmenter()
    phrases: list[Phrase] = []
    seen: set[Phrase] = set()
    for chunk in _CHUNK_SPLIT.split(fold(text[:MAX_QUERY_CHARS])):
        if not chunk:
            continue
        pieces = [chunk]
        if len(chunk) > MAX_UNSEGMENTED:
            # Single characters from a segmented run (的, 及) would match everything.
            pieces = [w for w in rjieba.cut(chunk) if len(w) > 1 or w.isascii()]
        for piece in pieces:
            phrase = _phrase(piece)
            if phrase is not None and phrase not in seen:
                seen.add(phrase)
                phrases.append(phrase)
    return Query(tuple(phrases[:MAX_PHRASES]), any)


# --- what the index holds for one policy -------------------------------------------------

# Ranked fields and their weights (a word in the title counts as four in an article).
# `facets` holds one token per facet value: a search with facets then starts from the
# few documents holding those rare tokens instead of filtering every match; weight 0.
COLUMNS = ("title", "body", "items", "facets")
WEIGHTS = (4.0, 1.0, 2.0, 0.0)
TEXT_COLUMNS = COLUMNS[:3]
# A policy keeps the weighted counts of its most frequent bigrams (and the least of them, which
# bounds every other): enough to show that most policies of a large match cannot reach the first
# page without counting their words (of 1,000–2,000 matches, 10–60 are left to count).
TOP_TERMS = 128
# The rest of its bigrams are summed up in SKETCH_CELLS bytes, each the most any bigram hashed to it
# weighs (255: more, up to the floor): far closer than the floor for a word a policy uses a few times.
SKETCH_CELLS = 512
FACETS = ("industry", "size", "ownership", "theme", "issuer", "year")


@dataclass(frozen=True, slots=True)
class Document:
    """The token texts of one policy's indexed fields, and the segment texts they are cut from."""

    title: str
    body: str
    items: str
    facets: str = ""
    size: int = field(default=0)     # tokens in all fields: BM25's document length
    pairs: tuple[tuple[str, str], ...] = ()   # the (facet, value) pairs behind `facets`
    segments: tuple[str, str, str] = ("", "", "")   # title, body, items as `segment_text`
    terms: tuple[tuple[str, int], ...] = ()   # the TOP_TERMS most frequent bigrams, weighted count
    floor: int = 0                   # the most any bigram not in `terms` weighs
    sketch: bytes = b""              # the most any bigram not in `terms` weighs, per `sketch_cell`

    def columns(self) -> tuple[str, str, str, str]:
        return (self.title, self.body, self.items, self.facets)


def facet_digest(facet: str, value: object) -> bytes:
    """Eight bytes naming one facet value; its index token is their hex."""
    return hashlib.blake2b(f"{facet}\x1f{value}".encode(), digest_size=8).digest()


def facet_token(facet: str, value: object) -> str:
    """The index token of one facet value: ASCII whatever the value, so no tokenizer splits it.

    >>> facet_token("year", 2021) == facet_token("year", "2021") != facet_token("theme", "2021")
    True
    """
    return f"f{facet_digest(facet, value).hex()}"


def facet_values(policy: Policy) -> list[tuple[str, str]]:
    """(facet, value) pairs of a policy: its tags, issuer and year published."""
    pairs = [(facet, v) for facet, values in (("industry", policy.tags.industries), ("size", policy.tags.sizes),
                                              ("ownership", policy.tags.ownership), ("theme", policy.tags.themes))
             for v in values]
    if policy.issuer:
        pairs.append(("issuer", policy.issuer))
    if policy.published and policy.published[:4].isdigit():
        pairs.append(("year", str(int(policy.published[:4]))))
    return list(dict.fromkeys(pairs))


def _article_text(article: Article) -> str:
    if article.title and article.title not in article.text:
        return f"{article.title}\n{article.text}"
    return article.text


def document(policy: Policy) -> Document:
    """The indexed fields: title, articles (the whole text while the reader finds none), items, facets."""
    title = [policy.title]
    body = [_article_text(a) for a in policy.articles] if policy.articles else [policy.text]
    items = [_item_text(i) for i in policy.items]
    title_t, body_t, items_t = ("".join(map(token_text, texts)) for texts in (title, body, items))
    segments = tuple(" ".join(s for s in map(segment_text, texts) if s) for texts in (title, body, items))
    pairs = tuple(facet_values(policy))
    facets = "".join(f"<{facet_token(f, v)}>" for f, v in pairs)
    size = count_tokens(title_t) + count_tokens(body_t) + count_tokens(items_t) + count_tokens(facets)
    terms, floor, sketch = top_terms((title_t, body_t, items_t))
    return Document(title_t, body_t, items_t, facets, size, pairs, segments,  # type: ignore[arg-type]
                    terms, floor, sketch)


def sketch_cell(token: str, cells: int = SKETCH_CELLS) -> int:
    """The byte of a policy's sketch that bounds a bigram's weight (a stable hash: it is stored)."""
    return zlib.crc32(token.encode()) % cells


def top_terms(texts: tuple[str, str, str], keep: int = TOP_TERMS,
              cells: int = SKETCH_CELLS) -> tuple[tuple[tuple[str, int], ...], int, bytes]:
    """The `keep` CJK bigrams of the title, body and items token texts weighing most (each
    occurrence weighs its column's weight), the most any other bigram weighs (the floor), and
    for each of `cells` cells the most any other bigram in it (`sketch_cell`) weighs, 255 when
    that is more.

    A phrase occurs in a column at most as often as each of its tokens, so these bound its
    weighted hits, hence its BM25, in a policy without reading the policy's text. Bigrams of
    characters beyond the BMP are never kept (they would not pack in four bytes): the floor
    and the sketch cover them.

    >>> terms, floor, sketch = top_terms(("<专利>", "<专利><利奖><奖励><励>", ""), keep=2, cells=4)
    >>> terms, floor, sketch[sketch_cell("奖励", 4)]
    ((('专利', 5), ('利奖', 1)), 1, 1)
    """
    weighed: Counter[str] = Counter()
    for text, weight in zip(texts, WEIGHTS):
        if text:
            for tok, n in Counter(text[1:-1].split("><")).items():
                weighed[tok] += n * math.ceil(weight)
    bigrams = [(t, n) for t, n in weighed.items() if len(t) == 2 and not t.isascii()]
    top = heapq.nlargest(keep, [(t, n) for t, n in bigrams if t[0] <= "\uffff" and t[1] <= "\uffff"],
                         key=itemgetter(1))
    kept = {t for t, _ in top}
    floor, sketch = 0, bytearray(cells)
    for t, n in bigrams:
        if t not in kept:
            floor = max(floor, n)
            cell = sketch_cell(t, cells)
            sketch[cell] = max(sketch[cell], min(n, 255))
    return tuple(top), floor, bytes(sketch)


def _item_text(item: Item) -> str:
    parts = [item.recipient, item.kind, item.quote.text if item.quote else ""]
    parts.extend(c.text for c in item.conditions)
    return "\n".join(p for p in parts if p)


# --- snippets cut from the original text ---------------------------------------------------

@dataclass(frozen=True, slots=True)
class Snippet:
    """A window of the original text with the spans to highlight."""

    text: str
    start: int                               # offset of the window in the original text
    highlights: tuple[tuple[int, int], ...]  # offsets inside `text`

    def marked(self, open: str = "【", close: str = "】") -> str:
        out, at = [], 0
        for s, e in self.highlights:
            out += [self.text[at:s], open, self.text[s:e], close]
            at = e
        out.append(self.text[at:])
        return "".join(out)


# Characters looked at so far (a library uses a few thousand), and those folding to one
# character a query word can hold (CJK, ASCII letters and digits): Ａ → a, 兀 → 兀. Folding
# only those is enough to find words, and keeps offsets into the folded text the original's.
# (One that folds to several, … → ..., ㈠ → (一), stays as it is: a query word rarely meets one.)
_SEEN: set[str] = set()
_FOLDS: dict[str, str] = {}
_FOLDING: re.Pattern[str] | None = None     # any character of _FOLDS
_WORD_CHAR = re.compile(rf"[{_CJK_CHARS}0-9a-z]")


@lru_cache(maxsize=32)
def _fold_one_to_one(text: str) -> str:
    global _FOLDING
    new = set(text).difference(_SEEN)
    if new:
        for ch in new:
            folded = fold(ch)
            if folded != ch and len(folded) == 1 and _WORD_CHAR.fullmatch(folded):
                _FOLDS[ch] = folded
        _SEEN.update(new)
        if _FOLDS:
            _FOLDING = re.compile("[" + "".join(map(re.escape, sorted(_FOLDS))) + "]")
    # A regex finds the few such characters (GDP, ５Ｇ) in C; str.translate looks up every one.
    return text if _FOLDING is None else _FOLDING.sub(lambda m: _FOLDS[m.group()], text)


def find_words(text: str, words: tuple[str, ...]) -> list[tuple[int, int]]:
    """Where the query's words occur in the original text, as sorted non-overlapping spans."""
    folded = _fold_one_to_one(text)
    spans: list[tuple[int, int]] = []
    for word in {w for w in words if w}:
        spans.extend(m.span() for m in re.finditer(re.escape(word), folded))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if merged and s < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return merged


def best_article(text: str, articles: list[tuple[int, int]], spans: list[tuple[int, int]],
                 words: tuple[str, ...]) -> int | None:
    """Index of the article holding the most of the query's words, then the most hits (ties: earliest)."""
    best, best_key = None, (0, 0)
    folded = _fold_one_to_one(text)
    starts = [s for s, _ in spans]
    for i, (start, end) in enumerate(articles):
        hits = bisect_left(starts, end) - bisect_left(starts, start)
        if not hits:
            continue
        article = folded[start:end]
        key = (sum(1 for w in set(words) if w in article), hits)
        if key > best_key:
            best, best_key = i, key
    return best


def snippet(text: str, spans: list[tuple[int, int]], start: int = 0, end: int | None = None,
            width: int = 120) -> Snippet:
    """The window of `width` characters within [start, end) holding the most highlights."""
    end = len(text) if end is None else end
    inside = [(s, e) for s, e in spans if start <= s and e <= end]
    if not inside:
        cut = text[start:min(end, start + width)]
        return Snippet(cut.strip(), start, ())
    best_at, best_n = inside[0][0], 0
    # Spans are sorted and apart, so their ends are sorted too: those inside [s, s + width]
    # run from s's own to the last ending by s + width.
    ends = [e for _, e in inside]
    for i, (s, _) in enumerate(inside):
        n = bisect_right(ends, s + width) - i
        if n > best_n:
            best_at, best_n = s, n
    lo = max(start, best_at - width // 4)
    hi = min(end, lo + width)
    window = text[lo:hi]
    marks = tuple((s - lo, e - lo) for s, e in inside if lo <= s and e <= hi)
    return Snippet(window, lo, marks)
