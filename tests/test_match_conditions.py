"""Condition types: each verdict by hand, the same verdict from the SQL, and each type documented."""
from __future__ import annotations

import itertools
import random
from pathlib import Path
from typing import Any

import duckdb
import pytest

from zhengce.match.batch import REGISTRY_COLUMNS, inline, profile_to_row, rows_to_arrow
from zhengce.match.conditions import CONDITIONS, MET, UNKNOWN, UNMET, Context, check, kleene_and, kleene_or
from zhengce.match.regions import Scope, policy_scope
from zhengce.model import Condition
from zhengce.profile import profile_from_dict

DOCS = Path(__file__).parent.parent / "docs" / "conditions.md"
WEIHAI = Context(policy_scope("威海市人民政府", None))


def H(honour: str, level: str | None = None, status: str | None = None) -> Condition:
    return Condition(kind="honour", text=honour, honour=honour, level=level, status=status)


def T(field: str, op: str, value: float, unit: str | None = None) -> Condition:
    return Condition(kind="threshold", text=f"{field}{op}{value}", field=field, op=op, value=value, unit=unit)


def R(kind: str) -> Condition:
    return Condition(kind="recipient_type", text=kind, recipient_type=kind)


def P(**data: Any) -> Any:
    return profile_from_dict({"as_of": "2021-12-31", **data})


NEW_HIGH_TECH = P(name="甲有限公司", region="山东省威海市", honours=["高新技术企业 新认定 2021"],
                  facts={"年发明专利授权数": 25, "营业收入": "3000万元"}, industry="C35")
RENEWED = P(honours=["高新技术企业 重新认定 2021", "省级技术创新中心 2021", "山东省专利奖一等奖 2020"])
NO_LIST = P(name="乙有限公司")                        # gave no honours list at all
EMPTY_LIST = P(name="丙有限公司", honours=[])         # says it holds none
BLANK = P()
BANK = P(name="威海市商业银行", recipient_type="银行", region="山东省威海市")
SMALL = P(size="小微", region="北京市海淀区")
MICRO = P(size="微型", industry="65", facts={"从业人员": 5, "营业收入": "30万元"})

CASES = [
    # honours: status, level, rank; a missing list is unknown, an empty list is unmet
    (H("高新技术企业", status="新认定"), NEW_HIGH_TECH, MET),
    (H("高新技术企业", status="重新认定"), NEW_HIGH_TECH, UNMET),
    (H("高新技术企业", status="新认定"), RENEWED, UNMET),
    (H("高新技术企业"), RENEWED, MET),
    (H("高新技术企业", status="新认定"), NO_LIST, UNKNOWN),
    (H("高新技术企业", status="新认定"), EMPTY_LIST, UNMET),
    (H("高新技术企业", status="新认定"), BLANK, UNKNOWN),
    (H("技术创新中心", level="省级"), RENEWED, MET),
    (H("技术创新中心", level="国家级"), RENEWED, UNMET),
    (H("技术创新中心", level="市级以上"), RENEWED, MET),
    (H("技术创新中心", level="国家级"), P(honours=["技术创新中心 2021"]), UNKNOWN),
    (H("专利奖一等奖", level="省级"), RENEWED, MET),
    (H("专利奖二等奖", level="省级"), RENEWED, UNMET),
    (H("专利奖一等奖", level="省级"), P(honours=["省级专利奖 2021"]), UNKNOWN),
    (H("大学科技园", level="国家级", status="升级为"), P(honours=[{"name": "大学科技园", "level": "国家级", "status": "升级为"}]), MET),
    (H("大学科技园", level="国家级", status="升级为"), P(honours=["国家级大学科技园 新认定 2021"]), UNKNOWN),
    (H("知识产权示范企业", level="国家级", status="年度新获"), P(honours=["国家知识产权示范企业 年度新获 2021"]), MET),
    # thresholds: units, ops, missing facts
    (T("invention_patents", ">=", 20, "件"), NEW_HIGH_TECH, MET),
    (T("invention_patents", ">", 25, "件"), NEW_HIGH_TECH, UNMET),
    (T("revenue", ">", 2000, "万元"), NEW_HIGH_TECH, MET),
    (T("revenue", ">", 0.5, "亿元"), NEW_HIGH_TECH, UNMET),
    (T("revenue", "<=", 30000000, "元"), NEW_HIGH_TECH, MET),
    (T("invention_patents", ">=", 20, "件"), BLANK, UNKNOWN),
    (T("no_such_fact", ">=", 1), NEW_HIGH_TECH, UNKNOWN),
    # recipient types
    (R("企业"), NEW_HIGH_TECH, MET),
    (R("企业"), BANK, UNMET),
    (R("银行"), BANK, MET),
    (R("单位"), BANK, MET),
    (R("载体"), NEW_HIGH_TECH, MET),
    (R("个人"), NEW_HIGH_TECH, UNMET),
    (R("团队|项目"), NEW_HIGH_TECH, MET),
    (R("区县/乡镇|企业|社会组织"), BANK, UNMET),
    (R("企业"), BLANK, UNKNOWN),
    (R("企业"), P(recipient_type=["服务机构"]), UNKNOWN),
    # size: a band against a narrower ask is unknown; 规模以上 from revenue for industry
    (Condition(kind="size", text="小微企业"), SMALL, MET),
    (Condition(kind="size", text="中小企业"), SMALL, MET),
    (Condition(kind="size", text="小型企业"), SMALL, UNKNOWN),
    (Condition(kind="size", text="大型企业"), SMALL, UNMET),
    (Condition(kind="size", text="微型企业"), MICRO, MET),
    (Condition(kind="size", text="小微企业"), BLANK, UNKNOWN),
    (Condition(kind="size", text="规模以上"), NEW_HIGH_TECH, MET),
    (Condition(kind="size", text="规模以上"), P(industry="C35", facts={"营业收入": "500万元"}), UNMET),
    (Condition(kind="size", text="规模以上"), P(industry="65", facts={"营业收入": "5亿元"}), UNKNOWN),
    # region: the policy's own (我市), or a place the condition names
    (Condition(kind="region", text="在我市注册"), NEW_HIGH_TECH, MET),
    (Condition(kind="region", text="在我市注册"), SMALL, UNMET),
    (Condition(kind="region", text="在我市注册"), P(region="山东省"), UNKNOWN),
    (Condition(kind="region", text="在我市注册"), P(region="吉林省"), UNMET),
    (Condition(kind="region", text="在我市注册"), BLANK, UNKNOWN),
    (Condition(kind="region", text="注册地在荣成市"), P(region="山东省威海市荣成市"), MET),
    (Condition(kind="region", text="注册地在荣成市"), P(region="山东省威海市环翠区"), UNMET),
    # tags
    (Condition(kind="industry", text="所属行业: 制造业,信息传输、软件和信息技术服务业"), NEW_HIGH_TECH, MET),
    (Condition(kind="industry", text="所属行业: 农、林、牧、渔业"), NEW_HIGH_TECH, UNMET),
    (Condition(kind="industry", text="所属行业: 农、林、牧、渔业"), BLANK, UNKNOWN),
    (Condition(kind="ownership", text="适用对象: 私营企业,国有企业"), P(ownership="私营企业"), MET),
    (Condition(kind="ownership", text="适用对象: 国有企业"), P(ownership="私营企业"), UNMET),
    (Condition(kind="ownership", text="适用对象: 私营企业,其他"), BLANK, MET),
    # free text: unknown, unless the profile confirms it or names it as an honour
    (Condition(kind="text", text="择优"), NEW_HIGH_TECH, UNKNOWN),
    (Condition(kind="text", text="相关贷款发生损失"), P(confirms=["相关贷款发生损失"]), MET),
    (Condition(kind="text", text="获得省科技成果转化贷款风险补偿备案"), P(honours=["省科技成果转化贷款风险补偿备案"]), MET),
    (Condition(kind="text", text="相关贷款发生损失"), P(facts={"贷款损失额": "200万元"}), MET),
    (Condition(kind="text", text="相关贷款发生损失"), P(facts={"贷款损失额": 0}), UNKNOWN),
    (Condition(kind="text", text="相关贷款发生损失"), BLANK, UNKNOWN),
    (Condition(kind="no_such_kind", text="某种条件"), NEW_HIGH_TECH, UNKNOWN),
]


@pytest.mark.parametrize("cond,profile,expected", CASES,
                         ids=[f"{c.kind}:{c.text}:{i}" for i, (c, _, _) in enumerate(CASES)])
def test_verdict(cond: Condition, profile: Any, expected: str) -> None:
    got = check(cond, profile, WEIHAI)
    assert got.verdict == expected, got
    assert got.field and got.seen and got.explain


def sql_verdict(cond: Condition, profile: Any, context: Context = WEIHAI) -> str:
    kind = CONDITIONS.get(cond.kind, CONDITIONS["text"])
    fragment = inline(*kind.to_sql(cond, context))
    registry = rows_to_arrow([profile_to_row(profile)])  # noqa: F841 (DuckDB reads it by name)
    value = duckdb.sql(f"SELECT ({fragment}) FROM registry").fetchall()[0][0]
    return UNKNOWN if value is None else (MET if value else UNMET)


# Confirmations and honours named in free text are the profile's word: a registry row has neither.
SQL_CASES = [c for c in CASES if not (c[0].kind == "text" and c[2] == MET and not c[1].facts)]


@pytest.mark.parametrize("cond,profile,expected", SQL_CASES,
                         ids=[f"{c.kind}:{c.text}:{i}" for i, (c, _, _) in enumerate(SQL_CASES)])
def test_sql_gives_the_same_verdict(cond: Condition, profile: Any, expected: str) -> None:
    assert sql_verdict(cond, profile) == expected


def test_sql_agrees_with_python_on_random_profiles() -> None:
    # Every condition above against many generated profiles: Python and SQL never differ.
    rng = random.Random(7)
    honours = ["高新技术企业 新认定 2021", "高新技术企业 重新认定 2020", "高新技术企业", "省级技术创新中心",
               "技术创新中心", "国家级技术创新中心 首次 2021", "山东省专利奖一等奖", "专利奖", "大学科技园 升级为 2021"]
    profiles = []
    for _ in range(60):
        data: dict[str, Any] = {"as_of": "2021-12-31"}
        if rng.random() < 0.7:
            data["honours"] = rng.sample(honours, rng.randint(0, 3))
        if rng.random() < 0.6:
            data["region"] = rng.choice(["山东省威海市", "山东省", "北京市海淀区", "山东省威海市荣成市", "吉林省柳河县"])
        if rng.random() < 0.6:
            data["facts"] = {"年发明专利授权数": rng.randint(0, 40), "营业收入": rng.randint(0, 10**8)}
        if rng.random() < 0.5:
            data["recipient_type"] = rng.sample(["企业", "银行", "服务机构", "个人", "高校院所"], rng.randint(1, 2))
        if rng.random() < 0.5:
            data["size"] = rng.choice(["大型", "中型", "小型", "微型", "小微", "中小"])
        if rng.random() < 0.5:
            data["industry"] = rng.choice(["C35", "65", "A01", "K70"])
        profiles.append(profile_from_dict(data))
    conds = [c for c, _, _ in SQL_CASES]
    registry = rows_to_arrow([profile_to_row(p, rid=i) for i, p in enumerate(profiles)])  # noqa: F841
    for cond in conds:
        kind = CONDITIONS.get(cond.kind, CONDITIONS["text"])
        fragment = inline(*kind.to_sql(cond, WEIHAI))
        got = dict(duckdb.sql(f"SELECT rid, ({fragment}) FROM registry").fetchall())
        for i, p in enumerate(profiles):
            value = got[i]
            sql = UNKNOWN if value is None else (MET if value else UNMET)
            assert sql == check(cond, p, WEIHAI).verdict, (cond, p)


@pytest.mark.parametrize("a,b", list(itertools.product([MET, UNMET, UNKNOWN], repeat=2)))
def test_kleene_logic_is_sqls(a: str, b: str) -> None:
    lit = {MET: "TRUE", UNMET: "FALSE", UNKNOWN: "CAST(NULL AS BOOLEAN)"}
    back = {True: MET, False: UNMET, None: UNKNOWN}
    and_, or_ = duckdb.sql(f"SELECT {lit[a]} AND {lit[b]}, {lit[a]} OR {lit[b]}").fetchall()[0]
    assert kleene_and([a, b]) == back[and_]
    assert kleene_or([a, b]) == back[or_]


def test_every_condition_type_is_documented() -> None:
    text = DOCS.read_text(encoding="utf-8")
    for kind, spec in CONDITIONS.items():
        assert f"## `{kind}`" in text, f"docs/conditions.md has no section for `{kind}`"
        assert spec.doc, kind


def test_registry_has_a_column_for_every_field_sql_reads() -> None:
    # A fragment naming a column the registry lacks would fail only at run time.
    import re

    words = set()
    for cond, _, _ in CASES:
        kind = CONDITIONS.get(cond.kind, CONDITIONS["text"])
        sql = inline(*kind.to_sql(cond, WEIHAI))
        words |= set(re.findall(r"\b([a-z_]+)\b", re.sub(r"'[^']*'", "", sql)))
    keywords = {"case", "when", "then", "else", "end", "null", "is", "not", "and", "or", "like", "in", "true", "false",
                "cast", "as", "boolean"}
    assert words - keywords <= set(REGISTRY_COLUMNS), words - keywords - set(REGISTRY_COLUMNS)


def test_policy_scope_reads_issuer_or_title() -> None:
    assert policy_scope("威海市人民政府", "x").code == "3710"
    assert policy_scope("广州市人力资源社会保障局", None).code == "4401"
    assert policy_scope(None, "加快重点产业实施意见（柳河县，旧版）").code == "220524"
    assert policy_scope("国务院办公厅", None).national
    assert policy_scope(None, "关于做好某项工作的通知") == Scope(code=None, name="", found_in="")
