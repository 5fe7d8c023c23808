"""The full-text index on each dialect, and one BM25 for both.

The score is FTS5's `bm25()` (sqlite/ext/fts5/fts5_aux.c, fts5Bm25Function): for
each query phrase, idf = ln((N - n + 0.5) / (n + 0.5)) floored at 1e-6, with n the
documents holding the phrase; f = Σ column weight × hits in the column; and
score = Σ idf × f × (k1 + 1) / (f + k1 × (1 - b + b × D / avgdl)), k1 = 1.2,
b = 0.75, D the document's tokens in all columns, N and avgdl over the whole
index. Every path below computes exactly this, with the same floating-point
operations in the same order, so scores agree to the bit and, ties broken by id,
SQLite and PostgreSQL give the same order. (`ts_rank`/`ts_rank_cd` are not BM25.)

SQLite: an FTS5 table (`ascii` tokenizer, contentless) over the token texts of
`zhengce.search`; `search_text`, the segment texts they are cut from (UTF-8, the
columns \x1f apart); `search_facets`, each policy's facet values as 8-byte digests.
`bm25()` pays for each phrase's n with a scan of the phrase over the whole index:
25 ms at 100,000 policies for 高新技术企业. So when the match (narrowed by facet
tokens) is small enough, the phrases' hits are counted in the segment texts and n
comes from a cache kept per index revision; larger matches are ranked by `bm25()`.
Both count facet values over every match from the digests (`FacetNames` names them).

PostgreSQL: `search_docs` keeps the token texts and a tsvector of their distinct
tokens under GIN, which finds the candidates; hits are counted in SQL as
occurrences of `<t1><t2>…` (what FTS5 counts by positions), n comes from the same
cache. A phrase of three or more characters overlapping itself by two (哈哈哈 in
哈哈哈哈) counts once there and in the segment texts, twice in FTS5: the one place
the paths can differ.

Each search reads in one transaction (a snapshot), so a concurrent ingest never
mixes two states.
"""
from __future__ import annotations

import heapq
import json
import math
import time
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection

from zhengce.search import (
    COLUMNS,
    FACETS,
    TEXT_COLUMNS,
    WEIGHTS,
    Document,
    Phrase,
    Query,
    facet_digest,
    facet_token,
    sketch_cell,
    tokens,
)

K1, B = 1.2, 0.75
# The price of ranking one matching policy, in ms: counting its phrases in its segment text
# (Python) or FTS5's bm25() once its phrase scans are paid. Measured at 100,000 policies.
PYTHON_MS, BM25_MS = 0.025, 0.007
# No more matches than this are counted in Python, whatever the scans would cost.
PYTHON_RANKS = 1500
# Ranking a match by its bound (its most frequent bigrams' counts; the few that may reach the
# page are counted in their texts): ~3 µs dearer than bm25() a match, without its scans.
# Measured at 100,000 policies. No more matches than BOUNDED_RANKS are ranked so: when a
# match turns out larger, finding it was wasted.
BOUNDED_MS = 0.010
BOUNDED_RANKS = 5000
# Scores are compared to bounds computed with the same operations on larger hits; this margin
# only guards against rounding.
_MARGIN = 1e-9
_WEIGHT = dict(zip(COLUMNS, WEIGHTS))


@dataclass(frozen=True, slots=True)
class Matches:
    """Ranked policy ids (best first), how many matched, and facet counts over all matches."""

    hits: tuple[tuple[int, float], ...]
    total: int
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Stats:
    """Index-wide figures BM25 needs, and the revision caches are keyed by."""

    revision: int
    n_docs: int
    n_tokens: int

    @property
    def avgdl(self) -> float:
        return float(self.n_tokens) / float(max(self.n_docs, 1))

    def idf(self, n: int) -> float:
        value = math.log((self.n_docs - n + 0.5) / (n + 0.5))
        return 1e-6 if value <= 0.0 else value


def bm25(freqs: Sequence[float], size: int, idfs: Sequence[float], avgdl: float) -> float:
    """FTS5's bm25(), positive, operation for operation."""
    score = 0.0
    for f, idf in zip(freqs, idfs):
        score += idf * ((f * (K1 + 1.0)) / (f + K1 * (1 - B + B * float(size) / avgdl)))
    return score


def facet_groups(filters: Mapping[str, Sequence[str]]) -> list[list[str]]:
    """The facet tokens a search requires: any value within a facet, every facet."""
    groups = []
    for facet, values in filters.items():
        if facet not in FACETS:
            raise ValueError(f"unknown facet {facet!r}: expected one of {', '.join(FACETS)}")
        kept = sorted({facet_token(facet, v) for v in values if v not in (None, "")})
        if kept:
            groups.append(kept)
    return groups


# PostgreSQL counts facet values in SQL; SQLite from packed digests (`FullText.count_facets`).
_FACET_COUNTS = """
  UNION ALL SELECT 2, count(*), NULL, t.facet, t.value FROM m CROSS JOIN tags t WHERE t.policy_id = m.id
    GROUP BY t.facet, t.value
"""
_HITS = """
SELECT 0 AS part, id, score, NULL AS facet, NULL AS value FROM (SELECT id, score FROM m
  ORDER BY score DESC, id LIMIT :limit OFFSET :offset) AS top
  UNION ALL SELECT 1, count(*), NULL, NULL, NULL FROM m"""


class FullText:
    """Write and query the index of one dialect."""

    def __init__(self, dialect: str) -> None:
        self.sqlite = dialect == "sqlite"
        self.python_ranks = PYTHON_RANKS
        self.bounded_ranks = BOUNDED_RANKS
        # or "python" / "bounded" / "bm25": one way of ranking on SQLite (tests compare them)
        self.path = "auto"
        # (phrase, columns) → (documents holding it, ms FTS5 took to count them)
        self._df: dict[tuple[str, tuple[str, ...]], tuple[int, float]] = {}
        self._df_revision = -1
        self.facet_names = FacetNames()

    # --- writing -------------------------------------------------------------------------

    def insert(self, conn: Connection, docs: Sequence[tuple[int, Document]]) -> None:
        if not docs:
            return
        if self.sqlite:
            conn.exec_driver_sql("INSERT INTO policy_fts (rowid, title, body, items, facets) VALUES (?, ?, ?, ?, ?)",
                                 [(i, *d.columns()) for i, d in docs])
            conn.exec_driver_sql("INSERT INTO search_text (policy_id, size, segments) VALUES (?, ?, ?)",
                                 [(i, d.size, _pack(d)) for i, d in docs])
            conn.exec_driver_sql("INSERT INTO search_facets (policy_id, digests) VALUES (?, ?)",
                                 [(i, b"".join(facet_digest(f, v) for f, v in d.pairs)) for i, d in docs])
            conn.exec_driver_sql("INSERT INTO search_terms (policy_id, size, floor, terms, counts, sketch)"
                                 " VALUES (?, ?, ?, ?, ?, ?)",
                                 [(i, d.size, d.floor, *pack_terms(d.terms), d.sketch) for i, d in docs])
            return
        # The tsvector goes as its text form ('众创' '创空' …): parsing that is the server's cheapest
        # way in (string_to_array + array_to_tsvector cost it ~2 ms a policy; a text[] the client more).
        copy_rows(conn, "search_docs", ("policy_id", "title", "body", "items", "facets", "size", "tsv"),
                  [(i, *d.columns(), d.size, _tsvector(d)) for i, d in docs])

    def delete(self, conn: Connection, policy_id: int) -> int:
        """Remove a policy's entry; returns how many tokens it had."""
        if not self.sqlite:
            size = conn.execute(text("DELETE FROM search_docs WHERE policy_id = :id RETURNING size"),
                                {"id": policy_id}).scalar()
            return int(size or 0)
        row = conn.execute(text("SELECT t.size, t.segments, f.digests FROM search_text t JOIN search_facets f"
                                " ON f.policy_id = t.policy_id WHERE t.policy_id = :id"), {"id": policy_id}).first()
        if row is None:
            return 0
        # A contentless FTS5 table forgets a row only when told exactly what was inserted.
        conn.exec_driver_sql("INSERT INTO policy_fts (policy_fts, rowid, title, body, items, facets)"
                             " VALUES ('delete', ?, ?, ?, ?, ?)", (policy_id, *_unpack(row.segments, row.digests)))
        conn.execute(text("DELETE FROM search_text WHERE policy_id = :id"), {"id": policy_id})
        conn.execute(text("DELETE FROM search_facets WHERE policy_id = :id"), {"id": policy_id})
        conn.execute(text("DELETE FROM search_terms WHERE policy_id = :id"), {"id": policy_id})
        return int(row.size)

    def clear(self, conn: Connection) -> None:
        if self.sqlite:
            conn.execute(text("INSERT INTO policy_fts (policy_fts) VALUES ('delete-all')"))
            conn.execute(text("DELETE FROM search_text"))
            conn.execute(text("DELETE FROM search_facets"))
            conn.execute(text("DELETE FROM search_terms"))
        else:
            conn.execute(text("DELETE FROM search_docs"))

    # --- searching -----------------------------------------------------------------------

    def search(self, conn: Connection, query: Query, filters: Mapping[str, Sequence[str]] | None = None,
               limit: int = 10, offset: int = 0, columns: Sequence[str] = TEXT_COLUMNS,
               facets: bool = True) -> Matches:
        """Rank the policies whose `columns` match `query` and that hold the facet values in `filters`."""
        if not query:
            return Matches((), 0, {})
        groups = facet_groups(filters or {})
        columns = tuple(columns)
        stats = self._stats(conn)
        if not self.sqlite:
            sql, params = self._postgres(conn, query, groups, columns, stats)
            return self._run(conn, sql, params, limit, offset, facets)
        # bm25() would scan every phrase over the whole index; counting in Python pays per match.
        # Phrases not counted yet cost one scan either way; counting them here fills the cache.
        # With bounds from each policy's most frequent bigrams, most matches are ranked out unread.
        bounded = self.path in ("auto", "bounded") and columns == TEXT_COLUMNS and _boundable(query)
        per_match = BOUNDED_MS if bounded else PYTHON_MS
        keys = [_df_key(p, columns) for p in query.phrases]
        scans = sum(self._df[k][1] for k in keys if k in self._df)
        most = self.bounded_ranks if bounded else self.python_ranks
        cap = int(scans / (per_match - BM25_MS)) if per_match > BM25_MS else most
        if any(k not in self._df for k in keys):
            cap = max(cap, 200)
        cap = {"python": self.python_ranks, "bounded": self.bounded_ranks, "bm25": 0}.get(self.path, min(cap, most))
        ids: list[int] = []
        if cap > 0:
            # Counting every match checks the phrases as it goes, so it starts from their tokens
            # anywhere, not side by side: FTS5 checks a phrase's positions in every policy holding its
            # tokens before the facet tokens narrow them (15 ms rather than 9 for 高新技术企业 with two
            # facets at 100,000 policies). Bounds leave most matches uncounted: FTS5 says which match.
            match = _fts5_match(query, groups, columns, exact=bounded)
            ids = [r[0] for r in conn.exec_driver_sql("SELECT rowid FROM policy_fts WHERE policy_fts MATCH ? LIMIT ?",
                                                      (match, cap + 1))]
        if bounded and 0 < len(ids) <= cap:
            top, digests = self._rank_bounded(conn, query, stats, ids, offset + limit)
            counts = self._facet_counts(conn, digests) if facets else {}
            return Matches(tuple(top[offset:]), len(digests), counts)
        if cap == 0 or len(ids) > cap:
            weights = ", ".join(repr(w) for w in WEIGHTS)
            # bm25() is negative (better is lower); negated, every path sorts score DESC.
            match = _fts5_match(query, groups, columns)
            scored = [(int(pid), float(score)) for pid, score in conn.exec_driver_sql(
                f"SELECT rowid, -bm25(policy_fts, {weights}) FROM policy_fts WHERE policy_fts MATCH ?", (match,))]
            counts = self.count_facets(conn, [pid for pid, _ in scored]) if facets else {}
        else:
            scored, digests = self._rank_in_python(conn, query, columns, stats, ids)
            counts = self._facet_counts(conn, digests) if facets else {}
        top = heapq.nsmallest(offset + limit, scored, key=lambda h: (-h[1], h[0]))[offset:]
        return Matches(tuple(top), len(scored), counts)

    def count_facets(self, conn: Connection, ids: Sequence[int]) -> dict[str, list[tuple[str, int]]]:
        """How many of these policies hold each facet value, most first (SQLite: from their digests)."""
        if not ids:
            return {}
        rows = conn.exec_driver_sql("SELECT policy_id, digests FROM search_facets WHERE policy_id IN"
                                    " (SELECT value FROM json_each(?))", (json.dumps(list(ids)),)).all()
        return self._facet_counts(conn, [(int(pid), digests) for pid, digests in rows])

    def _facet_counts(self, conn: Connection, rows: Sequence[tuple[int, bytes]]) -> dict[str, list[tuple[str, int]]]:
        # Eight bytes a value, counted as machine integers: ~20 values a policy, ~3 µs for all of them.
        counted = Counter(array("Q", b"".join(digests for _, digests in rows)))
        names = self.facet_names.lookup(conn, counted, rows)
        out: dict[str, list[tuple[str, int]]] = {}
        for key, n in counted.items():
            if key in names:
                facet, value = names[key]
                out.setdefault(facet, []).append((value, n))
        for values in out.values():
            values.sort(key=lambda v: (-v[1], v[0]))
        return out

    def _stats(self, conn: Connection) -> Stats:
        row = conn.execute(text("SELECT revision, n_docs, n_tokens FROM index_stats WHERE id = 1")).one()
        stats = Stats(int(row.revision), int(row.n_docs), int(row.n_tokens))
        if stats.revision != self._df_revision:
            self._df.clear()
            self._df_revision = stats.revision
        return stats

    def _doc_freq(self, conn: Connection, phrase: Phrase, columns: tuple[str, ...]) -> int:
        """How many policies hold the phrase in the columns (cached until the index changes)."""
        key = _df_key(phrase, columns)
        if key not in self._df:
            began = time.perf_counter()
            if self.sqlite:
                match = _fts5_phrase(phrase, columns)
                n = conn.exec_driver_sql("SELECT count(*) FROM policy_fts WHERE policy_fts MATCH ?", (match,)).scalar()
            else:
                exact = len(phrase.tokens) == 1 and columns == TEXT_COLUMNS
                recheck = "" if exact else " AND (" + " OR ".join(f"strpos(d.{c}, :pat) > 0" for c in columns) + ")"
                n = conn.execute(text(f"SELECT count(*) FROM search_docs d WHERE d.tsv @@ CAST(:q AS tsquery){recheck}"),
                                 {"q": phrase.lexemes(), "pat": phrase.pattern()}).scalar()
            if len(self._df) > 100_000:
                self._df.clear()
            self._df[key] = (int(n or 0), (time.perf_counter() - began) * 1000)
        return self._df[key][0]

    def _rank_in_python(self, conn: Connection, query: Query, columns: tuple[str, ...], stats: Stats,
                        ids: list[int]) -> tuple[list[tuple[int, float]], list[tuple[int, bytes]]]:
        """Scores of the policies that hold the phrases, counted in their segment texts, and their facet digests."""
        idfs = [stats.idf(self._doc_freq(conn, p, columns)) for p in query.phrases]
        hits = _hits_counter(query, columns)
        avgdl, every = stats.avgdl, not query.any
        scored, digests = [], []
        # The driver's own cursor: SQLAlchemy's rows cost ~2 µs each, a tenth of counting one policy.
        cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        rows = cursor.execute("SELECT t.policy_id, t.size, t.segments, f.digests FROM search_text t"
                              " JOIN search_facets f ON f.policy_id = t.policy_id WHERE t.policy_id IN"
                              " (SELECT value FROM json_each(?))", (json.dumps(ids),))
        for pid, size, data, facet_digests in rows:
            freqs = hits(data)
            if all(freqs) if every else any(freqs):
                scored.append((pid, bm25(freqs, size, idfs, avgdl)))
                digests.append((pid, facet_digests))
        cursor.close()
        return scored, digests

    def _rank_bounded(self, conn: Connection, query: Query, stats: Stats, ids: list[int],
                      k: int) -> tuple[list[tuple[int, float]], list[tuple[int, bytes]]]:
        """The best k of these policies (FTS5 found that each holds the query), scored as
        `_rank_in_python` scores them, and the facet digests of all.

        A policy's bound is its BM25 with each phrase's hits taken as the fewest weighted
        occurrences of any of its tokens (`search_terms`: its most frequent bigrams, and the
        most any other can weigh). Policies are counted in their texts best bound first, until
        the next bound is below the k-th best score: no policy left can reach the page.
        """
        idfs = [stats.idf(self._doc_freq(conn, p, TEXT_COLUMNS)) for p in query.phrases]
        phrases = [(idf, [(_term_key(t), sketch_cell(t)) for t in p.tokens]) for idf, p in zip(idfs, query.phrases)]
        avgdl = stats.avgdl
        bounds: list[tuple[float, int, int]] = []
        digests: list[tuple[int, bytes]] = []
        cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        rows = cursor.execute("SELECT t.policy_id, t.size, t.floor, t.terms, t.counts, t.sketch, f.digests"
                              " FROM search_terms t JOIN search_facets f ON f.policy_id = t.policy_id"
                              " WHERE t.policy_id IN (SELECT value FROM json_each(?))", (json.dumps(ids),)).fetchall()
        for pid, size, floor, terms, counts, sketch, facet_digests in rows:
            # bm25() written out (a few µs a policy add up over thousands): its value at the bounds.
            norm = K1 * (1 - B + B * float(size) / avgdl)
            bound = 0.0
            for idf, keys in phrases:
                f = float(hits_bound(terms, counts, sketch, floor, keys))
                bound += idf * ((f * (K1 + 1.0)) / (f + norm))
            bounds.append((bound, pid, size))
            digests.append((pid, facet_digests))
        bounds.sort(key=lambda b: (-b[0], b[1]))
        hits = _hits_counter(query, TEXT_COLUMNS)
        best: list[tuple[float, int]] = []      # (score, -id): its root is the k-th best so far
        at, step = 0, max(k, 16)
        while at < len(bounds):
            batch = []
            while at < len(bounds) and len(batch) < step:
                bound, pid, size = bounds[at]
                if len(best) >= k and bound * (1.0 + _MARGIN) < best[0][0]:
                    at = len(bounds)
                    break
                batch.append((pid, size))
                at += 1
            if not batch:
                break
            sizes = dict(batch)
            texts = cursor.execute("SELECT policy_id, segments FROM search_text WHERE policy_id IN"
                                   " (SELECT value FROM json_each(?))", (json.dumps(list(sizes)),))
            for pid, data in texts:
                entry = (bm25(hits(data), sizes[pid], idfs, avgdl), -pid)
                if len(best) < k:
                    heapq.heappush(best, entry)
                elif entry > best[0]:
                    heapq.heapreplace(best, entry)
            step *= 2
        cursor.close()
        best.sort(key=lambda e: (-e[0], -e[1]))
        return [(-neg, score) for score, neg in best], digests

    def _run(self, conn: Connection, sql: str, params: dict[str, Any], limit: int, offset: int, facets: bool,
             raw: bool = False) -> Matches:
        if not raw:
            sql += _HITS + (_FACET_COUNTS if facets else "")
            params = {**params, "limit": limit, "offset": offset}
        hits: list[tuple[int, float]] = []
        total = 0
        counts: dict[str, list[tuple[str, int]]] = {}
        for part, number, score, facet, value in conn.execute(text(sql), params):
            if part == 0:
                hits.append((int(number), float(score)))
            elif part == 1:
                total = int(number)
            else:
                counts.setdefault(str(facet), []).append((str(value), int(number)))
        hits.sort(key=lambda h: (-h[1], h[0]))
        for values in counts.values():
            values.sort(key=lambda v: (-v[1], v[0]))
        return Matches(tuple(hits), total, counts)

    def _postgres(self, conn: Connection, query: Query, groups: list[list[str]], columns: tuple[str, ...],
                  stats: Stats) -> tuple[str, dict[str, Any]]:
        tsq = "(" + query.tsquery() + ")"
        for group in groups:
            tsq += " & (" + " | ".join(f"'{t}'" for t in group) + ")"
        params: dict[str, Any] = {"tsq": tsq, "avgdl": stats.avgdl}
        freqs, terms = [], []
        for i, phrase in enumerate(query.phrases):
            pat = f"p{i}"
            params[pat] = phrase.pattern()
            params[f"idf{i}"] = stats.idf(self._doc_freq(conn, phrase, columns))
            # Hits of the phrase in each column, weighted, as FTS5 adds them up (bytes: the same
            # quotient as characters, without counting them).
            freqs.append(" + ".join(
                f"CAST({_WEIGHT[c]!r} AS float8) * ((octet_length(d.{c}) - octet_length(replace(d.{c}, :{pat}, '')))"
                f" / octet_length(:{pat}))" for c in columns) + f" AS f{i}")
            terms.append(f"CAST(:idf{i} AS float8) * ((c.f{i} * (CAST({K1!r} AS float8) + CAST(1.0 AS float8)))"
                         f" / (c.f{i} + CAST({K1!r} AS float8) * (CAST(1 AS float8) - CAST({B!r} AS float8)"
                         f" + CAST({B!r} AS float8) * c.size / CAST(:avgdl AS float8))))")
        present = (" OR " if query.any else " AND ").join(f"c.f{i} > 0" for i in range(len(query.phrases)))
        # PostgreSQL fetches and unpacks a TOASTed value at every mention: the inner select (OFFSET 0
        # keeps it apart) unpacks each column once, whatever the number of phrases.
        texts = ", ".join(f"{c} || '' AS {c}" for c in columns)
        sql = (
            "WITH c AS MATERIALIZED (SELECT d.id, d.size, " + ", ".join(freqs)
            + f" FROM (SELECT policy_id AS id, CAST(size AS float8) AS size, {texts} FROM search_docs"
            " WHERE tsv @@ CAST(:tsq AS tsquery) OFFSET 0) AS d),\n"
            "m AS MATERIALIZED (SELECT c.id, CAST(0.0 AS float8) + " + " + ".join(terms)
            + f" AS score FROM c WHERE {present})"
        )
        return sql, params


def _hits_counter(query: Query, columns: tuple[str, ...]) -> Callable[[bytes], list[float]]:
    """Each phrase's weighted hits in the columns of one packed segment text."""
    patterns = [p.in_segments() for p in query.phrases]
    wanted = [(TEXT_COLUMNS.index(c), _WEIGHT[c]) for c in columns]
    w_title, w_body, w_items = (_WEIGHT[c] for c in TEXT_COLUMNS)
    needles = [p.needle for p in patterns]

    # Most words are a plain substring in all three columns: counted inline, three calls a word.
    def inline(data: bytes) -> list[float]:
        # Column bounds instead of split(): no copies of the body.
        a = data.index(b"\x1f")
        b = data.index(b"\x1f", a + 1)
        return [w_title * data.count(n, 0, a) + w_body * data.count(n, a + 1, b) + w_items * data.count(n, b + 1)
                for n in needles]

    def general(data: bytes) -> list[float]:
        a = data.index(b"\x1f")
        b = data.index(b"\x1f", a + 1)
        spans = ((0, a), (a + 1, b), (b + 1, len(data)))
        return [sum(weight * p.count(data, *spans[i]) for i, weight in wanted) for p in patterns]

    plain = wanted == [(0, w_title), (1, w_body), (2, w_items)] and all(p.regex is None for p in patterns)
    return inline if plain else general


def _term_key(token: str) -> bytes:
    """A kept bigram as stored: two UTF-16 units (no zero bytes in CJK, so finding one is quick)."""
    return token.encode("utf-16-be")


def pack_terms(terms: Sequence[tuple[str, int]]) -> tuple[bytes, bytes]:
    """A policy's most frequent bigrams and their weighted counts, four bytes each, as `hits_bound` reads them."""
    return b"".join(_term_key(t) for t, _ in terms), b"".join(n.to_bytes(4, "big") for _, n in terms)


def hits_bound(terms: bytes, counts: bytes, sketch: bytes, floor: int, keys: Sequence[tuple[bytes, int]]) -> int:
    """The most weighted hits a phrase of these tokens ((`_term_key`, `sketch_cell`) each) can have
    in a policy with these packed terms: the fewest weighted occurrences of any of its tokens.
    """
    least = -1
    for key, cell in keys:
        at = terms.find(key)
        while at > 0 and at & 3:        # across two entries, not at the start of one
            at = terms.find(key, at + 1)
        if at >= 0:
            n = int.from_bytes(counts[at:at + 4], "big")
        else:
            n = sketch[cell]
            if n == 255:
                n = floor
        if least < 0 or n < least:
            least = n
    return least


def _boundable(query: Query) -> bool:
    """Whether every phrase is CJK bigrams side by side: what the kept bigram counts bound."""
    return all(not p.prefix and all(len(t) == 2 and not t.isascii() for t in p.tokens) for p in query.phrases)


def _df_key(phrase: Phrase, columns: tuple[str, ...]) -> tuple[str, tuple[str, ...]]:
    return phrase.pattern() + ("*" if phrase.prefix else ""), columns


def _fts5_phrase(phrase: Phrase, columns: tuple[str, ...], exact: bool = True) -> str:
    """The phrase in FTS5 syntax, kept to `columns`; not `exact`: its tokens anywhere in a policy."""
    found = phrase.fts5()
    if not exact and len(phrase.tokens) > 1:
        last = len(phrase.tokens) - 1
        found = "(" + " AND ".join(Phrase((t,), phrase.prefix and i == last).fts5()
                                   for i, t in enumerate(phrase.tokens)) + ")"
    # The facets column holds nothing but ASCII tokens (f + hex), so a phrase of CJK tokens
    # is in the text columns wherever it is: checking the column at each of its positions
    # would cost a third of every scan.
    if columns == TEXT_COLUMNS and not any(t.isascii() for t in phrase.tokens):
        return found
    return "{" + " ".join(columns) + "} : " + found


def _fts5_match(query: Query, groups: list[list[str]], columns: tuple[str, ...], exact: bool = True) -> str:
    """The FTS5 query of a search; not `exact`: a superset, whose phrases are checked as they are counted."""
    glue = " OR " if query.any else " AND "
    match = "(" + glue.join(_fts5_phrase(p, columns, exact) for p in query.phrases) + ")"
    for group in groups:
        match += " AND {facets} : (" + " OR ".join(f'"{t}"' for t in group) + ")"
    return match


def _pack(doc: Document) -> bytes:
    """The segment texts of title, body and items: what a small match counts phrases in."""
    # Stored as they are: unpacking cost more than the counting (a small match reads each one).
    return "\x1f".join(doc.segments).encode()


def _unpack(segments: bytes, digests: bytes) -> list[str]:
    """The four token texts a policy was indexed with, rebuilt from what `insert` stored."""
    columns = ["".join(f"<{t}>" for t in tokens(s)) for s in segments.decode().split("\x1f")]
    columns.append("".join(f"<f{digests[i:i + 8].hex()}>" for i in range(0, len(digests), 8)))
    return columns


class FacetNames:
    """The (facet, value) behind each digest, learnt from the tags of policies holding it.

    A digest always names the same value, so what is learnt stays true whatever is written later.
    """

    def __init__(self) -> None:
        self._names: dict[int, tuple[str, str]] = {}

    def lookup(self, conn: Connection, keys: Iterable[int],
               rows: Sequence[tuple[int, bytes]]) -> dict[int, tuple[str, str]]:
        """Names of `keys` (digests as machine integers), from `rows` (policy id, digests) holding them."""
        unknown = {k for k in keys if k not in self._names}
        if unknown:
            readers: list[int] = []
            for pid, digests in rows:
                found = unknown.intersection(array("Q", digests))
                if found:
                    readers.append(pid)
                    unknown -= found
                    if not unknown:
                        break
            tags = conn.exec_driver_sql("SELECT DISTINCT facet, value FROM tags WHERE policy_id IN"
                                        " (SELECT value FROM json_each(?))", (json.dumps(readers),))
            for facet, value in tags:
                self._names[array("Q", facet_digest(facet, value))[0]] = (facet, value)
        return self._names


def _tsvector(doc: Document) -> str:
    found: set[str] = set()
    for column in doc.columns():
        if column:
            found.update(column[1:-1].split("><"))
    return " ".join("'" + t.replace("\\", "\\\\").replace("'", "''") + "'" for t in found)


def copy_rows(conn: Connection, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """PostgreSQL's COPY: several times faster than executemany for bulk rows."""
    names = ", ".join(f'"{c}"' for c in columns)
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
