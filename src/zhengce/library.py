"""The policy library (政策库): ingest documents, search them, find benefits and related policies.

>>> lib = open_library("sqlite://")          # in memory; default: ZHENGCE_DB or ./zhengce.db
>>> lib.search("众创空间 奖励").total
0
"""
from __future__ import annotations

import hashlib
import re
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import rjieba
from sqlalchemy import func, or_, select

from zhengce.errors import ZhengceError
from zhengce.model import Policy
from zhengce.search import FACETS, Query, Snippet, best_article, find_words, fold, parse_query, snippet
from zhengce.store import default_url, migrate, open_engine
from zhengce.store import schema as s
from zhengce.store.repository import Original, Repository

Filters = Mapping[str, Sequence[str]]


def open_library(url: str | None = None) -> Library:
    """Open (creating and migrating as needed) the library at a database URL.

    Args:
        url: `sqlite:///path.db` or `postgresql://user@host/db`; default `ZHENGCE_DB`,
            else `sqlite:///zhengce.db` in the current directory.
    """
    return Library(url or default_url())


# --- results -------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class IngestEvent:
    """What happened to one file: added | updated | unchanged | failed."""

    path: str
    status: str
    policy_id: int | None = None
    title: str | None = None
    message: str | None = None


@dataclass(slots=True)
class IngestReport:
    """The outcome of one ingest run."""

    events: list[IngestEvent] = field(default_factory=list)
    seconds: float = 0.0

    def count(self, status: str) -> int:
        return sum(1 for e in self.events if e.status == status)

    @property
    def failed(self) -> list[IngestEvent]:
        return [e for e in self.events if e.status == "failed"]


@dataclass(frozen=True, slots=True)
class Hit:
    """One policy found, with the article that matched best and a highlighted snippet."""

    policy_id: int
    title: str
    issuer: str | None
    published: str | None
    score: float
    snippet: Snippet
    article_no: int | None = None
    article_title: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.policy_id, "title": self.title, "issuer": self.issuer,
                "published": self.published, "score": self.score,
                "article": None if self.article_no is None else
                {"no": self.article_no, "title": self.article_title},
                "snippet": self.snippet.text, "snippet_start": self.snippet.start,
                "highlights": [list(h) for h in self.snippet.highlights]}


@dataclass(frozen=True, slots=True)
class SearchResult:
    """Ranked hits, how many policies matched, and counts per facet value over all of them."""

    query: str
    total: int
    hits: tuple[Hit, ...]
    facets: dict[str, list[tuple[str, int]]]

    def to_dict(self) -> dict[str, Any]:
        return {"query": self.query, "total": self.total, "hits": [h.to_dict() for h in self.hits],
                "facets": {k: [{"value": v, "count": n} for v, n in vs] for k, vs in self.facets.items()}}


@dataclass(frozen=True, slots=True)
class ItemHit:
    """One benefit item (奖补事项) found across policies."""

    policy_id: int
    policy_title: str
    issuer: str | None
    published: str | None
    seq: int
    article: int | None
    recipient: str
    kind: str
    basis: str
    amount_yuan: float | None
    cap_yuan: float | None
    ratio: float | None
    ratio_min: float | None
    unit: str | None
    period: str | None
    quote: str | None
    conditions: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        data["conditions"] = list(self.conditions)
        return data


@dataclass(frozen=True, slots=True)
class Related:
    """A policy related to another, and why (引用 / 被引用 / 废止 / 共同资质 / 共同部门 / 内容相近)."""

    policy_id: int
    title: str
    score: float
    reasons: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.policy_id, "title": self.title, "score": self.score, "reasons": list(self.reasons)}


# --- the library -----------------------------------------------------------------------------

Reader = Callable[..., Policy]
_TITLE_MARKS = re.compile(r"[《》〈〉\s]")
_CITED = re.compile(r"《([^《》]{2,80})》")
# Words in nearly every policy: as keywords they would relate everything to everything.
_COMMON_WORDS = frozenset(
    "企业 支持 发展 加强 推进 建设 单位 工作 相关 按照 给予 进行 实施 有关 以上 不超过 最高 万元 政策 "
    "鼓励 项目 国家 部门 要求 规定 管理 服务 提供 开展 落实 符合 条件 申请 申报 年度 以及 其中".split())


class Library:
    """One library: a database of readings and its search index."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = open_engine(url)
        migrate(self.engine)
        self.repo = Repository(self.engine)
        self.repo.check_tokenizer()

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- ingest ----------------------------------------------------------------------------

    @staticmethod
    def documents(paths: Iterable[str | Path]) -> list[Path]:
        """The document files under `paths` (folders recursively), in a stable order."""
        from zhengce.reader.loading import iter_documents

        return list(iter_documents(paths))

    def ingest(self, paths: Iterable[str | Path], source_url: str | None = None,
               on_file: Callable[[IngestEvent], None] | None = None,
               reader: Reader | None = None) -> IngestReport:
        """Read and store documents; unchanged files are skipped, a bad file is reported and skipped.

        Args:
            paths: files and folders (searched recursively), any mix of formats.
            source_url: the page the documents came from, stored with each.
            on_file: called after each file with what happened to it.
            reader: `read_file(path, url=…)` or a stand-in.
        """
        if reader is None:
            from zhengce.reader import read_file as reader
        report = IngestReport()
        start = time.perf_counter()
        for path in self.documents(paths):
            event = self._ingest_one(Path(path), source_url, reader)
            report.events.append(event)
            if on_file is not None:
                on_file(event)
        report.seconds = time.perf_counter() - start
        return report

    def _ingest_one(self, path: Path, source_url: str | None, reader: Reader) -> IngestEvent:
        key = path.resolve().as_posix()
        try:
            raw = path.read_bytes()
        except OSError as exc:
            return IngestEvent(str(path), "failed", message=f"cannot read: {exc.strerror or exc}")
        sha = hashlib.sha256(raw).hexdigest()
        stored = self.repo.stored(key)
        if stored and stored.sha256 == sha and stored.source_url == source_url:
            return IngestEvent(str(path), "unchanged", stored.id)
        try:
            policy = reader(path, url=source_url)
        except ZhengceError as exc:
            return IngestEvent(str(path), "failed", message=getattr(exc, "problem", None) or str(exc))
        except Exception as exc:  # a reader bug must not stop the batch: report it with the file
            return IngestEvent(str(path), "failed", message=f"reader error: {type(exc).__name__}: {exc}")
        try:
            pid = self.repo.save(policy, key, Original(path.name, raw), sha256=sha)
        except Exception as exc:  # the transaction rolled back; the store is as before this file
            return IngestEvent(str(path), "failed", message=f"not stored: {type(exc).__name__}: {exc}")
        return IngestEvent(str(path), "updated" if stored else "added", pid, policy.title)

    def save(self, policy: Policy, key: str | None = None) -> int:
        """Store one reading (ingest without a file); the key keeps its id across saves."""
        return self.repo.save(policy, key)

    def load(self, policy_id: int) -> Policy:
        """The reading stored under an id."""
        return self.repo.load(policy_id)

    def count(self) -> int:
        return self.repo.count()

    # --- search ----------------------------------------------------------------------------

    def search(self, query: str, filters: Filters | None = None, limit: int = 10, offset: int = 0,
               facets: bool = True) -> SearchResult:
        """Policies matching every word of `query`, best first (BM25), with facet counts.

        Args:
            query: words as a person types them; any text is safe.
            filters: facet → accepted values, e.g. {"industry": ["制造业"], "year": ["2021"]}.
        """
        parsed = parse_query(query)
        with self.repo.reading() as conn:
            matches = self.repo.index.search(conn, parsed, _clean(filters), limit, offset, facets=facets)
            ids = [pid for pid, _ in matches.hits]
            info = self.repo.summaries(conn, ids, with_text=True)
            spans = self.repo.article_spans(conn, ids)
        hits = tuple(_hit(pid, score, info[pid], spans[pid], parsed) for pid, score in matches.hits)
        return SearchResult(query, matches.total, hits, matches.facets)

    def items(self, query: str, filters: Filters | None = None, policies: int = 50) -> list[ItemHit]:
        """Benefit items matching `query` across the best `policies` policies, side by side.

        An item is listed when every word occurs in its recipient, kind, quote or conditions.
        """
        parsed = parse_query(query)
        with self.repo.reading() as conn:
            matches = self.repo.index.search(conn, parsed, _clean(filters), policies, columns=("items",),
                                             facets=False)
            order = {pid: n for n, (pid, _) in enumerate(matches.hits)}
            found = [h for h in self.item_rows(conn, list(order)) if _item_matches(h, parsed)]
        found.sort(key=lambda h: (order[h.policy_id], h.seq))
        return found

    def item_rows(self, conn: Any, ids: Sequence[int] | None = None) -> list[ItemHit]:
        """Items with their conditions, of some policies (or of all, in id order)."""
        i, p, c = s.items.c, s.policies.c, s.conditions.c
        stmt = (select(i.policy_id, p.title, p.issuer, p.published, i.seq, i.article, i.recipient, i.kind,
                       i.basis, i.amount_yuan, i.cap_yuan, i.ratio, i.ratio_min, i.unit, i.period, i.quote)
                .join(s.policies, p.id == i.policy_id).order_by(i.policy_id, i.seq))
        cstmt = select(c.policy_id, c.item_seq, c.text).order_by(c.policy_id, c.item_seq, c.seq)
        if ids is not None:
            stmt = stmt.where(i.policy_id.in_(ids))
            cstmt = cstmt.where(c.policy_id.in_(ids))
        conds: dict[tuple[int, int], list[str]] = {}
        for row in conn.execute(cstmt):
            conds.setdefault((row.policy_id, row.item_seq), []).append(row.text)
        return [ItemHit(*row[:16], conditions=tuple(conds.get((row[0], row[4]), ())))
                for row in conn.execute(stmt)]

    # --- related ---------------------------------------------------------------------------

    def related(self, policy_id: int, limit: int = 10) -> list[Related]:
        """Policies related to one: citations both ways, supersession, shared honours and
        departments, and similar text. Scores add up over the reasons.
        """
        policy = self.load(policy_id)
        scores: Counter[int] = Counter()
        reasons: dict[int, list[str]] = {}

        def add(pid: int, score: float, reason: str) -> None:
            if pid != policy_id:
                scores[pid] += score
                reasons.setdefault(pid, []).append(reason)

        p = s.policies.c
        with self.repo.reading() as conn:
            for pid, reason in _citations(conn, policy_id, policy):
                add(pid, 10.0, reason)
            for pid, reason in _supersession(conn, policy_id, policy):
                add(pid, 10.0, reason)
            for table, column, label, weight in ((s.conditions, s.conditions.c.honour, "共同资质", 2.0),
                                                 (s.departments, s.departments.c.name, "共同部门", 1.0)):
                mine = [v for (v,) in conn.execute(select(column).distinct()
                                                   .where(table.c.policy_id == policy_id, column.is_not(None)))]
                if not mine:
                    continue
                shared = conn.execute(
                    select(table.c.policy_id, func.count(column.distinct()).label("n"))
                    .where(column.in_(mine), table.c.policy_id != policy_id)
                    .group_by(table.c.policy_id).order_by(func.count(column.distinct()).desc(), table.c.policy_id)
                    .limit(200))
                for pid, n in shared:
                    add(pid, weight * n, f"{label} ×{n}")
            similar = self.repo.index.search(conn, _keywords(policy), limit=limit * 2 + 1, facets=False)
            best = max((score for pid, score in similar.hits if pid != policy_id), default=0.0)
            for pid, score in similar.hits:
                if best > 0:
                    add(pid, 5.0 * score / best, f"内容相近 {score / best:.2f}")
            titles = {r.id: r.title for r in conn.execute(select(p.id, p.title).where(p.id.in_(list(scores))))}
        ranked = sorted(scores, key=lambda pid: (-scores[pid], pid))[:limit]
        return [Related(pid, titles.get(pid, ""), round(scores[pid], 4), tuple(reasons[pid])) for pid in ranked]


# --- helpers ---------------------------------------------------------------------------------

def _clean(filters: Filters | None) -> dict[str, list[str]]:
    """Facet filters with empty values dropped; an unknown facet is an error that says which exist."""
    out: dict[str, list[str]] = {}
    for facet, values in (filters or {}).items():
        if facet not in FACETS:
            raise ZhengceError(f"unknown facet {facet!r}: expected one of {', '.join(FACETS)}")
        if isinstance(values, str):
            values = [values]
        kept = [str(v) for v in values if v not in (None, "")]
        if facet == "year":
            if any(not v.isdigit() for v in kept):
                raise ZhengceError(f"year must be digits such as 2021; got {kept!r}")
            kept = [str(int(v)) for v in kept]
        if kept:
            out[facet] = kept
    return out


def _hit(pid: int, score: float, info: dict[str, Any], articles: list[dict[str, Any]], query: Query) -> Hit:
    text: str = info["text"]
    spans = find_words(text, query.words())
    chosen = best_article(text, [(a["start"], a["end"]) for a in articles], spans, query.words())
    if chosen is None:
        cut = snippet(text, spans)
        return Hit(pid, info["title"], info["issuer"], info["published"], score, cut)
    a = articles[chosen]
    cut = snippet(text, spans, a["start"], a["end"])
    return Hit(pid, info["title"], info["issuer"], info["published"], score, cut, a["no"], a["title"])


def _item_matches(item: ItemHit, query: Query) -> bool:
    text = fold("\n".join([item.recipient, item.kind, item.quote or "", *item.conditions]))
    return all(all(w in text for w in phrase.words) for phrase in query.phrases)


def _bare_title(title: str) -> str:
    return _TITLE_MARKS.sub("", title)


def _citations(conn: Any, policy_id: int, policy: Policy) -> list[tuple[int, str]]:
    """Stored policies this one cites (by title or 文号) and those citing it."""
    p, c = s.policies.c, s.citations.c
    found: list[tuple[int, str]] = []
    titles = {_bare_title(r.title) for r in policy.references if r.title}
    numbers = {r.number for r in policy.references if r.number}
    if titles or numbers:
        rows = conn.execute(select(p.id, p.title).where(or_(p.title.in_(titles), p.number.in_(numbers))))
        found += [(pid, f"引用《{title}》") for pid, title in rows]
    mine = [x for x in (policy.title, _bare_title(policy.title)) if x]
    cond = c.title.in_(mine)
    if policy.number:
        cond = or_(cond, c.number == policy.number)
    rows = conn.execute(select(c.policy_id).distinct().where(cond))
    found += [(pid, "被其引用") for (pid,) in rows]
    return found


def _supersession(conn: Any, policy_id: int, policy: Policy) -> list[tuple[int, str]]:
    """Policies this one repeals (named in its 废止 clause) and those that repeal it."""
    p = s.policies.c
    found: list[tuple[int, str]] = []
    clause = policy.validity.supersedes or ""
    names = {_bare_title(t) for t in _CITED.findall(clause)}
    if names:
        for pid, title in conn.execute(select(p.id, p.title).where(p.title.in_(names))):
            found.append((pid, f"废止《{title}》"))
    if policy.title:
        rows = conn.execute(select(p.id).where(p.supersedes.contains(policy.title, autoescape=True)))
        found += [(pid, "废止本政策") for (pid,) in rows]
    return found


def _keywords(policy: Policy, n: int = 16) -> Query:
    """The policy's most frequent distinctive words as an OR query (the "whole document as
    query" method, which ranked best in our trials; BM25's idf discounts the common ones).
    """
    body = "\n".join(a.text for a in policy.articles) or policy.text
    counts = Counter(w for w in rjieba.cut(fold(policy.title + "\n" + body))
                     if len(w) >= 2 and not w.isascii() and w not in _COMMON_WORDS)
    words = " ".join(w for w, _ in counts.most_common(n))
    return Query(parse_query(words).phrases, any=True)
