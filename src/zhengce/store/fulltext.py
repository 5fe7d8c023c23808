"""The full-text index on each dialect, and one BM25 for both.

SQLite: an FTS5 table (`ascii` tokenizer) over the token texts of `zhengce.search`,
ranked by FTS5's own `bm25()`.

PostgreSQL: `search_docs` keeps the same token texts and a tsvector of their
distinct tokens under a GIN index, which finds the candidates. `ts_rank` and
`ts_rank_cd` are not BM25 and order differently, so the statement computes FTS5's
formula itself (sqlite/ext/fts5/fts5_aux.c, fts5Bm25Function): for each phrase,
idf = ln((N - n + 0.5) / (n + 0.5)), floored at 1e-6; f = Σ column weight × hits;
score = Σ idf × f × (k1 + 1) / (f + k1 × (1 - b + b × D / avgdl)), k1 = 1.2, b = 0.75,
with D the row's tokens in all columns and N, avgdl over the whole table
(`index_stats`). A phrase's hits in a column are counted as occurrences of
`<t1><t2>…` in the token text, which is what FTS5 counts by positions, so both
backends give the same scores and, ties broken by id, the same order. (One
difference: a phrase overlapping itself, 哈哈 in 哈哈哈, counts once here.)
Everything runs in one statement, so a concurrent ingest never mixes two states.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection

from zhengce.search import COLUMNS, WEIGHTS, Document, Query

TAG_FACETS = ("industry", "size", "ownership", "theme")
FACETS = TAG_FACETS + ("issuer", "year")


@dataclass(frozen=True, slots=True)
class Matches:
    """Ranked policy ids (best first), how many matched, and facet counts over all matches."""

    hits: tuple[tuple[int, float], ...]
    total: int
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)


def filter_sql(filters: Mapping[str, Sequence[str]], id_column: str) -> tuple[str, dict[str, Any]]:
    """`AND …` conditions restricting `id_column` to policies with the facet values
    (any value within a facet, every facet).
    """
    parts: list[str] = []
    params: dict[str, Any] = {}
    for facet, values in filters.items():
        values = [v for v in values if v not in (None, "")]
        if not values:
            continue
        if facet not in FACETS:
            raise ValueError(f"unknown facet {facet!r}: expected one of {', '.join(FACETS)}")
        names = []
        for v in values:
            name = f"f{len(params)}"
            params[name] = int(v) if facet == "year" else str(v)
            names.append(f":{name}")
        inside = ", ".join(names)
        if facet in TAG_FACETS:
            fname = f"f{len(params)}"
            params[fname] = facet
            parts.append(f"{id_column} IN (SELECT policy_id FROM tags WHERE facet = :{fname} AND value IN ({inside}))")
        else:
            parts.append(f"{id_column} IN (SELECT id FROM policies WHERE {facet} IN ({inside}))")
    return "".join(f" AND {p}" for p in parts), params


_FACET_COUNTS = """
  UNION ALL SELECT 2, count(*), NULL, t.facet, t.value FROM m JOIN tags t ON t.policy_id = m.id
    GROUP BY t.facet, t.value
  UNION ALL SELECT 2, count(*), NULL, 'issuer', p.issuer FROM m JOIN policies p ON p.id = m.id
    WHERE p.issuer IS NOT NULL GROUP BY p.issuer
  UNION ALL SELECT 2, count(*), NULL, 'year', CAST(p.year AS TEXT) FROM m JOIN policies p ON p.id = m.id
    WHERE p.year IS NOT NULL GROUP BY p.year
"""


class FullText:
    """Write and query the index of one dialect."""

    def __init__(self, dialect: str) -> None:
        self.sqlite = dialect == "sqlite"

    # --- writing -------------------------------------------------------------------------

    def delete(self, conn: Connection, policy_id: int) -> None:
        table = "policy_fts" if self.sqlite else "search_docs"
        key = "rowid" if self.sqlite else "policy_id"
        conn.execute(text(f"DELETE FROM {table} WHERE {key} = :id"), {"id": policy_id})

    def insert(self, conn: Connection, docs: Sequence[tuple[int, Document]]) -> None:
        if not docs:
            return
        if self.sqlite:
            conn.execute(
                text("INSERT INTO policy_fts (rowid, title, body, items) VALUES (:id, :title, :body, :items)"),
                [{"id": i, "title": d.title, "body": d.body, "items": d.items} for i, d in docs],
            )
            return
        conn.execute(
            text("INSERT INTO search_docs (policy_id, title, body, items, size, tsv)"
                 " VALUES (:id, :title, :body, :items, :size, array_to_tsvector(CAST(:lexemes AS text[])))"),
            [{"id": i, "title": d.title, "body": d.body, "items": d.items, "size": d.size,
              "lexemes": _lexemes(d)} for i, d in docs],
        )

    # --- searching -----------------------------------------------------------------------

    def search(self, conn: Connection, query: Query, filters: Mapping[str, Sequence[str]] | None = None,
               limit: int = 10, offset: int = 0, columns: Sequence[str] = COLUMNS,
               facets: bool = True) -> Matches:
        """Rank the policies matching `query` in `columns`, restricted by facet `filters`."""
        if not query:
            return Matches((), 0, {})
        if self.sqlite:
            sql, params = self._sqlite(query, filters or {}, columns)
        else:
            sql, params = self._postgres(query, filters or {}, columns)
        sql += "\nSELECT 0 AS part, id, score, NULL AS facet, NULL AS value FROM (SELECT id, score FROM m" \
               " ORDER BY score DESC, id LIMIT :limit OFFSET :offset) AS top" \
               "\n  UNION ALL SELECT 1, count(*), NULL, NULL, NULL FROM m"
        if facets:
            sql += _FACET_COUNTS
        params.update(limit=limit, offset=offset)
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

    def _sqlite(self, query: Query, filters: Mapping[str, Sequence[str]],
                columns: Sequence[str]) -> tuple[str, dict[str, Any]]:
        where, params = filter_sql(filters, "policy_fts.rowid")
        match = query.fts5()
        if tuple(columns) != COLUMNS:
            match = "{" + " ".join(columns) + "} : (" + match + ")"
        params["match"] = match
        weights = ", ".join(repr(w) for w in WEIGHTS)
        # bm25() is negative (better is lower); negate so both dialects sort score DESC.
        sql = ("WITH m AS MATERIALIZED (SELECT policy_fts.rowid AS id,"
               f" -bm25(policy_fts, {weights}) AS score FROM policy_fts"
               f" WHERE policy_fts MATCH :match{where})")
        return sql, params

    def _postgres(self, query: Query, filters: Mapping[str, Sequence[str]],
                  columns: Sequence[str]) -> tuple[str, dict[str, Any]]:
        where, params = filter_sql(filters, "d.policy_id")
        params["tsq"] = query.tsquery()
        weights = dict(zip(COLUMNS, WEIGHTS))
        freqs, dfs, terms = [], [], []
        for i, phrase in enumerate(query.phrases):
            pat = f"p{i}"
            params[pat] = phrase.pattern()
            params[f"q{i}"] = phrase.lexemes()
            # Hits of the phrase in each column, weighted, as FTS5 adds them up.
            freqs.append(" + ".join(
                f"CAST({weights[c]!r} AS float8) * ((char_length(d.{c}) - char_length(replace(d.{c}, :{pat}, '')))"
                f" / char_length(:{pat}))" for c in columns) + f" AS f{i}")
            # Rows holding the phrase anywhere: the GIN index is exact for one plain token.
            exact = len(phrase.tokens) == 1
            recheck = "" if exact and tuple(columns) == COLUMNS else \
                " AND (" + " OR ".join(f"strpos(d.{c}, :{pat}) > 0" for c in columns) + ")"
            dfs.append(f"(SELECT count(*) FROM search_docs d WHERE d.tsv @@ CAST(:q{i} AS tsquery){recheck}) AS n{i}")
            idf = f"ln((st.n - st.n{i} + CAST(0.5 AS float8)) / (st.n{i} + CAST(0.5 AS float8)))"
            idf = f"(CASE WHEN {idf} <= 0 THEN CAST(1e-6 AS float8) ELSE {idf} END)"
            terms.append(f"{idf} * ((c.f{i} * (CAST(1.2 AS float8) + CAST(1.0 AS float8))) / (c.f{i} + CAST(1.2 AS float8)"
                         f" * (CAST(0.25 AS float8) + CAST(0.75 AS float8) * c.size / st.avgdl)))")
        joiner = " OR " if query.any else " AND "
        present = joiner.join(f"c.f{i} > 0" for i in range(len(query.phrases)))
        sql = (
            "WITH st AS MATERIALIZED (SELECT CAST(s.n_docs AS float8) AS n,"
            " CAST(s.n_tokens AS float8) / CAST(GREATEST(s.n_docs, 1) AS float8) AS avgdl, "
            + ", ".join(dfs) + " FROM index_stats s WHERE s.id = 1),\n"
            "c AS MATERIALIZED (SELECT d.policy_id AS id, CAST(d.size AS float8) AS size, " + ", ".join(freqs)
            + f" FROM search_docs d WHERE d.tsv @@ CAST(:tsq AS tsquery){where}),\n"
            "m AS MATERIALIZED (SELECT c.id, " + " + ".join(terms) + f" AS score FROM c, st WHERE {present})"
        )
        return sql, params


def _lexemes(doc: Document) -> list[str]:
    found: set[str] = set()
    for column in (doc.title, doc.body, doc.items):
        if column:
            found.update(column[1:-1].split("><"))
    return sorted(found)
