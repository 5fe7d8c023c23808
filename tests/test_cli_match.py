"""`zhengce match` and `zhengce match-batch` through a fresh Typer app (cli.py adds them the same way)."""
from __future__ import annotations

import json
from pathlib import Path

import duckdb
import typer
from typer.testing import CliRunner

from zhengce.cli_match import register

CORPUS = Path(__file__).parent.parent / "corpus"
WEIHAI = str(CORPUS / "weihai-2021-keji-chuangxin.txt")


def app() -> typer.Typer:
    a = typer.Typer()

    @a.callback()
    def main() -> None:
        """zhengce"""

    register(a)
    return a


def profile(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "firm.yaml"
    path.write_text(text, encoding="utf-8")
    return path


FIRM = """name: 威海福瑞医疗器械有限公司
region: 山东省威海市环翠区
honours: [高新技术企业 新认定 2021]
facts: {年发明专利授权数: 25}
as_of: 2021-12-31
"""


def test_match_text_reads_well(tmp_path: Path) -> None:
    result = CliRunner().invoke(app(), ["match", str(profile(tmp_path, FIRM)), "--policy", WEIHAI])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "确定可得 40万元" in out
    assert "新认定的高新技术企业" in out and "原文：" in out
    assert "facts.invention_patents：25件" in out
    assert "取得国家级技术创新中心 → 1000万元" in out
    assert "现行有效" in out


def test_match_json_has_every_verdict(tmp_path: Path) -> None:
    result = CliRunner().invoke(app(), ["match", str(profile(tmp_path, FIRM)), "--policy", WEIHAI, "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["totals"]["certain_yuan"] == 400000
    items = data["eligible"] + data["possible"] + data["unmet"]
    assert all(c["verdict"] in ("met", "unmet", "unknown") and c["field"] for i in items for c in i["checks"])
    assert data["unlock"][0]["action"] == "取得国家级技术创新中心"


def test_match_errors_are_one_line(tmp_path: Path) -> None:
    bad = profile(tmp_path, "honours: [{name: 技术创新中心, level: 宇宙级}]\n")
    result = CliRunner().invoke(app(), ["match", str(bad), "--policy", WEIHAI])
    assert result.exit_code == 1
    assert "honours[0].level" in result.output and "Traceback" not in result.output
    result = CliRunner().invoke(app(), ["match", str(profile(tmp_path, FIRM)), "--policy", str(tmp_path / "nope.txt"),
                                        "--db", f"sqlite:///{tmp_path / 'none.db'}"])
    assert result.exit_code == 1 and "nope.txt" in result.output


def test_match_batch_writes_parquet(tmp_path: Path) -> None:
    registry = tmp_path / "registry.csv"
    registry.write_text("企业名称,所在省份,地区,资质,年发明专利授权数\n"
                        "威海福瑞医疗器械有限公司,山东,威海,高新技术企业 新认定 2021,25\n"
                        "北京智芯软件有限公司,北京,海淀,高新技术企业 新认定 2021,30\n", encoding="utf-8")
    out = tmp_path / "result.parquet"
    result = CliRunner().invoke(app(), ["match-batch", str(registry), "--out", str(out), "--policy", WEIHAI,
                                        "--as-of", "2021-12-31", "--save-registry", str(tmp_path / "prepared.parquet")])
    assert result.exit_code == 0, result.output
    assert "2 enterprises" in result.output
    rows = duckdb.sql(f"SELECT name, article, certain_yuan FROM '{out}' WHERE certain_yuan > 0 ORDER BY article").fetchall()
    assert rows == [("威海福瑞医疗器械有限公司", 7, 200000.0), ("威海福瑞医疗器械有限公司", 14, 200000.0)]
    assert (tmp_path / "prepared.parquet").exists()


def test_match_batch_wants_parquet(tmp_path: Path) -> None:
    result = CliRunner().invoke(app(), ["match-batch", "x.csv", "--out", str(tmp_path / "r.csv"), "--policy", WEIHAI])
    assert result.exit_code == 1 and ".parquet" in result.output


def test_commands_have_help() -> None:
    for command in ("match", "match-batch"):
        result = CliRunner().invoke(app(), [command, "--help"])
        assert result.exit_code == 0 and "--policy" in result.output


def test_match_reads_the_library_without_policy_files(tmp_path: Path) -> None:
    from zhengce.library import open_library

    url = f"sqlite:///{tmp_path / 'library.db'}"
    with open_library(url) as lib:
        lib.ingest([WEIHAI, CORPUS / "liuhe-zhongdian-chanye-old.txt"])
        ids = lib.repo.ids()
    firm = str(profile(tmp_path, FIRM))
    result = CliRunner().invoke(app(), ["match", firm, "--db", url, "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["totals"]["certain_yuan"] == 400000
    assert {p["status"] for p in data["policies"]} == {"in_force", "outside"}
    weihai = next(p["policy"] for p in data["policies"] if p["status"] == "in_force")
    one = CliRunner().invoke(app(), ["match", firm, "--db", url, "--policy", weihai, "--format", "json"])
    assert [p["policy"] for p in json.loads(one.output)["policies"]] == [weihai] and len(ids) == 2
