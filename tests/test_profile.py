"""Profiles: the schema of docs/calculator.md, derived facts, and errors that name file and field."""
from __future__ import annotations

from pathlib import Path

import pytest

from zhengce.profile import (
    Industry,
    ProfileError,
    derive_size,
    industry_from_scope,
    load_profile,
    parse_quantity,
    profile_from_dict,
)

DOCS = Path(__file__).parent.parent / "docs" / "calculator.md"


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_yaml_and_json_read_the_same(tmp_path: Path) -> None:
    y = write(tmp_path, "p.yaml", "name: 甲公司\nregion: {province: 山东, city: 威海}\nhonours: [高新技术企业 新认定 2021]\n"
                                   "facts: {年发明专利授权数: 25, 营业收入: 5000万元}\nas_of: 2021-12-31\n")
    j = write(tmp_path, "p.json", '{"name": "甲公司", "region": {"province": "山东", "city": "威海"}, '
                                  '"honours": ["高新技术企业 新认定 2021"], '
                                  '"facts": {"年发明专利授权数": 25, "营业收入": "5000万元"}, "as_of": "2021-12-31"}')
    a, b = load_profile(y), load_profile(j)
    assert a == b
    assert a.place.city == "3710" and a.facts == {"invention_patents": 25.0, "revenue": 50_000_000.0}
    assert a.recipient_types == ("企业",) and a.recipient_source == "name"


@pytest.mark.parametrize("text,field,words", [
    ("name: [1, 2]\n", "name", "expected text"),
    ("region: 火星基地\n", "region", "no province, city or county"),
    ("region: {province: 山东, town: x}\n", "region.town", "unknown field"),
    ("industry: Z99\n", "industry", "GB/T 4754"),
    ("industry: C65\n", "industry", "is in section I"),
    ("size: 巨型\n", "size", "大型, 中型, 小型, 微型"),
    ("recipient_type: 外星人\n", "recipient_type", "expected one of"),
    ("honours: 高新技术企业\n", "honours", "expected a list"),
    ("honours: [{name: 技术创新中心, level: 宇宙级}]\n", "honours[0].level", "国家级, 省级"),
    ("honours: [{name: 高新技术企业, year: 二〇二一}]\n", "honours[0].year", "a year such as 2021"),
    ("honours: [{level: 省级}]\n", "honours[0].name", "missing"),
    ("facts: {年发明专利数量: 3}\n", "facts.年发明专利数量", "unknown fact"),
    ("facts: {营业收入: 很多}\n", "facts.营业收入", "a number such as"),
    ("as_of: 2021-13-01\n", "as_of", "a date such as"),
    ("colour: red\n", "colour", "unknown field"),
])
def test_errors_name_the_file_and_the_field(tmp_path: Path, text: str, field: str, words: str) -> None:
    path = write(tmp_path, "bad.yaml", text)
    with pytest.raises(ProfileError) as info:
        load_profile(path, strict=True)
    assert info.value.field == field
    assert words in str(info.value)
    assert str(info.value).startswith(f"{path}: {field}: ")


def test_unknown_fields_and_facts_are_set_aside_with_a_note(tmp_path: Path) -> None:
    p = load_profile(write(tmp_path, "p.yaml", "colour: red\nfacts: {年发明专利数量: 3, 营业收入: 100万元}\n"))
    assert p.facts == {"revenue": 1_000_000.0}
    assert any(n.startswith("colour") for n in p.ignored) and any("facts.年发明专利数量" in n for n in p.ignored)
    with pytest.raises(ProfileError, match="facts.营业收入: expected a number"):
        load_profile(write(tmp_path, "q.yaml", "facts: {营业收入: 很多}\n"))  # a bad value is always an error


def test_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(ProfileError, match="no such file"):
        load_profile(tmp_path / "missing.yaml")
    with pytest.raises(ProfileError, match="not valid YAML at line 2"):
        load_profile(write(tmp_path, "b.yaml", "name: x\n  - : [\n"))
    with pytest.raises(ProfileError, match="not valid JSON"):
        load_profile(write(tmp_path, "b.json", "{name: x"))
    with pytest.raises(ProfileError, match="expected a mapping"):
        load_profile(write(tmp_path, "c.yaml", "- a\n- b\n"))


@pytest.mark.parametrize("industry,employees,revenue,assets,expected", [
    ("C35", 1200, 5e8, None, {"大型"}),            # 工业: ≥1000 人 and ≥4 亿元
    ("C35", 1200, 1e8, None, {"中型"}),            # revenue below the 大型 bound: one class down
    ("C35", 120, 8e6, None, {"小型"}),
    ("C35", 10, 8e6, None, {"微型"}),              # 微型: under 20 人 is enough
    ("C35", 50, None, None, {"小型", "微型"}),     # revenue unknown: a band
    ("65", 50, 8e6, None, {"小型"}),               # 软件: 中型 needs 100 人 and 1000 万元
    ("51", 30, 6e7, None, {"中型"}),               # 批发: ≥20 人 and ≥5000 万元
    ("52", 30, 6e7, None, {"小型"}),               # 零售: 中型 needs 50 人
    ("E48", None, 7e7, 6e7, {"中型"}),             # 建筑: revenue and assets
    ("A01", None, 3e6, None, {"小型"}),            # 农林牧渔: revenue only, ≥50 万元
    ("M73", 150, None, None, {"中型"}),            # 其他未列明行业: employees only
])
def test_sme_size_under_the_national_standard(industry: str, employees: float | None, revenue: float | None,
                                              assets: float | None, expected: set[str]) -> None:
    p = profile_from_dict({"industry": industry})
    classes, how = derive_size(p.industry, employees, revenue, assets)
    assert set(classes) == expected
    assert "中小企业划型标准规定" in how


def test_size_stated_or_derived() -> None:
    assert profile_from_dict({"size": "小微企业"}).sizes == {"小型", "微型"}
    derived = profile_from_dict({"industry": "65", "facts": {"从业人员": 50, "营业收入": "800万元"}})
    assert derived.sizes == {"小型"} and derived.size_source.startswith("derived")
    assert profile_from_dict({"facts": {"营业收入": "800万元"}}).sizes == frozenset()  # 其他行业: employees decide


@pytest.mark.parametrize("scope,division", [
    ("软件开发；信息技术咨询服务；计算机软硬件销售", "65"),
    ("餐饮服务（热食类食品制售）；预包装食品销售", "62"),
    ("塑料粒料制造;合成橡胶制造（监控化学品、危险化学品除外）;塑料制品批发", "29"),
    ("水力发电。(依法须经批准的项目，经相关部门批准后方可开展经营活动)", "44"),
    ("钢结构制造、安装和设计。", "33"),
    ("医疗器械生产；医疗器械销售", "35"),
    ("货物进出口；技术进出口；销售电子产品", "51"),
])
def test_industry_from_business_scope(scope: str, division: str) -> None:
    got = industry_from_scope(scope)
    assert got.division == division, got
    assert got.source == "scope" and got.clue


def test_industry_stated_forms() -> None:
    assert profile_from_dict({"industry": "C35"}).industry == Industry("C", "35", "35")
    assert profile_from_dict({"industry": "65"}).industry.section == "I"
    assert profile_from_dict({"industry": "制造业"}).industry.section == "C"
    assert profile_from_dict({"industry": "软件和信息技术服务业"}).industry.division == "65"


def test_honours_as_written() -> None:
    p = profile_from_dict({"honours": ["省级技术创新中心 2022", "国家高新技术企业 首次 2021", "山东省专利奖一等奖",
                                       {"name": "大学科技园", "level": "国家", "status": "升级为"}]})
    got = [(h.name, h.level, h.status, h.year, h.rank) for h in p.honours]
    assert got == [("技术创新中心", "省级", None, 2022, None), ("高新技术企业", "国家级", "首次", 2021, None),
                   ("专利奖", "省级", None, None, "一等奖"), ("大学科技园", "国家级", "升级为", None, None)]


def test_quantities() -> None:
    assert parse_quantity("2亿") == 2e8 and parse_quantity("500万元") == 5e6 and parse_quantity("3,000") == 3000
    assert parse_quantity("很多") is None


def test_schema_documented() -> None:
    from zhengce.profile import PROFILE_KEYS, facts_lexicon

    text = DOCS.read_text(encoding="utf-8")
    for key in PROFILE_KEYS:
        assert f"`{key}`" in text, f"docs/calculator.md does not document `{key}`"
    for field in facts_lexicon():
        assert f"`{field}`" in text, f"docs/calculator.md does not list the fact `{field}`"


def test_documented_examples_load(tmp_path: Path) -> None:
    import re

    text = DOCS.read_text(encoding="utf-8")
    blocks = re.findall(r"```(yaml|json)\n(.*?)```", text, re.S)
    assert len(blocks) >= 3
    for lang, body in blocks:
        profile = load_profile(write(tmp_path, f"example.{lang}", body))
        assert profile.name and profile.place.known
