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
`zhengce.search`, plus `search_text`, the same texts LZ4-packed. `bm25()` pays for
each phrase's n with a scan of the phrase over the whole index: 25 ms at 100,000
policies for 高新技术企业. So when the match (narrowed by facet tokens) holds at most
`PYTHON_RANKS` policies, the phrases' hits are counted in their packed texts and n
comes from a cache kept per index revision; larger matches are ranked by `bm25()`.

PostgreSQL: `search_docs` keeps the token texts and a tsvector of their distinct
tokens under GIN, which finds the candidates; hits are counted in SQL as
occurrences of `<t1><t2>…` (what FTS5 counts by positions), n comes from the same
cache. A phrase overlapping itself (哈哈 in 哈哈哈) counts once there and in the
packed texts, twice in FTS5: the one place the paths can differ.

Each search reads in one transaction (a snapshot), so a concurrent ingest never
mixes two states.
"""
from __future__ import annotations

import json
import math
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import lz4.block
from sqlalchemy import text
from sqlalchemy.engine import Connection

from zhengce.search import COLUMNS, FACETS, TEXT_COLUMNS, WEIGHTS, Document, Phrase, Query, facet_token

K1, B = 1.2, 0.75
# The price of ranking one matching policy, in ms: counting its phrases in its packed text
# (Python) or FTS5's bm25() once its phrase scans are paid. Measured at 100,000 policies.
PYTHON_MS, BM25_MS = 0.035, 0.01
# No more matches than this are counted in Python, whatever the scans would cost.
PYTHON_RANKS = 1500
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


# CROSS JOIN: SQLite otherwise walks the whole tags index (it is in GROUP BY order) for a few matches.
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
        self.path = "auto"          # or "python" / "bm25": one way of ranking on SQLite (tests compare them)
        # (phrase, columns) → (documents holding it, ms FTS5 took to count them)
        self._df: dict[tuple[str, tuple[str, ...]], tuple[int, float]] = {}
        self._df_revision = -1

    # --- writing -------------------------------------------------------------------------

    def insert(self, conn: Connection, docs: Sequence[tuple[int, Document]]) -> None:
        if not docs:
            return
        if self.sqlite:
            conn.exec_driver_sql("INSERT INTO policy_fts (rowid, title, body, items, facets) VALUES (?, ?, ?, ?, ?)",
                                 [(i, *d.columns()) for i, d in docs])
            conn.exec_driver_sql("INSERT INTO search_text (policy_id, size, tokens) VALUES (?, ?, ?)",
                                 [(i, d.size, _pack(d)) for i, d in docs])
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
        row = conn.execute(text("SELECT size, tokens FROM search_text WHERE policy_id = :id"), {"id": policy_id}).first()
        if row is None:
            return 0
        # A contentless FTS5 table forgets a row only when told exactly what was inserted.
        conn.exec_driver_sql("INSERT INTO policy_fts (policy_fts, rowid, title, body, items, facets)"
                             " VALUES ('delete', ?, ?, ?, ?, ?)", (policy_id, *_unpack(row.tokens)))
        conn.execute(text("DELETE FROM search_text WHERE policy_id = :id"), {"id": policy_id})
        return int(row.size)

    def clear(self, conn: Connection) -> None:
        if self.sqlite:
            conn.execute(text("INSERT INTO policy_fts (policy_fts) VALUES ('delete-all')"))
            conn.execute(text("DELETE FROM search_text"))
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
        match = _fts5_match(query, groups, columns)
        # bm25() would scan every phrase over the whole index; counting in Python pays per match.
        # Phrases not counted yet cost one scan either way; counting them here fills the cache.
        keys = [_df_key(p, columns) for p in query.phrases]
        scans = sum(self._df[k][1] for k in keys if k in self._df)
        cap = int(scans / (PYTHON_MS - BM25_MS))
        if any(k not in self._df for k in keys):
            cap = max(cap, 200)
        cap = {"python": self.python_ranks, "bm25": 0}.get(self.path, min(cap, self.python_ranks))
        ids: list[int] = []
        if cap > 0:
            ids = [r[0] for r in conn.exec_driver_sql("SELECT rowid FROM policy_fts WHERE policy_fts MATCH ? LIMIT ?",
                                                      (match, cap + 1))]
        if cap == 0 or len(ids) > cap:
            weights = ", ".join(repr(w) for w in WEIGHTS)
            # bm25() is negative (better is lower); negated, every path sorts score DESC.
            sql = ("WITH m AS MATERIALIZED (SELECT policy_fts.rowid AS id,"
                   f" -bm25(policy_fts, {weights}) AS score FROM policy_fts WHERE policy_fts MATCH :match)")
            return self._run(conn, sql, {"match": match}, limit, offset, facets)
        scored, values = self._rank_in_python(conn, query, columns, stats, ids)
        scored.sort(key=lambda h: (-h[1], h[0]))
        counts: dict[str, list[tuple[str, int]]] = {}
        if facets:
            for (facet, value), n in sorted(values.items(), key=lambda kv: (-kv[1], kv[0][1])):
                counts.setdefault(facet, []).append((value, n))
        return Matches(tuple(scored[offset:offset + limit]), len(scored), counts)

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
                match = "{" + " ".join(columns) + "} : " + phrase.fts5()
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
                        ids: list[int]) -> tuple[list[tuple[int, float]], Counter[tuple[str, str]]]:
        """Scores of the policies that hold the phrases, and their facet values counted."""
        idfs = [stats.idf(self._doc_freq(conn, p, columns)) for p in query.phrases]
        patterns = [p.pattern().encode() for p in query.phrases]
        wanted = [(TEXT_COLUMNS.index(c), _WEIGHT[c]) for c in columns]
        avgdl = stats.avgdl
        scored = []
        facets: Counter[tuple[str, str]] = Counter()
        rows = conn.exec_driver_sql("SELECT policy_id, size, tokens FROM search_text WHERE policy_id IN"
                                    " (SELECT value FROM json_each(?))", (json.dumps(ids),))
        for pid, size, packed in rows:
            data = lz4.block.decompress(packed)
            # Column boundaries instead of split(): no copies of the body.
            ends = [data.index(b"\x1f")]
            for _ in range(3):
                ends.append(data.index(b"\x1f", ends[-1] + 1))
            spans = ((0, ends[0]), (ends[0] + 1, ends[1]), (ends[1] + 1, ends[2]))
            freqs = [sum(weight * data.count(pat, *spans[i]) for i, weight in wanted) for pat in patterns]
            if any(freqs) if query.any else all(freqs):
                scored.append((int(pid), bm25(freqs, size, idfs, avgdl)))
                # Counting here costs ~1 µs a policy; grouping tag rows in SQL ~20.
                facets.update(map(tuple, json.loads(data[ends[3] + 1:])))
        return scored, facets

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
            # Hits of the phrase in each column, weighted, as FTS5 adds them up.
            freqs.append(" + ".join(
                f"CAST({_WEIGHT[c]!r} AS float8) * ((char_length(d.{c}) - char_length(replace(d.{c}, :{pat}, '')))"
                f" / char_length(:{pat}))" for c in columns) + f" AS f{i}")
            terms.append(f"CAST(:idf{i} AS float8) * ((c.f{i} * (CAST({K1!r} AS float8) + CAST(1.0 AS float8)))"
                         f" / (c.f{i} + CAST({K1!r} AS float8) * (CAST(1 AS float8) - CAST({B!r} AS float8)"
                         f" + CAST({B!r} AS float8) * c.size / CAST(:avgdl AS float8))))")
        present = (" OR " if query.any else " AND ").join(f"c.f{i} > 0" for i in range(len(query.phrases)))
        sql = (
            "WITH c AS MATERIALIZED (SELECT d.policy_id AS id, CAST(d.size AS float8) AS size, " + ", ".join(freqs)
            + " FROM search_docs d WHERE d.tsv @@ CAST(:tsq AS tsquery)),\n"
            "m AS MATERIALIZED (SELECT c.id, CAST(0.0 AS float8) + " + " + ".join(terms)
            + f" AS score FROM c WHERE {present})"
        )
        return sql, params


def _df_key(phrase: Phrase, columns: tuple[str, ...]) -> tuple[str, tuple[str, ...]]:
    return phrase.pattern() + ("*" if phrase.prefix else ""), columns


def _fts5_match(query: Query, groups: list[list[str]], columns: tuple[str, ...]) -> str:
    match = "{" + " ".join(columns) + "} : (" + query.fts5() + ")"
    for group in groups:
        match += " AND {facets} : (" + " OR ".join(f'"{t}"' for t in group) + ")"
    return match


def _pack(doc: Document) -> bytes:
    """The four token texts, then the facet values as JSON (what a small match counts)."""
    pairs = json.dumps(doc.pairs, ensure_ascii=False, separators=(",", ":"))
    # LZ4, not zlib: unpacking is 7× faster, and a small match unpacks every policy in it.
    return lz4.block.compress("\x1f".join([*doc.columns(), pairs]).encode())


def _unpack(packed: bytes) -> list[str]:
    return lz4.block.decompress(packed).decode().split("\x1f")[:4]


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
