"""Policy library at scale: ingest rate, store size and search latency, SQLite and PostgreSQL.

Builds a synthetic library (bench/gen_library.py) in steps — by default 10,000 then
100,000 policies on SQLite and 10,000 on PostgreSQL — and after each step times
searches of several kinds with varied words and facets (p50 / p95 in ms). The
target: p95 ≤ 50 ms at 100,000 policies on SQLite for two words and two facets.

Run: python bench/search_bench.py [--sizes 10000,100000] [--pg-sizes 10000,100000] [--queries 200]
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from gen_library import INDUSTRIES, OWNERSHIP, SIZES, THEMES, generate  # noqa: E402

from zhengce.library import Library, open_library  # noqa: E402

PG_SERVER = os.environ.get("ZHENGCE_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
TARGET_MS = 50.0
# Words a person looks for in policies: two-character words, longer terms, honours.
WORDS = ("高新技术企业", "奖励", "专利", "补助", "众创空间", "人才", "研发", "融资", "担保", "贷款", "贴息",
         "小微企业", "创业", "就业", "知识产权", "科技成果", "孵化器", "人工智能", "数据", "物流", "外贸",
         "农业", "补贴", "资助", "认定", "投资", "专精特新", "首台套", "技术中心", "上市")
FACET_VALUES = {"theme": THEMES, "industry": INDUSTRIES, "size": SIZES, "ownership": OWNERSHIP,
                "year": tuple(str(y) for y in range(2010, 2026))}


def _percentiles(times: list[float]) -> tuple[float, float]:
    times = sorted(times)
    return times[len(times) // 2], times[min(len(times) - 1, int(len(times) * 0.95))]


def _facets(rng: random.Random, pool: tuple[str, ...]) -> dict[str, list[str]]:
    return {f: [rng.choice(FACET_VALUES[f])] for f in rng.sample(pool, 2)}


# The facets that narrow a search: theme, industry, year. Size and ownership are ticked
# "all" on half the portal pages, so a pair of them keeps ~40 % of the library: timed apart.
NARROWING = ("theme", "industry", "year")
KINDS: dict[str, Callable[[Library, random.Random], int]] = {
    # The target: two words, two facets.
    "2 words + 2 facets": lambda lib, rng: lib.search(" ".join(rng.sample(WORDS, 2)), _facets(rng, NARROWING)).total,
    "2 words + size, owner": lambda lib, rng: lib.search(" ".join(rng.sample(WORDS, 2)),
                                                         _facets(rng, ("size", "ownership"))).total,
    "1 word + 1 facet": lambda lib, rng: lib.search(rng.choice(WORDS), {"theme": [rng.choice(THEMES)]}).total,
    "2 words": lambda lib, rng: lib.search(" ".join(rng.sample(WORDS, 2))).total,
    "items, 2 words": lambda lib, rng: len(lib.items(" ".join(rng.sample(WORDS, 2)))),
}


def time_searches(lib: Library, queries: int, seed: int = 7) -> dict[str, tuple[float, float, float]]:
    """p50 and p95 in ms, and the mean number of matches, per kind of search."""
    out = {}
    for kind, run in KINDS.items():
        rng = random.Random(seed)
        for _ in range(5):      # warm the caches and the page cache
            run(lib, rng)
        times, found = [], []
        for _ in range(queries):
            began = time.perf_counter()
            found.append(run(lib, rng))
            times.append((time.perf_counter() - began) * 1000)
        p50, p95 = _percentiles(times)
        out[kind] = (p50, p95, statistics.mean(found))
    return out


def store_bytes(lib: Library) -> int:
    from sqlalchemy import text

    with lib.engine.connect() as conn:
        if lib.engine.dialect.name == "postgresql":
            return int(conn.execute(text("SELECT pg_database_size(current_database())")).scalar_one())
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        pages = conn.exec_driver_sql("PRAGMA page_count").scalar_one()
        size = conn.exec_driver_sql("PRAGMA page_size").scalar_one()
        return int(pages * size)


def bench_backend(name: str, url: str, sizes: list[int], queries: int, workers: int | None) -> list[str]:
    lines = []
    with open_library(url) as lib:
        have = lib.count()
        for size in sizes:
            if size < have:
                print(f"{name}: the library already holds {have:,} policies; skipping {size:,}")
                continue
            seconds = generate(lib, size - have, start=have, workers=workers) if size > have else 0.0
            rate = (size - have) / seconds if seconds else None  # None: a kept library, reused
            have = size
            mb = store_bytes(lib) / 1e6
            ingest = f"ingest {rate:,.0f} policies/s" if rate else "reused (--dir), no ingest timed"
            print(f"{name} {size:>7,}: {ingest}, store {mb:,.0f} MB ({mb * 1e3 / size:.1f} kB/policy)", flush=True)
            timed = time_searches(lib, queries)
            # Other work on the machine moves the figures: say how busy it was while they were taken.
            print(f"{name} {size:>7,}: load average {os.getloadavg()[0]:.1f} after timing", flush=True)
            for kind, (p50, p95, found) in timed.items():
                mark = ""
                if kind.startswith("2 words + 2") and name == "sqlite" and size >= 100_000:
                    mark = "  ✓ target" if p95 <= TARGET_MS else f"  ✗ target p95 ≤ {TARGET_MS:.0f} ms"
                rate_text = f"{rate:>8,.0f}/s" if rate else "  reused "
                line = (f"{name:10} {size:>7,} {rate_text} {mb:>8,.0f} MB  {kind:22} "
                        f"p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  ({found:,.0f} found){mark}")
                print("  " + line, flush=True)
                lines.append(line)
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10000,100000", help="SQLite library sizes, ascending (default 10000,100000).")
    parser.add_argument("--pg-sizes", default="10000", help="PostgreSQL sizes (default 10000; '' to skip).")
    parser.add_argument("--queries", type=int, default=200, help="Timed searches per kind and size.")
    parser.add_argument("--workers", type=int, default=None, help="Processes making rows (default: cores - 1).")
    parser.add_argument("--dir", default=None,
                        help="Keep the SQLite library here and reuse it next time (default: a temporary folder).")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s]
    pg_sizes = [int(s) for s in args.pg_sizes.split(",") if s]

    lines: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(args.dir or tmp)
        folder.mkdir(parents=True, exist_ok=True)
        db = folder / "bench-library.db"
        if sizes:
            lines += bench_backend("sqlite", f"sqlite:///{db}", sizes, args.queries, args.workers)
    if pg_sizes:
        lines += _bench_postgres(pg_sizes, args.queries, args.workers)
    print("\nsummary")
    for line in lines:
        print("  " + line)
    return 0


def _bench_postgres(sizes: list[int], queries: int, workers: int | None) -> list[str]:
    import psycopg

    try:
        admin = psycopg.connect(PG_SERVER, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as exc:
        print(f"postgresql: skipped, server not reachable at {PG_SERVER} (set ZHENGCE_BENCH_PG): {exc}")
        return []
    name = f"zhengce_bench_{os.getpid()}"
    admin.execute(f"DROP DATABASE IF EXISTS {name}")
    admin.execute(f"CREATE DATABASE {name}")
    try:
        return bench_backend("postgresql", PG_SERVER.rsplit("/", 1)[0] + "/" + name, sizes, queries, workers)
    finally:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.close()


if __name__ == "__main__":
    sys.exit(main())
