"""Save and load readings: `Policy` ↔ rows, one transaction per policy (or per batch).

A policy is keyed by its source path or a caller's key. Saving a key again
keeps its id and replaces every child row and its index entry in the same
transaction, so readers see the old reading or the new one, never a mix.
"""
from __future__ import annotations

import json
import types
import typing
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, fields, is_dataclass
from datetime import datetime, timezone
from functools import cache
from operator import attrgetter
from typing import Any

from sqlalchemy import Table, delete, func, insert, select, update
from sqlalchemy.engine import Connection, Engine

from zhengce.model import Policy
from zhengce.search import TOKENIZER, Document, document, facet_values
from zhengce.store import schema as s
from zhengce.store.fulltext import FullText, copy_rows

CHILDREN = (s.files, s.tags, s.chapters, s.articles, s.departments, s.items, s.conditions,
            s.targets, s.citations)
# Column names after policy_id, in table order: the tuples `prepare` makes.
_CHILD_COLUMNS = {t.name: tuple(c.name for c in t.columns)[1:] for t in CHILDREN}


@dataclass(frozen=True, slots=True)
class Stored:
    """What the store knows of a key before reading the file again."""

    id: int
    sha256: str | None
    source_url: str | None


@dataclass(frozen=True, slots=True)
class Original:
    """The file a reading came from, kept beside it."""

    name: str
    content: bytes


class Repository:
    """Policies in one database; the only code that knows which SQL dialect it speaks."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.dialect = engine.dialect.name
        self.index = FullText(self.dialect)

    @contextmanager
    def writing(self) -> Iterator[Connection]:
        """One write transaction (on SQLite, holding the write lock from the start)."""
        with self.engine.connect() as conn:
            conn.execution_options(write=True)
            with conn.begin():
                yield conn

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """One read transaction: a snapshot, so a search's statements all see the same index."""
        with self.engine.connect() as conn:
            if self.dialect == "postgresql":
                conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():
                yield conn

    # --- writing -------------------------------------------------------------------------

    def stored(self, key: str) -> Stored | None:
        with self.reading() as conn:
            row = conn.execute(select(s.policies.c.id, s.policies.c.sha256, s.policies.c.source_url)
                               .where(s.policies.c.key == key)).first()
        return Stored(row.id, row.sha256, row.source_url) if row else None

    def save(self, policy: Policy, key: str | None = None, original: Original | None = None,
             sha256: str | None = None) -> int:
        """Store a reading under `key` (default: its source path) and return its id, stable per key.

        `sha256` is the fingerprint an unchanged file is recognised by (default: the reading's).
        """
        key = key or policy.source.path or policy.title
        with self.writing() as conn:
            return self._save(conn, policy, key, original, sha256)

    def save_many(self, entries: Iterable[tuple[str, Policy]], batch: int = 500) -> list[int]:
        """Store many new readings, `batch` per transaction (the synthetic library's bulk path)."""
        ids: list[int] = []
        chunk: list[Prepared] = []
        for key, policy in entries:
            chunk.append(prepare(key, policy))
            if len(chunk) >= batch:
                ids += self.insert_prepared(chunk)
                chunk = []
        if chunk:
            ids += self.insert_prepared(chunk)
        return ids

    def insert_prepared(self, chunk: Sequence[Prepared]) -> list[int]:
        """Insert new policies made by `prepare` (perhaps in other processes) in one transaction."""
        with self.writing() as conn:
            ids = [r.id for r in conn.execute(insert(s.policies).returning(s.policies.c.id, sort_by_parameter_order=True),
                                              [p.row for p in chunk])]
            for table in CHILDREN:
                rows = [(pid, *values) for pid, p in zip(ids, chunk) for values in p.children.get(table.name, ())]
                self._insert_many(conn, table, rows)
            self.index.insert(conn, [(pid, p.doc) for pid, p in zip(ids, chunk)])
            self._count(conn, len(ids), sum(p.doc.size for p in chunk))
        return ids

    def _insert_many(self, conn: Connection, table: Table, rows: list[tuple[Any, ...]]) -> None:
        """A plain DBAPI executemany of rows in column order (SQLAlchemy's per-row parameter
        handling cost more than SQLite's own insert).
        """
        if not rows:
            return
        if self.dialect == "postgresql":
            copy_rows(conn, table.name, [c.name for c in table.columns], rows)
            return
        quote = self.engine.dialect.identifier_preparer.quote
        mark = "?" if self.engine.dialect.paramstyle == "qmark" else "%s"
        sql = (f"INSERT INTO {table.name} ({', '.join(quote(c.name) for c in table.columns)})"
               f" VALUES ({', '.join([mark] * len(table.columns))})")
        conn.exec_driver_sql(sql, rows)

    def _save(self, conn: Connection, policy: Policy, key: str, original: Original | None,
              sha256: str | None) -> int:
        doc = document(policy)
        row = _policy_row(policy, key, doc, _now())
        if sha256 is not None:
            row["sha256"] = sha256
        p = s.policies.c
        old = conn.execute(select(p.id).where(p.key == key)).first()
        if old is None:
            pid = conn.execute(insert(s.policies).values(row).returning(p.id)).scalar_one()
            self._count(conn, 1, doc.size)
        else:
            pid = old.id
            old_size = self._unindex(conn, pid)
            conn.execute(update(s.policies).where(p.id == pid).values(row))
            for table in CHILDREN:
                conn.execute(delete(table).where(table.c.policy_id == pid))
            self._count(conn, 0, doc.size - old_size)
        for table, rows in _child_rows(pid, policy, original).items():
            if rows:
                conn.execute(insert(table), rows)
        self.index.insert(conn, [(pid, doc)])
        return int(pid)

    def _unindex(self, conn: Connection, pid: int) -> int:
        """Take a stored policy out of the index; returns how many tokens it had there."""
        return self.index.delete(conn, pid)

    def _count(self, conn: Connection, docs: int, tokens: int) -> None:
        st = s.index_stats.c
        conn.execute(update(s.index_stats).where(st.id == 1)
                     .values(n_docs=st.n_docs + docs, n_tokens=st.n_tokens + tokens, revision=st.revision + 1))

    def delete(self, policy_id: int) -> bool:
        """Remove a policy and everything read from it."""
        with self.writing() as conn:
            if conn.execute(select(s.policies.c.id).where(s.policies.c.id == policy_id)).first() is None:
                return False
            size = self._unindex(conn, policy_id)
            for table in CHILDREN:
                conn.execute(delete(table).where(table.c.policy_id == policy_id))
            conn.execute(delete(s.policies).where(s.policies.c.id == policy_id))
            self._count(conn, -1, -size)
        return True

    def check_tokenizer(self) -> bool:
        """Rebuild the index if it was built with another tokenizer; True if it was rebuilt."""
        with self.reading() as conn:
            built = conn.execute(select(s.index_stats.c.tokenizer, s.index_stats.c.n_docs)).one()
        if built.tokenizer == TOKENIZER:
            return False
        if built.n_docs == 0:
            with self.writing() as conn:
                conn.execute(update(s.index_stats).values(tokenizer=TOKENIZER))
            return False
        self.rebuild_index()
        return True

    def rebuild_index(self, batch: int = 500) -> None:
        """Index every stored reading again, in one transaction (searches see the old index until it commits)."""
        p = s.policies.c
        with self.writing() as conn:
            self.index.clear(conn)
            conn.execute(update(s.index_stats).values(n_docs=0, n_tokens=0, tokenizer=TOKENIZER,
                                                      revision=s.index_stats.c.revision + 1))
            last = 0
            while True:
                rows = conn.execute(select(p.id, p.reading, p.text).where(p.id > last).order_by(p.id)
                                    .limit(batch)).all()
                if not rows:
                    break
                docs = [(r.id, document(_decode(r.reading, r.text))) for r in rows]
                for pid, doc in docs:
                    conn.execute(update(s.policies).where(p.id == pid).values(index_size=doc.size))
                self.index.insert(conn, docs)
                self._count(conn, len(docs), sum(d.size for _, d in docs))
                last = rows[-1].id

    # --- reading -------------------------------------------------------------------------

    def load(self, policy_id: int) -> Policy:
        """The reading as saved; raises KeyError for an unknown id."""
        with self.reading() as conn:
            row = conn.execute(select(s.policies.c.reading, s.policies.c.text)
                               .where(s.policies.c.id == policy_id)).first()
        if row is None:
            raise KeyError(f"no policy with id {policy_id} in this library")
        return _decode(row.reading, row.text)

    def count(self) -> int:
        with self.reading() as conn:
            return int(conn.execute(select(func.count()).select_from(s.policies)).scalar_one())

    def ids(self) -> list[int]:
        with self.reading() as conn:
            return [r[0] for r in conn.execute(select(s.policies.c.id).order_by(s.policies.c.id))]

    def summaries(self, conn: Connection, ids: Sequence[int], with_text: bool = False) -> dict[int, dict[str, Any]]:
        """Title, issuer, date (and original text) of some policies, by id."""
        p = s.policies.c
        cols = [p.id, p.key, p.title, p.issuer, p.published, p.number, p.source_url]
        if with_text:
            cols.append(p.text)
        out = {}
        for r in conn.execute(select(*cols).where(p.id.in_(list(ids)))).mappings():
            info = dict(r)
            if with_text:
                info["text"] = zlib.decompress(info["text"]).decode()
            out[r["id"]] = info
        return out

    def article_spans(self, conn: Connection, ids: Sequence[int]) -> dict[int, list[dict[str, Any]]]:
        a = s.articles.c
        out: dict[int, list[dict[str, Any]]] = {i: [] for i in ids}
        rows = conn.execute(select(a.policy_id, a.no, a.title, a.label, a.start, a.end)
                            .where(a.policy_id.in_(list(ids))).order_by(a.policy_id, a.seq)).mappings()
        for r in rows:
            out[r["policy_id"]].append(dict(r))
        return out


# --- Policy → rows ---------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Prepared:
    """A policy's rows before it has an id: picklable, so other processes can make them."""

    row: dict[str, Any]
    children: dict[str, list[tuple[Any, ...]]]   # table → rows in column order, policy_id left out
    doc: Document


def prepare(key: str, policy: Policy, original: Original | None = None) -> Prepared:
    """All rows of one new policy, ready for `Repository.insert_prepared`."""
    doc = document(policy)
    children = {table.name: [tuple(r[name] for name in _CHILD_COLUMNS[table.name]) for r in rows]
                for table, rows in _child_rows(0, policy, original).items() if rows}
    return Prepared(_policy_row(policy, key, doc, _now()), children, doc)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _year(published: str | None) -> int | None:
    return int(published[:4]) if published and published[:4].isdigit() else None


def _policy_row(policy: Policy, key: str, doc: Document, now: str) -> dict[str, Any]:
    data = _fields(policy)
    data.pop("text")
    reading = zlib.compress(json.dumps(data, default=_fields, ensure_ascii=False, separators=(",", ":")).encode(), 1)
    v = policy.validity
    return {
        "key": key, "sha256": policy.source.sha256, "title": policy.title, "issuer": policy.issuer,
        "published": policy.published, "year": _year(policy.published), "number": policy.number,
        "source_path": policy.source.path, "source_url": policy.source.url,
        "source_format": policy.source.format, "effective_date": v.effective_date,
        "expiry_date": v.expiry_date, "supersedes": v.supersedes,
        "n_articles": len(policy.articles), "n_items": len(policy.items), "index_size": doc.size,
        "updated_at": now, "text": zlib.compress(policy.text.encode(), 1), "reading": reading,
    }


def _child_rows(pid: int, policy: Policy, original: Original | None = None) -> dict[Table, list[dict[str, Any]]]:
    rows: dict[Table, list[dict[str, Any]]] = {t: [] for t in CHILDREN}
    if original is not None:
        rows[s.files].append({"policy_id": pid, "name": original.name, "content": original.content})
    for facet, value in facet_values(policy):
        rows[s.tags].append({"policy_id": pid, "facet": facet, "value": value})
    for seq, c in enumerate(policy.chapters):
        rows[s.chapters].append({"policy_id": pid, "seq": seq, "no": c.no, "title": c.title,
                                 "label": c.label, "start": c.start, "end": c.end})
    for seq, a in enumerate(policy.articles):
        rows[s.articles].append({"policy_id": pid, "seq": seq, "no": a.no, "chapter": a.chapter,
                                 "title": a.title, "label": a.label, "start": a.start, "end": a.end})
        for role, names in (("lead", a.lead), ("responsible", a.responsible), ("cooperating", a.cooperating)):
            for name in names:
                rows[s.departments].append({"policy_id": pid, "seq": len(rows[s.departments]),
                                            "article": a.no, "role": role, "name": name})
    for seq, i in enumerate(policy.items):
        q = i.quote
        rows[s.items].append({
            "policy_id": pid, "seq": seq, "article": i.article, "recipient": i.recipient, "kind": i.kind,
            "basis": i.basis, "amount_yuan": i.amount_yuan, "ratio": i.ratio, "ratio_min": i.ratio_min,
            "cap_yuan": i.cap_yuan, "unit": i.unit, "period": i.period, "clue": i.clue,
            "quote": q.text if q else None, "quote_start": q.start if q else None,
            "quote_end": q.end if q else None,
        })
        for cseq, c in enumerate(i.conditions):
            rows[s.conditions].append({
                "policy_id": pid, "item_seq": seq, "seq": cseq, "kind": c.kind, "text": c.text,
                "honour": c.honour, "level": c.level, "status": c.status,
                "recipient_type": c.recipient_type, "field": c.field, "op": c.op, "value": c.value,
                "unit": c.unit,
            })
    for seq, t in enumerate(policy.targets):
        rows[s.targets].append({"policy_id": pid, "seq": seq, "year": t.year, "indicator": t.indicator,
                                "value": t.value, "unit": t.unit, "op": t.op, "article": t.article,
                                "quote": t.quote.text if t.quote else None})
    for seq, r in enumerate(policy.references):
        rows[s.citations].append({"policy_id": pid, "seq": seq, "title": r.title, "number": r.number})
    return rows


# --- JSON ↔ Policy ---------------------------------------------------------------------------

def _fields(obj: Any) -> dict[str, Any]:
    """JSON of a model dataclass, as `Policy.to_dict()` gives it (tuples become lists in the encoder;
    ~10× faster than `asdict`, whose deep copies dominated bulk inserts).
    """
    names, getter = _getters(type(obj))
    return dict(zip(names, getter(obj)))


@cache
def _getters(cls: type) -> tuple[tuple[str, ...], Callable[[Any], tuple[Any, ...]]]:
    if not is_dataclass(cls):
        raise TypeError(f"cannot store {cls.__name__} in a reading")
    names = _field_names(cls)
    get = attrgetter(*names)
    return names, (get if len(names) > 1 else lambda o: (get(o),))


def _decode(reading: bytes, text: bytes) -> Policy:
    data = json.loads(zlib.decompress(reading))
    data["text"] = zlib.decompress(text).decode()
    return _build(Policy, data)


@cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls))


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _build(cls: type, data: Any) -> Any:
    """A model dataclass from its JSON, driven by the field types (so new fields need no code here)."""
    kwargs = {}
    hints = _hints(cls)
    for f in fields(cls):
        if f.name in data:
            kwargs[f.name] = _convert(hints[f.name], data[f.name])
    return cls(**kwargs)


def _convert(hint: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(hint) if a is not type(None)]
        return _convert(options[0], value) if len(options) == 1 else value
    if origin is tuple:
        inner = typing.get_args(hint)[0]
        return tuple(_convert(inner, v) for v in value)
    if isinstance(hint, type) and is_dataclass(hint):
        return _build(hint, value)
    if hint is float and isinstance(value, int) and not isinstance(value, bool):
        return value  # JSON keeps 3 and 3.0 apart; the reading had whichever it had
    return value
