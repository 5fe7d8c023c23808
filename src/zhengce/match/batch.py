"""The batch calculator (批量匹配): every enterprise of a registry against every item, in SQL.

Each item's conditions compile (`CONDITIONS[kind].to_sql`) into one predicate over a
registry row that is TRUE (met), FALSE (unmet) or NULL (unknown); SQL's three-valued
AND/OR is the calculator's own logic, so a row the calculator would call unknown is NULL
here. The SQL uses only what DuckDB (embedded, the default) and PostgreSQL share, and the
very same text runs on both.

The registry table (`match.registry`) is a profile flattened into columns: region codes,
size mask, honour tokens, one column per numeric fact.

Speed: firms are split by the regions policies apply in (one scan per region), and each
policy's items run over its region's rows only (docs/calculator.md has the figures).
"""
from __future__ import annotations

import datetime as dt
import math
import os
import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from zhengce.match.calculator import _UNIT_FACTS, Calculator, _base_fact, estimate, stack_keys
from zhengce.match.conditions import CONDITIONS, POLICY_SCOPE, Context, region_sql
from zhengce.match.registry import (  # noqa: F401 (the batch's public names, re-exported)
    FACT_COLUMNS,
    REGISTRY_COLUMNS,
    BatchError,
    prepare_registry,
    profile_to_row,
    registry_row,
    rows_to_arrow,
)
from zhengce.model import Condition, Item
from zhengce.profile import Profile

_PG_TYPES = {"BIGINT": "BIGINT", "VARCHAR": "TEXT", "BOOLEAN": "BOOLEAN", "DOUBLE": "DOUBLE PRECISION"}
DEFAULT_MEMORY = "3GB"
RESULT_COLUMNS = ("rid", "name", "credit_code", "policy", "policy_title", "item", "article", "recipient",
                  "kind", "verdict", "certain_yuan", "high_yuan", "amount", "counted")


# -------------------------------------------------------------------------------- compiling

def inline(sql: str, params: Sequence[Any]) -> str:
    """Put the parameters into the SQL as literals, so one text runs on DuckDB and PostgreSQL.

    >>> inline("(x >= ?) AND y LIKE ?", [20.0, "%|a'b|%"])
    "(x >= 20.0) AND y LIKE '%|a''b|%'"
    """
    parts = sql.split("?")
    if len(parts) - 1 != len(params):
        raise ValueError(f"{len(parts) - 1} placeholders, {len(params)} params: {sql}")
    out = [parts[0]]
    for value, rest in zip(params, parts[1:]):
        out.append(_literal(value))
        out.append(rest)
    return "".join(out)


def _literal(value: Any) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError(f"not a finite number: {value}")
        return repr(float(value)) if isinstance(value, float) else str(value)
    return "'" + str(value).replace("'", "''") + "'"


@dataclass(frozen=True, slots=True)
class CompiledItem:
    """One item as SQL: its predicate, its amount expressions and its stacking keys."""

    key: str                      # policy#index
    uid: int                      # its number in this compiled library: the result rows' `item` join key
    policy_id: str
    policy_title: str
    index: int
    article: int | None
    recipient: str
    kind: str
    where: str                    # TRUE / FALSE / NULL per registry row: the whole predicate
    honour_sql: tuple[str, ...]   # its honour conditions (alternatives: OR)
    other_sql: tuple[str, ...]    # its other conditions, the policy's own region excluded (AND)
    certain_sql: str              # the exact amount, or NULL
    high_sql: str                 # the most it can be, or NULL
    amount_text: str
    tier: str                     # items of one tier group: only the richest met one counts
    matter: str                   # 就高不重复 group
    stacking: bool                # its policy states a stacking rule
    stackable: bool = False       # shares a tier, or a matter some policy stacks on: may lose to another


@dataclass(slots=True)
class CompiledPolicy:
    policy_id: str
    title: str
    scope: str | None             # region code the policy applies in; None: everywhere
    status: str
    items: list[CompiledItem] = field(default_factory=list)


def condition_sql(cond: Condition, context: Context) -> str:
    kind = CONDITIONS.get(cond.kind, CONDITIONS["text"])
    return inline(*kind.to_sql(cond, context))


def item_parts(conditions: Sequence[Condition], implicit: Sequence[Condition],
               context: Context) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """(honour alternatives, other conditions, the policy's region) as SQL fragments."""
    conditions = conditions or (Condition(kind="text", text="（条件未能识别）"),)
    honours = tuple(dict.fromkeys(condition_sql(c, context) for c in conditions if c.kind == "honour"))
    scope = tuple(condition_sql(c, context) for c in implicit if c.field == POLICY_SCOPE)
    others = tuple(dict.fromkeys(condition_sql(c, context) for c in (*implicit, *conditions)
                                 if c.kind != "honour" and c.field != POLICY_SCOPE))
    return honours, others, scope


def combine(honours: Sequence[str], others: Sequence[str]) -> str:
    """AND of the conditions, the honour alternatives OR-ed first (as the calculator does)."""
    parts = ([f"({' OR '.join(honours)})"] if honours else []) + [f"({x})" for x in others]
    return " AND ".join(parts) or "TRUE"


def item_sql(conditions: Sequence[Condition], implicit: Sequence[Condition], context: Context) -> str:
    """The whole predicate of an item, its policy's region included."""
    honours, others, scope = item_parts(conditions, implicit, context)
    return combine(honours, (*scope, *others))


def _amount_sql(item: Item) -> tuple[str, str]:
    """(certain, high) SQL expressions, mirroring `calculator.estimate` on the registry's facts."""
    cap = item.cap_yuan

    def capped(expr: str) -> str:
        return expr if cap is None else f"LEAST({expr}, {_literal(float(cap))})"

    if item.basis == "fixed" and item.amount_yuan is not None:
        v = _literal(float(item.amount_yuan))
        return v, v
    if item.basis == "max" and item.amount_yuan is not None:
        return "NULL", _literal(float(item.amount_yuan))
    if item.basis in ("ratio", "matching") and item.ratio is not None:
        fact = _base_fact(item)
        cap_lit = "NULL" if cap is None else _literal(float(cap))
        if fact is None:
            return "NULL", cap_lit
        high = f"CASE WHEN {fact} IS NULL THEN {cap_lit} ELSE {capped(f'{_literal(float(item.ratio))} * {fact}')} END"
        if item.ratio_min is not None and item.ratio_min != item.ratio:
            return "NULL", high
        return f"CASE WHEN {fact} IS NULL THEN NULL ELSE {capped(f'{_literal(float(item.ratio))} * {fact}')} END", high
    if item.basis == "per_unit" and item.amount_yuan is not None:
        fact = _UNIT_FACTS.get(item.unit or "")
        cap_lit = "NULL" if cap is None else _literal(float(cap))
        if fact is None:
            return "NULL", cap_lit
        expr = capped(f"{_literal(float(item.amount_yuan))} * {fact}")
        return f"CASE WHEN {fact} IS NULL THEN NULL ELSE {expr} END", f"CASE WHEN {fact} IS NULL THEN {cap_lit} ELSE {expr} END"
    if item.amount_yuan is not None:
        return "NULL", _literal(float(item.amount_yuan))
    return "NULL", "NULL"


def compile_library(calculator: Calculator, as_of: str, count_superseded: bool = False,
                    policy_ids: Sequence[str] | None = None, priced_only: bool = False) -> list[CompiledPolicy]:
    """Every item of every policy as SQL; policies not in force on `as_of` are kept out.

    `priced_only` leaves out items that state no money (支持 without an amount): a push list
    (免申即享) pushes what can be paid.
    """

    probe = Profile(as_of=as_of)
    out: list[CompiledPolicy] = []
    uid = 0
    for c in calculator.compiled:
        if policy_ids and c.policy_id not in policy_ids:
            continue
        status = calculator._status(c, probe, count_superseded).status
        cp = CompiledPolicy(c.policy_id, c.policy.title, c.scope.code, status)
        if status == "in_force":
            for index, item in enumerate(c.policy.items):
                if priced_only and item.basis == "unquantified" and item.amount_yuan is None:
                    continue
                certain, high = _amount_sql(item)
                tier, matter = stack_keys(c.policy_id, index, item)
                honours, others, scope = item_parts(item.conditions, c.implicit, c.context)
                cp.items.append(CompiledItem(
                    key=f"{c.policy_id}#{index}", uid=uid, policy_id=c.policy_id, policy_title=c.policy.title, index=index,
                    article=item.article, recipient=item.recipient, kind=item.kind,
                    where=combine(honours, (*scope, *others)), honour_sql=honours, other_sql=others,
                    certain_sql=certain, high_sql=high, amount_text=estimate(item, probe).text,
                    tier=tier, matter=matter, stacking=c.stacking is not None,
                ))
                uid += 1
        out.append(cp)
    _mark_stackable(out)
    return out


def _mark_stackable(compiled: Sequence[CompiledPolicy]) -> None:
    from dataclasses import replace

    items = [it for cp in compiled for it in cp.items]
    tiers: dict[str, int] = defaultdict(int)
    matters: dict[str, list[CompiledItem]] = defaultdict(list)
    for it in items:
        tiers[it.tier] += 1
        matters[it.matter].append(it)
    for cp in compiled:
        cp.items = [replace(it, stackable=tiers[it.tier] > 1 or (
            len(matters[it.matter]) > 1 and any(x.stacking for x in matters[it.matter]))) for it in cp.items]


def region_filter(scope: str | None, with_unknown: bool) -> str:
    """The rows a region's policies can meet (or leave unknown), as plain comparisons a scan can skip on."""
    if not scope:
        return "TRUE"
    parts = [("province", scope[:2]), ("city", scope[:4]), ("county", scope[:6])][: {2: 1, 4: 2, 6: 3}[len(scope)]]
    if with_unknown:
        return " AND ".join(f"({col} IS NULL OR {col} = {_literal(v)})" for col, v in parts)
    return " AND ".join(f"{col} = {_literal(v)}" for col, v in parts)


def scope_queries(scope: str | None, policies: Sequence[CompiledPolicy], table: str = "registry",
                  with_unknown: bool = False) -> list[str]:
    """The statements that match one region's policies: the same text runs on DuckDB and PostgreSQL.

    First each distinct condition of the region's items becomes a column over the region's
    rows (tested once per firm, however many items share it); then each item is an AND/OR of
    those columns, and a (firm, item) row is kept where it is TRUE (or NULL, if asked). Small
    expressions over a small table keep DuckDB's planning, the cost that dominates, short.
    """
    columns: dict[str, str] = {}

    def col(fragment: str) -> str:
        if fragment not in columns:
            columns[fragment] = f"c{len(columns)}"
        return columns[fragment]

    rows = []
    for cp in policies:
        for it in cp.items:
            if not with_unknown and _never_true(it):
                continue
            honours = [col(f) for f in it.honour_sql]
            others = [col(f) for f in it.other_sql]
            where = " AND ".join((["rg"] if scope else []) + ([f"({' OR '.join(honours)})"] if honours else []) + others)
            rows.append((it, where or "TRUE"))
    if not rows:
        return []
    region = inline(*region_sql(scope)) if scope else "TRUE"
    # Only the facts an amount multiplies travel with the rows.
    amounts = " ".join(f"{it.certain_sql} {it.high_sql}" for it, _ in rows)
    facts = "".join(f", {f}" for f in FACT_COLUMNS if re.search(rf"\b{f}\b", amounts))
    conds = "".join(f", {frag} AS {name}" for frag, name in columns.items())
    keep = "IS NOT FALSE" if with_unknown else "IS TRUE"
    def verdict(v: str) -> str:
        return f"CASE WHEN {v} THEN 'met' ELSE 'unknown' END" if with_unknown else "'met'"

    return [
        "DROP TABLE IF EXISTS match_cv",
        f"CREATE TEMP TABLE match_cv AS SELECT rid{facts}, {region} AS rg{conds} "
        f"FROM {table} WHERE {region_filter(scope, with_unknown)}",
        "INSERT INTO match_raw (rid, item, verdict, certain_yuan, high_yuan, stackable)\n" + "\nUNION ALL\n".join(
            # Typed amounts: PostgreSQL types a UNION from its first branch, where NULL is text.
            f"SELECT rid, {it.uid}, {verdict(v)}, CAST({it.certain_sql} AS DOUBLE PRECISION), "
            f"CAST({it.high_sql} AS DOUBLE PRECISION), {_literal(it.stackable)} FROM match_cv WHERE ({v}) {keep}"
            for it, v in rows),
    ]


_NULL = "CAST(NULL AS BOOLEAN)"


def _never_true(it: CompiledItem) -> bool:
    """A free-text condition is NULL for every row: such an item is never met, only unknown."""
    return _NULL in it.other_sql or bool(it.honour_sql) and all(h == _NULL for h in it.honour_sql)


def policy_query(cp: CompiledPolicy, table: str = "registry", with_unknown: bool = False) -> str:
    """One policy's items as a single SELECT of (rid, item, verdict), its whole predicates inline."""
    keep = "IS NOT FALSE" if with_unknown else "IS TRUE"
    return "\nUNION ALL\n".join(
        f"SELECT rid, {it.uid} AS item, CASE WHEN ({it.where}) THEN 'met' ELSE 'unknown' END AS verdict "
        f"FROM {table} WHERE ({it.where}) {keep}" for it in cp.items)


# -------------------------------------------------------------------------------- running

@dataclass(slots=True)
class BatchResult:
    """What a batch run found, and how long each part took."""

    rows: int = 0                 # enterprises
    items: int = 0                # items compiled
    policies: int = 0
    matches: int = 0              # (enterprise, item) pairs met
    unknown: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    out: str | None = None


def by_scope(compiled: Sequence[CompiledPolicy]) -> dict[str | None, list[CompiledPolicy]]:
    groups: dict[str | None, list[CompiledPolicy]] = defaultdict(list)
    for cp in compiled:
        if cp.items:
            groups[cp.scope].append(cp)
    return groups


def run(execute: Callable[[str], Any], compiled: Sequence[CompiledPolicy], table: str = "registry",
        with_unknown: bool = False, on_policy: Callable[[CompiledPolicy], None] | None = None,
        workers: Sequence[Callable[[str], Any]] = ()) -> str:
    """Run every region's policies over that region's rows; returns the name of the result table.

    `execute(sql)` runs one statement (DuckDB's `con.execute`, a psycopg cursor's `execute`).
    `workers`: more such functions on their own connections to the same database; regions are
    then shared out among them (planning a region's SQL is single-threaded: this uses the cores).
    """
    execute("DROP TABLE IF EXISTS match_raw")
    execute("CREATE TABLE match_raw (rid BIGINT, item BIGINT, verdict VARCHAR, "
            "certain_yuan DOUBLE PRECISION, high_yuan DOUBLE PRECISION, stackable BOOLEAN)")
    for cp in compiled:
        if not cp.items and on_policy:
            on_policy(cp)
    groups = list(by_scope(compiled).items())

    def one(run_sql: Callable[[str], Any], scope: str | None, policies: list[CompiledPolicy]) -> None:
        for sql in scope_queries(scope, policies, table, with_unknown):
            run_sql(sql)
        run_sql("DROP TABLE IF EXISTS match_cv")

    if workers:
        import threading
        from queue import Empty, Queue

        todo: Queue[tuple[str | None, list[CompiledPolicy]]] = Queue()
        for g in groups:
            todo.put(g)
        errors: list[BaseException] = []
        lock = threading.Lock()

        def work(run_sql: Callable[[str], Any]) -> None:
            while not errors:
                try:
                    scope, policies = todo.get_nowait()
                except Empty:
                    return
                try:
                    one(run_sql, scope, policies)
                except BaseException as exc:  # re-raised in the caller's thread below
                    errors.append(exc)
                    return
                if on_policy:
                    with lock:
                        for cp in policies:
                            on_policy(cp)

        threads = [threading.Thread(target=work, args=(w,)) for w in workers]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        if errors:
            raise errors[0]
    else:
        for scope, policies in groups:
            one(execute, scope, policies)
            if on_policy:
                for cp in policies:
                    on_policy(cp)
    return "match_raw"


def items_table(compiled: Sequence[CompiledPolicy]) -> Any:
    import pyarrow as pa

    items = [it for cp in compiled for it in cp.items]
    rows = [{"item": it.uid, "policy": it.policy_id, "policy_title": it.policy_title, "item_no": it.index,
             "article": it.article, "recipient": it.recipient, "kind": it.kind, "amount": it.amount_text,
             "tier": it.tier, "matter": it.matter, "stacking": it.stacking, "stackable": it.stackable}
            for it in items]
    schema = pa.schema([("item", pa.int64()), ("policy", pa.string()), ("policy_title", pa.string()),
                        ("item_no", pa.int64()), ("article", pa.int64()), ("recipient", pa.string()),
                        ("kind", pa.string()), ("amount", pa.string()), ("tier", pa.string()),
                        ("matter", pa.string()), ("stacking", pa.bool_()), ("stackable", pa.bool_())])
    return pa.Table.from_pylist(rows, schema=schema)


RESULT_SQL = """
WITH raw AS (
  SELECT rid, item, verdict, certain_yuan, high_yuan, stackable AND verdict = 'met' AS contested FROM {raw}
), contested AS (
  SELECT r.rid, r.item, i.policy, i.item_no, i.tier, i.matter, i.stacking,
         COALESCE(r.certain_yuan, r.high_yuan, 0) AS worth
  FROM raw r JOIN match_items i ON i.item = r.item WHERE r.contested
), tiered AS (
  SELECT *, row_number() OVER (PARTITION BY rid, tier ORDER BY worth DESC, policy, item_no) AS tier_rank
  FROM contested
), stacked AS (
  SELECT *, bool_or(stacking) OVER (PARTITION BY rid, matter) AS group_stacks,
         row_number() OVER (PARTITION BY rid, matter ORDER BY worth DESC, policy, item_no) AS matter_rank
  FROM tiered WHERE tier_rank = 1
), final AS (
  SELECT r.rid, r.item, r.verdict, r.certain_yuan, r.high_yuan,
         CASE WHEN NOT r.contested THEN r.verdict = 'met'
              ELSE COALESCE((SELECT NOT s.group_stacks OR s.matter_rank = 1 FROM stacked s
                             WHERE s.rid = r.rid AND s.item = r.item), FALSE) END AS counted
  FROM raw r
)
SELECT f.rid, g.name, g.credit_code, i.policy, i.policy_title, i.item_no AS item, i.article, i.recipient, i.kind,
       f.verdict, f.certain_yuan, f.high_yuan, i.amount, f.counted
FROM final f JOIN {table} g ON g.rid = f.rid JOIN match_items i ON i.item = f.item
"""


def result_query(raw: str = "match_raw", table: str = "registry") -> str:
    """The result rows with the stacking rules applied (SQL shared by DuckDB and PostgreSQL)."""
    return RESULT_SQL.format(raw=raw, table=table)


def match_batch(registry: str | Path, out: str | Path, calculator: Calculator, as_of: str | None = None,
                with_unknown: bool = False, count_superseded: bool = False, threads: int | None = None,
                progress: Any = None, memory_limit: str | None = None,
                save_registry: str | Path | None = None, priced_only: bool = True) -> BatchResult:
    """Match a registry file against a compiled library in DuckDB; write the result as Parquet.

    Args:
        registry: a .csv or .parquet of registrations or prepared registry rows.
        out: the result .parquet: one row per (enterprise, item) met (and unknown, if asked), in no
            particular order (sorting millions of rows would cost more than the match).
        calculator: the compiled library (`Calculator(source)`).
        as_of: the date validity is judged on (default today).
        progress: a callable(advance, total, label) the CLI wires to a Rich progress bar.
        save_registry: also write the prepared registry here (.parquet), to skip preparing next time.
        priced_only: leave out items that state no money (the default: a push list pushes money).
    """
    import time

    import duckdb

    as_of = as_of or dt.date.today().isoformat()
    result = BatchResult()
    con = duckdb.connect()
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    # Millions of result rows spill to disk rather than grow past the limit.
    con.execute(f"SET memory_limit = {_literal(memory_limit or DEFAULT_MEMORY)}")
    con.execute("SET preserve_insertion_order = false")
    t0 = time.perf_counter()
    compiled = compile_library(calculator, as_of, count_superseded, priced_only=priced_only)
    result.policies = len(compiled)
    result.items = sum(len(cp.items) for cp in compiled)
    result.seconds["compile"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    result.rows = prepare_registry(registry, con, as_of)
    if save_registry:
        con.execute(f"COPY registry TO {_literal(str(save_registry))} (FORMAT PARQUET)")
    result.seconds["load"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    if progress:
        progress(0, len(compiled), "matching")
    cores = threads or os.cpu_count() or 1
    cursors = [con.cursor() for _ in range(min(cores, 4))] if cores > 1 else []
    raw = run(con.execute, compiled, with_unknown=with_unknown,
              on_policy=(lambda cp: progress(1, len(compiled), cp.title[:30])) if progress else None,
              workers=[c.execute for c in cursors])
    for c in cursors:
        c.close()
    match_items = items_table(compiled)  # noqa: F841 (DuckDB reads it by name)
    con.execute("CREATE OR REPLACE TEMP TABLE match_items AS SELECT * FROM match_items")
    result.seconds["match"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    con.execute(f"COPY ({result_query(raw)}) TO {_literal(str(out))} (FORMAT PARQUET)")
    counts = con.execute(f"SELECT verdict, count(*) FROM {raw} GROUP BY verdict").fetchall()
    for verdict, n in counts:
        if verdict == "met":
            result.matches = int(n)
        else:
            result.unknown = int(n)
    result.seconds["write"] = time.perf_counter() - t0
    result.out = str(out)
    con.close()
    return result


# ------------------------------------------------------------------------------ PostgreSQL

def to_postgres(conn: Any, rows: Any, compiled: Sequence[CompiledPolicy], table: str = "registry") -> None:
    """Create the registry and items tables in PostgreSQL (psycopg 3 connection) from Arrow tables."""
    cols = ", ".join(f"{c} {_PG_TYPES[t]}" for c, t in REGISTRY_COLUMNS.items())
    with conn.cursor() as cur:
        cur.execute(f"DROP TABLE IF EXISTS {table}")
        cur.execute(f"CREATE TABLE {table} ({cols})")
        with cur.copy(f"COPY {table} ({', '.join(REGISTRY_COLUMNS)}) FROM STDIN") as copy:
            for row in rows.to_pylist():
                copy.write_row([row[c] for c in REGISTRY_COLUMNS])
        cur.execute("DROP TABLE IF EXISTS match_items")
        cur.execute("CREATE TABLE match_items (item BIGINT, policy TEXT, policy_title TEXT, item_no BIGINT, "
                    "article BIGINT, recipient TEXT, kind TEXT, amount TEXT, tier TEXT, matter TEXT, stacking BOOLEAN, "
                    "stackable BOOLEAN)")
        items = items_table(compiled)
        with cur.copy("COPY match_items FROM STDIN") as copy:
            for row in items.to_pylist():
                copy.write_row(list(row.values()))
    conn.commit()


def run_postgres(conn: Any, compiled: Sequence[CompiledPolicy], table: str = "registry",
                 with_unknown: bool = False) -> list[tuple[Any, ...]]:
    """The same compiled SQL on PostgreSQL: the result rows, as `result_query` orders them."""
    with conn.cursor() as cur:
        raw = run(cur.execute, compiled, table, with_unknown)
        cur.execute(result_query(raw, table))
        rows: list[tuple[Any, ...]] = cur.fetchall()
    conn.commit()
    return rows
