"""What the portal asks of the library, with short-lived caches in front.

A policy page needs the reading, its body blocks and its 解读; building them costs
~10 ms, serving them from memory ~0. Entries live `ttl` seconds (30 by default),
so an ingest by another process shows within that time; an ingest through this
app clears the caches at once.
"""
from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import text

from zhengce.library import Library, Related, SearchResult
from zhengce.model import Policy
from zhengce.web.body import Block, blocks
from zhengce.web.interpret import Interpretation, interpret

K = TypeVar("K")
V = TypeVar("V")

FACET_LABELS = {"industry": "行业", "size": "规模", "ownership": "适用对象", "theme": "主题",
                "issuer": "发文单位", "year": "年份"}


class TTLCache(Generic[K, V]):
    """A small thread-safe LRU whose entries expire."""

    def __init__(self, size: int, ttl: float) -> None:
        self.size, self.ttl = size, ttl
        self._data: OrderedDict[K, tuple[float, V]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: K, make: Callable[[], V]) -> V:
        if self.ttl <= 0:
            return make()
        now = time.monotonic()
        with self._lock:
            hit = self._data.get(key)
            if hit is not None and now - hit[0] < self.ttl:
                self._data.move_to_end(key)
                return hit[1]
        value = make()  # outside the lock: two threads may build the same entry, never block each other
        with self._lock:
            self._data[key] = (now, value)
            self._data.move_to_end(key)
            while len(self._data) > self.size:
                self._data.popitem(last=False)
        return value

    def peek(self, key: K) -> V | None:
        with self._lock:
            hit = self._data.get(key)
            if hit is not None and time.monotonic() - hit[0] < self.ttl:
                self._data.move_to_end(key)
                return hit[1]
        return None

    def put(self, key: K, value: V) -> None:
        if self.ttl <= 0:
            return
        with self._lock:
            self._data[key] = (time.monotonic(), value)
            self._data.move_to_end(key)
            while len(self._data) > self.size:
                self._data.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._data.clear()


@dataclass(frozen=True, slots=True)
class PolicyView:
    """Everything the tabs of one policy page show."""

    id: int
    policy: Policy
    blocks: tuple[Block, ...]
    reading: Interpretation


@dataclass(frozen=True, slots=True)
class Listed:
    """A policy in a listing without a query."""

    policy_id: int
    title: str
    issuer: str | None
    published: str | None
    n_items: int


class Catalog:
    """The library seen by the portal."""

    def __init__(self, library: Library, ttl: float = 30.0) -> None:
        self.library = library
        self._views: TTLCache[int, PolicyView] = TTLCache(256, ttl)
        self._related: TTLCache[int, list[Related]] = TTLCache(256, ttl)
        self._searches: TTLCache[tuple[Any, ...], Any] = TTLCache(1024, ttl)
        # Rendered pages for visitors without a session: (kind, path, query) → (body, media type).
        self.pages: TTLCache[tuple[str, str, str], tuple[bytes, str | None]] = TTLCache(2048, ttl)

    def clear(self) -> None:
        self.pages.clear()
        self._views.clear()
        self._related.clear()
        self._searches.clear()

    def view(self, policy_id: int) -> PolicyView:
        """The page data of a policy; KeyError when there is none."""
        def make() -> PolicyView:
            policy = self.library.load(policy_id)
            return PolicyView(policy_id, policy, blocks(policy), interpret(policy))
        return self._views.get(policy_id, make)

    def related(self, policy_id: int, limit: int = 10) -> list[Related]:
        return self._related.get(policy_id, lambda: self.library.related(policy_id, limit))

    def search(self, query: str, filters: Mapping[str, Sequence[str]], limit: int, offset: int) -> SearchResult:
        key = ("s", query, _frozen(filters), limit, offset)
        return self._searches.get(key, lambda: self.library.search(query, filters, limit, offset))  # type: ignore[no-any-return]

    def items(self, query: str, filters: Mapping[str, Sequence[str]]) -> list[Any]:
        key = ("i", query, _frozen(filters))
        if query.strip():
            return self._searches.get(key, lambda: self.library.items(query, filters))  # type: ignore[no-any-return]
        return self._searches.get(key, lambda: self._all_items(filters))  # type: ignore[no-any-return]

    def browse(self, filters: Mapping[str, Sequence[str]], limit: int, offset: int) -> tuple[int, list[Listed], dict[str, list[tuple[str, int]]]]:
        key = ("b", _frozen(filters), limit, offset)
        return self._searches.get(key, lambda: self._browse(filters, limit, offset))  # type: ignore[no-any-return]

    # The library has no listing without a query yet: these read its tables directly
    # (a wish for Library.browse / Library.all_items).
    def _browse(self, filters: Mapping[str, Sequence[str]], limit: int, offset: int) -> tuple[int, list[Listed], dict[str, list[tuple[str, int]]]]:
        where, params = _filter_sql(filters)
        params.update(limit=limit, offset=offset)
        sql = (f"WITH m AS (SELECT p.id FROM policies p WHERE 1 = 1{where})"
               " SELECT 0, id, title, issuer, published, n_items FROM (SELECT p.id, p.title, p.issuer,"
               " p.published, p.n_items FROM policies p WHERE p.id IN (SELECT id FROM m)"
               " ORDER BY p.published IS NULL, p.published DESC, p.id DESC LIMIT :limit OFFSET :offset) AS top"
               " UNION ALL SELECT 1, count(*), NULL, NULL, NULL, NULL FROM m"
               " UNION ALL SELECT 2, count(*), t.facet, t.value, NULL, NULL FROM m JOIN tags t ON t.policy_id = m.id"
               " GROUP BY t.facet, t.value")
        listed: list[Listed] = []
        total = 0
        facets: dict[str, list[tuple[str, int]]] = {}
        with self.library.repo.reading() as conn:
            for part, a, b, c, d, e in conn.execute(text(sql), params):
                if part == 0:
                    listed.append(Listed(int(a), str(b), c, d, int(e or 0)))
                elif part == 1:
                    total = int(a)
                else:
                    facets.setdefault(str(b), []).append((str(c), int(a)))
        listed.sort(key=lambda r: (r.published is None, "" if r.published is None else _desc(r.published), -r.policy_id))
        for values in facets.values():
            values.sort(key=lambda v: (-v[1], v[0]))
        return total, listed, facets

    def _all_items(self, filters: Mapping[str, Sequence[str]]) -> list[Any]:
        where, params = _filter_sql(filters)
        with self.library.repo.reading() as conn:
            ids = [r[0] for r in conn.execute(text(f"SELECT p.id FROM policies p WHERE 1 = 1{where}"), params)]
            return self.library.item_rows(conn, ids) if ids else []

    def original(self, policy_id: int) -> tuple[str, bytes] | None:
        """The file the policy was read from, when the library kept it."""
        with self.library.repo.reading() as conn:
            row = conn.execute(text("SELECT name, content FROM files WHERE policy_id = :id"),
                               {"id": policy_id}).first()
        return (str(row[0]), bytes(row[1])) if row else None


def _filter_sql(filters: Mapping[str, Sequence[str]]) -> tuple[str, dict[str, Any]]:
    """SQL that keeps the policies having any of the values of every facet (the tags table holds all six)."""
    from zhengce.library import _clean

    where, params = "", {}
    for n, (facet, values) in enumerate(_clean(filters).items()):
        names = [f"f{n}_{k}" for k in range(len(values))]
        where += (f" AND p.id IN (SELECT policy_id FROM tags WHERE facet = :f{n}"
                  f" AND value IN ({', '.join(':' + name for name in names)}))")
        params[f"f{n}"] = facet
        params.update(zip(names, values))
    return where, params


def _frozen(filters: Mapping[str, Sequence[str]]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple(sorted((k, tuple(v)) for k, v in filters.items() if v))


def _desc(text: str) -> str:
    """A key that sorts ISO dates newest first."""
    return "".join(chr(0x10FFFF - ord(ch)) for ch in text)
