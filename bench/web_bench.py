"""Web bench: the policy page and the search endpoint under 50 concurrent clients.

Starts `zhengce serve` (two workers, the bundled corpus in a scratch library) on
127.0.0.1, warms it up, then sends a bounded number of requests per endpoint with
50 concurrent connections and reports requests/s, p50/p95 latency and errors.
The load comes from `wrk` (Debian package) when installed, else from an httpx
async client; both run on the same machine as the server, which they share the
cores with. The target is ≥ 200 requests/s with no errors.

    python bench/web_bench.py [--requests 4000] [--concurrency 50] [--workers 2]
"""
from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
TARGET_RPS = 200.0
# A spread of what people type: two-character words, long terms, facets, no hits.
QUERIES = ["奖励", "补贴", "高新技术企业", "众创空间 奖励", "孵化器", "知识产权", "贷款贴息", "人才", "研发费用",
           "首台套", "专精特新", "科技型中小企业", "创业", "融资担保", "技术创新中心", "不存在的词语"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(folder: Path, port: int, workers: int, ttl: float) -> subprocess.Popen[bytes]:
    env = dict(os.environ, ZHENGCE_DB=f"sqlite:///{folder / 'bench.db'}", ZHENGCE_WEB_TTL=str(ttl))
    proc = subprocess.Popen(
        [sys.executable, "-m", "zhengce.cli_web", "serve", "--port", str(port), "--workers", str(workers),
         "--corpus", str(ROOT / "corpus")],
        cwd=folder, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("server exited: " + (proc.stderr.read().decode() if proc.stderr else ""))
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return proc
        except OSError:
            time.sleep(0.2)
    proc.terminate()
    raise RuntimeError("server did not start within 120 s")


def policy_id(base: str) -> int:
    import httpx

    hits = httpx.get(f"{base}/api/search", params={"q": "新旧动能转换 科技创新"}, timeout=30).json()["hits"]
    return int(hits[0]["id"]) if hits else 1


async def drive(urls: list[str], total: int, concurrency: int) -> tuple[float, list[float], int]:
    """Send `total` GETs over `concurrency` connections; (seconds, latencies, errors)."""
    import httpx

    latencies: list[float] = []
    errors = 0
    counter = iter(range(total))
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(limits=limits, timeout=30) as client:
        async def worker() -> None:
            nonlocal errors
            for n in counter:
                t = time.perf_counter()
                try:
                    r = await client.get(urls[n % len(urls)])
                    if r.status_code != 200:
                        errors += 1
                except httpx.HTTPError:
                    errors += 1
                latencies.append(time.perf_counter() - t)

        start = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return time.perf_counter() - start, latencies, errors


def run_wrk(urls: list[str], seconds: int, concurrency: int, folder: Path) -> tuple[float, float, float, int, int]:
    """(requests/s, p50 ms, p95 ms, requests, errors) from wrk, rotating over `urls` with a Lua script."""
    script = folder / "rotate.lua"
    paths = ", ".join('"' + u.split("/", 3)[3].replace('"', '\\"') + '"' for u in urls)
    script.write_text(
        f"local paths = {{ {', '.join(chr(34) + '/' + u.split('/', 3)[3] + chr(34) for u in urls)} }}\n"
        "local n = 0\nrequest = function() n = n + 1; return wrk.format(nil, paths[(n % #paths) + 1]) end\n"
        "done = function(summary, latency, requests)\n"
        "  io.write(string.format('RESULT %d %d %d %f %f\\n', summary.requests,"
        " summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,"
        " summary.duration, latency:percentile(50), latency:percentile(95)))\nend\n")
    del paths
    base = "/".join(urls[0].split("/", 3)[:3])
    out = subprocess.run(["wrk", "-t2", f"-c{concurrency}", f"-d{seconds}s", "--latency", "-s", str(script), base],
                         capture_output=True, text=True, timeout=seconds + 60).stdout
    m = re.search(r"RESULT (\d+) (\d+) (\d+) ([\d.]+) ([\d.]+)", out)
    if not m:
        raise RuntimeError("wrk printed no result:\n" + out)
    requests, errors, micros = int(m.group(1)), int(m.group(2)), int(m.group(3))
    return requests / (micros / 1e6), float(m.group(4)) / 1000, float(m.group(5)) / 1000, requests, errors


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=4000, help="requests per endpoint (httpx driver)")
    parser.add_argument("--seconds", type=int, default=15, help="seconds per endpoint (wrk driver)")
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2, help="server worker processes")
    parser.add_argument("--driver", choices=("auto", "wrk", "httpx"), default="auto")
    parser.add_argument("--no-cache", action="store_true",
                        help="turn the portal's caches off: every request reads the library and renders")
    args = parser.parse_args()
    driver = "wrk" if args.driver == "wrk" or (args.driver == "auto" and shutil.which("wrk")) else "httpx"
    port = free_port()
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        server = start_server(Path(tmp), port, args.workers, 0.0 if args.no_cache else 30.0)
        try:
            base = f"http://127.0.0.1:{port}"
            pid = policy_id(base)
            endpoints = {
                f"policy page /policy/{pid}": [f"{base}/policy/{pid}"],
                "search /api/search?q=…": [f"{base}/api/search?q={quote(q)}" for q in QUERIES],
                "search page /search?q=…": [f"{base}/search?q={quote(q)}" for q in QUERIES],
            }
            print(f"server: {args.workers} workers, caches {'off' if args.no_cache else 'on (30 s)'}; "
                  f"load: {driver}, {args.concurrency} concurrent clients; "
                  f"{os.cpu_count()} cores shared by both", flush=True)
            for name, urls in endpoints.items():
                asyncio.run(drive(urls, 200, 10))  # warm caches and connections in every worker
                if driver == "wrk":
                    rps, p50, p95, n, errors = run_wrk(urls, args.seconds, args.concurrency, Path(tmp))
                else:
                    seconds, lat, errors = asyncio.run(drive(urls, args.requests, args.concurrency))
                    n, rps = len(lat), len(lat) / seconds
                    p50, p95 = statistics.median(lat) * 1000, statistics.quantiles(lat, n=20)[18] * 1000
                passed = rps >= TARGET_RPS and errors == 0
                ok &= passed
                print(f"{name:32s} {rps:7.0f} req/s  p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  "
                      f"{n} requests, {errors} errors  {'ok' if passed else 'BELOW TARGET'}", flush=True)
        finally:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
    if driver == "httpx":
        # On two cores a Python client saturates a core on its own: these figures measure the client.
        print("note: httpx drove the load and is the bottleneck here; install wrk (make bench does, as root)"
              " for the server's figures. Target not judged.")
        return 0
    print(f"target: ≥ {TARGET_RPS:.0f} req/s with no errors: {'met' if ok else 'NOT met'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
