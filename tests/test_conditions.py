"""Recipient phrases → typed conditions (issue 3), and the vocabularies they are read with."""
from __future__ import annotations

import pytest
import yaml
from importlib import resources

from zhengce.reader.conditions import honours, lexicon, read, recipient_types, thresholds


@pytest.mark.parametrize("text,expected", [
    ("新认定的高新技术企业", [("高新技术企业", None, "新认定")]),
    ("重新认定的高新技术企业", [("高新技术企业", None, "重新认定")]),
    ("认定为国家级技术创新中心", [("技术创新中心", "国家级", None)]),
    ("首次通过绩效评价的市级临床医学研究中心", [("临床医学研究中心", "市级", None)]),
    ("升级为省大学科技园", [("大学科技园", "省级", "升级为")]),
    ("初次认定为国家、省级企业技术（研发）中心的企业", [("企业技术中心", "省级", None)]),
    ("初次认定为国家级企业技术（研发）中心的企业", [("企业技术中心", "国家级", "首次")]),
    ("当年确定的国家知识产权优势企业", [("知识产权优势企业", "国家级", "年度新获")]),
    ("首次认定国家级专精特新“小巨人”的企业", [("专精特新“小巨人”企业", "国家级", "首次")]),
    ("认定为山东省品牌科技企业孵化器和众创空间", [("科技企业孵化器", "省级", None), ("众创空间", "省级", None)]),
    ("市级以上科技企业孵化器和众创空间", [("科技企业孵化器", "市级以上", None), ("众创空间", "市级以上", None)]),
    ("作为第一完成单位获得国家科学技术奖特等奖", [("科学技术奖特等奖", "国家级", None)]),
    ("获得中国专利金奖的项目", [("专利金奖", "国家级", None)]),
    ("认定为国家创新型县（市）", [("创新型县(市)", "国家级", None)]),
    ("年度发明专利授权量进入全省五十强的企业", []),
])
def test_honours(text: str, expected: list[tuple[str, str | None, str | None]]) -> None:
    assert [(c.honour, c.level, c.status) for c in honours(text)] == expected


@pytest.mark.parametrize("text,expected", [
    ("获得国家最高科学技术奖的个人", "个人"),
    ("年获发明专利授权20件以上的单位", "单位"),
    ("年度发明专利授权量进入全省五十强的企业", "企业"),
    ("获得中国专利金奖的项目", "项目"),
    ("认定为国家专利运营试点的服务机构", "服务机构"),
    ("获得省科技成果转化贷款风险补偿备案的合作银行，相关贷款发生损失的", "银行"),
    ("认定为创新型乡镇", "区县/乡镇"),
    ("企业牵头组建的市级技术创新中心", "载体"),
    ("举办市级以上创新创业大赛等活动的区市、企业、社会组织", "区县/乡镇|企业|社会组织"),
    ("进入中国创新创业大赛全国行业总决赛的团队、项目", "团队|项目"),
    # Farmers are people; cooperatives and family farms are market entities; professional firms serve
    ("承包耕地种植粮食的农民", "个人"),
    ("创办的个体工商户、律师事务所和农民专业合作社", "企业|服务机构"),
    ("从事规模化养殖的家庭农场", "企业"),
    ("新引进的全职博士", "个人"),
])
def test_recipient_types(text: str, expected: str) -> None:
    assert [c.recipient_type for c in recipient_types(text)] == [expected]


@pytest.mark.parametrize("text,expected", [
    ("年获发明专利授权 20 件以上的单位", [("invention_patents", ">=", 20, "件")]),
    ("年销售额在1亿元及以上的企业", [("revenue", ">=", 100000000, "元")]),
    ("年度代理市内发明专利授权超过100件的服务机构", [("invention_patents", ">", 100, "件")]),
    ("固定资产投资1000万元及以上", [("fixed_asset_investment", ">=", 10000000, "元")]),
    ("年纳税1000万元及以上至5000万元的企业", [("local_tax_contribution", ">=", 10000000, "元"),
                                            ("local_tax_contribution", "<=", 50000000, "元")]),
    ("投资强度亩均投资不低于100万元", [("investment", ">=", 1000000, "元")]),
    ("新发展100—500亩的中药材种植基地", [("area_mu", ">=", 100, "亩"), ("area_mu", "<=", 500, "亩")]),
    ("女性不超过55周岁", [("age", "<=", 55, "周岁")]),
    ("年上缴税金地方经济贡献额达到30万元以上", [("local_tax_contribution", ">=", 300000, "元")]),
    ("在孵企业在3年孵化期内每成功升级1家高新技术企业", []),
])
def test_thresholds(text: str, expected: list[tuple[str, str, float, str]]) -> None:
    assert [(c.field, c.op, c.value, c.unit) for c in thresholds(text.replace(" ", ""))] == expected


def test_read_keeps_what_it_cannot_type_as_text() -> None:
    found = read("首次通过绩效评价的市级临床医学研究中心")
    assert [c.kind for c in found] == ["honour", "recipient_type", "text"]
    assert found[-1].text == "首次通过绩效评价"


def test_read_region_and_size() -> None:
    kinds = {c.kind: c.text for c in read("在我市注册的规模以上工业企业")}
    assert kinds["region"] == "在我市注册"
    assert kinds["size"] == "规模以上"


def test_every_condition_keeps_its_words() -> None:
    for c in read("对在我市注册、年度代理市内发明专利授权超过100件的新认定的高新技术企业"):
        assert c.text, c


@pytest.mark.parametrize("name", ["honours.yaml", "recipient_types.yaml", "thresholds.yaml"])
def test_lexicons_load(name: str) -> None:
    data = yaml.safe_load(resources.files("zhengce.lexicons").joinpath(name).read_text("utf-8"))
    assert data


def test_every_honour_wording_is_unique() -> None:
    data = yaml.safe_load(resources.files("zhengce.lexicons").joinpath("honours.yaml").read_text("utf-8"))
    wordings = [w for h in data["honours"] for w in [h["name"], *h.get("aliases", [])]]
    assert len(wordings) == len(set(wordings))
    assert lexicon().honours


def test_doctests() -> None:
    import doctest

    from zhengce.reader import conditions

    assert doctest.testmod(conditions).failed == 0
