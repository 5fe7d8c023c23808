"""The batch: the compiled SQL gives the calculator's verdicts, on DuckDB and on PostgreSQL."""
from __future__ import annotations

import csv
import os
import random
from functools import lru_cache
from pathlib import Path
from typing import Any

import duckdb
import pytest
import yaml

from zhengce.match.batch import (
    BatchError,
    compile_library,
    items_table,
    match_batch,
    profile_to_row,
    result_query,
    rows_to_arrow,
    run,
    run_postgres,
    to_postgres,
)
from zhengce.match.calculator import Calculator
from zhengce.match.sources import FileSource
from zhengce.profile import profile_from_dict

ROOT = Path(__file__).parent.parent
CORPUS = ROOT / "corpus"
CASES = Path(__file__).parent / "cases"
# The team's shared folder sits beside the repository (../shared), in CI as on a laptop.
ENTERPRISES = ROOT.parent / "shared" / "enterprises"
POLICIES = ("weihai-2021-keji-chuangxin", "guangzhou-2025-yicixing-chuangye-butie", "liuhe-zhongdian-chanye-old")
AS_OF = "2021-12-31"
PG_SERVER = os.environ.get("ZHENGCE_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")


@lru_cache(maxsize=1)
def calculator() -> Calculator:
    return Calculator(FileSource([CORPUS / f"{p}.txt" for p in POLICIES]))


def case_profiles() -> list[Any]:
    """The hand-worked profiles of tests/cases plus generated ones (no confirmations: see below)."""
    out = []
    for path in sorted(CASES.glob("*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]:
            data = dict(case.get("profile") or {})
            data.pop("confirms", None)
            data["as_of"] = AS_OF
            out.append(profile_from_dict(data))
    rng = random.Random(11)
    honours = ["高新技术企业 新认定 2021", "高新技术企业 重新认定 2021", "省级技术创新中心", "国家级技术创新中心",
               "国家级科技企业孵化器", "国家知识产权示范企业 年度新获 2021", "国家高新技术企业 首次 2021",
               "省级高新技术企业 首次 2021", "中国专利金奖", "技术先进型服务企业", "国家级国际合作基地"]
    for _ in range(80):
        data: dict[str, Any] = {"as_of": AS_OF, "name": f"测试{rng.randint(1, 999)}有限公司"}
        if rng.random() < 0.9:
            data["region"] = rng.choice(["山东省威海市", "山东省威海市荣成市", "山东省", "吉林省柳河县", "广东省广州市",
                                         "北京市海淀区"])
        if rng.random() < 0.8:
            data["honours"] = rng.sample(honours, rng.randint(0, 3))
        if rng.random() < 0.7:
            data["facts"] = {"年发明专利授权数": rng.randint(0, 30), "营业收入": rng.randint(0, 10**8),
                             "地方经济贡献额": rng.choice([0, 350000, 600000]), "新招用人数": rng.randint(0, 6)}
        if rng.random() < 0.3:
            data["recipient_type"] = rng.choice(["银行", "高校院所", "个人", "服务机构"])
        out.append(profile_from_dict(data))
    return out


def run_duckdb(profiles: list[Any], with_unknown: bool = True, count_superseded: bool = True,
               workers: int = 0) -> list[tuple[Any, ...]]:
    compiled = compile_library(calculator(), AS_OF, count_superseded=count_superseded)
    con = duckdb.connect()
    registry = rows_to_arrow([profile_to_row(p, rid=i) for i, p in enumerate(profiles)])  # noqa: F841
    con.execute("CREATE TABLE registry AS SELECT * FROM registry")
    match_items = items_table(compiled)  # noqa: F841
    con.execute("CREATE TABLE match_items AS SELECT * FROM match_items")
    cursors = [con.cursor() for _ in range(workers)]
    raw = run(con.execute, compiled, with_unknown=with_unknown, workers=[c.execute for c in cursors])
    return con.execute(result_query(raw)).fetchall()


def test_batch_gives_the_calculators_verdicts_and_money() -> None:
    profiles = case_profiles()
    rows = run_duckdb(profiles)
    got = {(r[0], r[3], r[5]): (r[9], r[10], r[13]) for r in rows}
    calc = calculator()
    compared = 0
    for rid, p in enumerate(profiles):
        report = calc.match(p, count_superseded=True)
        for item in report.items:
            key = (rid, item.policy_id, item.index)
            if any(c.kind == "text" and c.verdict == "met" and c.seen.startswith(("持有：", "已确认："))
                   for c in item.checks):
                # The profile's own word (an honour named in a clause): a registry row has none.
                got.pop(key, None)
                continue
            if item.verdict == "unmet":
                assert key not in got, (p.name, item.recipient, item.checks)
                continue
            assert key in got, (p.name, item.recipient, item.verdict, item.checks)
            verdict, certain, counted = got[key]
            assert verdict == item.verdict, (p.name, item.recipient)
            assert (certain or 0) == pytest.approx(item.money.certain_yuan or 0), (p.name, item.recipient)
            if verdict == "met":
                assert counted == item.counted, (p.name, item.recipient, item.note)
            compared += 1
        assert sum(1 for k in got if k[0] == rid) <= sum(1 for i in report.items if i.verdict != "unmet")
    assert compared > 500


def test_met_only_is_the_met_rows_and_parallel_workers_agree() -> None:
    profiles = case_profiles()
    everything = [r for r in run_duckdb(profiles) if r[9] == "met"]
    met = run_duckdb(profiles, with_unknown=False, workers=2)
    assert sorted(met) == sorted(everything)
    assert met


def test_superseded_policies_are_left_out() -> None:
    rows = run_duckdb(case_profiles(), count_superseded=False)
    assert rows and not any(r[3] == "liuhe-zhongdian-chanye-old" for r in rows)


@pytest.fixture(scope="module")
def pg() -> Any:
    psycopg = pytest.importorskip("psycopg")
    try:
        admin = psycopg.connect(PG_SERVER, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as exc:
        pytest.skip(f"PostgreSQL is not reachable at {PG_SERVER} (set ZHENGCE_TEST_PG): {exc}")
    name = f"zhengce_match_test_{os.getpid()}"
    admin.execute(f"DROP DATABASE IF EXISTS {name}")
    admin.execute(f"CREATE DATABASE {name}")
    conn = psycopg.connect(PG_SERVER.rsplit("/", 1)[0] + "/" + name)
    yield conn
    conn.close()
    admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    admin.close()


def test_postgres_runs_the_same_sql_to_the_same_rows(pg: Any) -> None:
    profiles = case_profiles()
    compiled = compile_library(calculator(), AS_OF, count_superseded=True)
    to_postgres(pg, rows_to_arrow([profile_to_row(p, rid=i) for i, p in enumerate(profiles)]), compiled)
    got = run_postgres(pg, compiled, with_unknown=True)
    want = run_duckdb(profiles)

    def norm(rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
        return sorted(tuple(round(x, 2) if isinstance(x, float) else x for x in r) for r in rows)

    assert len(got) == len(want) > 100
    assert norm(got) == norm(want)


def test_match_batch_on_registrations_with_synthetic_honours(tmp_path: Path) -> None:
    # Registrations as the shared folder has them (企业名称, 所在省份, 地区, 经营范围 …), a few
    # 威海 firms added with the honours a registry lacks.
    rows = [
        {"企业名称": "威海福瑞医疗器械有限公司", "统一社会信用代码": "X1", "所在省份": "山东", "地区": "威海",
         "经营范围": "医疗器械生产", "资质": "高新技术企业 新认定 2021", "年发明专利授权数": "25"},
        {"企业名称": "威海光威复合材料股份有限公司", "统一社会信用代码": "X2", "所在省份": "山东", "地区": "威海",
         "经营范围": "碳纤维制造", "资质": "高新技术企业 重新认定 2021；省级技术创新中心 2021", "年发明专利授权数": ""},
        {"企业名称": "北京智芯软件有限公司", "统一社会信用代码": "X3", "所在省份": "北京", "地区": "海淀",
         "经营范围": "软件开发", "资质": "高新技术企业 新认定 2021", "年发明专利授权数": "30"},
    ]
    registry = tmp_path / "registry.csv"
    with registry.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    out = tmp_path / "result.parquet"
    result = match_batch(registry, out, calculator(), as_of=AS_OF)
    assert result.rows == 3
    got = duckdb.sql(f"SELECT name, article, certain_yuan FROM '{out}' WHERE certain_yuan IS NOT NULL").fetchall()
    assert ("威海福瑞医疗器械有限公司", 7, 200000.0) in got
    assert ("威海福瑞医疗器械有限公司", 14, 200000.0) in got
    assert ("威海光威复合材料股份有限公司", 5, 5000000.0) in got
    assert ("威海光威复合材料股份有限公司", 7, 100000.0) in got
    assert not [r for r in got if r[0] == "北京智芯软件有限公司"]


@pytest.mark.skipif(not ENTERPRISES.is_dir(), reason="the shared enterprise registrations (../shared/enterprises) are not here")
def test_real_registrations_load_and_match(tmp_path: Path) -> None:
    files = sorted(ENTERPRISES.glob("*.csv"))
    out = tmp_path / "result.parquet"
    result = match_batch(files[0], out, calculator(), as_of="2025-06-30", with_unknown=True)
    assert result.rows > 100
    con = duckdb.connect()
    # Every registration got a region; 广州 firms are the ones the 广州 policy leaves open.
    con.execute(f"CREATE TABLE r AS SELECT * FROM '{out}'")
    policies = {p for (p,) in con.execute("SELECT DISTINCT policy FROM r").fetchall()}
    assert policies <= set(POLICIES)
    for name, in con.execute("SELECT DISTINCT name FROM r WHERE policy = 'guangzhou-2025-yicixing-chuangye-butie'").fetchall()[:50]:
        assert name


def test_prepared_registry_round_trip(tmp_path: Path) -> None:
    # A registry already in the prepared columns is used as it is.
    profiles = case_profiles()[:20]
    path = tmp_path / "prepared.parquet"
    import pyarrow.parquet as pq

    pq.write_table(rows_to_arrow([profile_to_row(p, rid=i) for i, p in enumerate(profiles)]), path)
    result = match_batch(path, tmp_path / "out.parquet", calculator(), as_of=AS_OF, count_superseded=True)
    assert result.rows == 20 and result.matches > 0


def test_bad_registry_says_what_is_wrong(tmp_path: Path) -> None:
    with pytest.raises(BatchError, match="no such file"):
        match_batch(tmp_path / "missing.csv", tmp_path / "o.parquet", calculator())
    bad = tmp_path / "registry.xlsx"
    bad.write_text("x")
    with pytest.raises(BatchError, match="expected a .csv or .parquet"):
        match_batch(bad, tmp_path / "o.parquet", calculator())
