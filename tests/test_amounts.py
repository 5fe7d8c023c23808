"""Money, ratios and matching ratios read from real policy sentences (issue 3)."""
from __future__ import annotations

import pytest

from zhengce.reader.amounts import find_matching, find_money, find_ratios, parse_number
from zhengce.reader.text import normalise


def norm(text: str) -> str:
    return normalise(text).text


@pytest.mark.parametrize("text,expected", [
    ("二十万", 200000), ("一万", 10000), ("三千五百万", 35000000), ("1.5亿", 150000000),
    ("5千", 5000), ("两千", 2000), ("1千万", 10000000), ("零点五", 0.5), ("1000", 1000),
])
def test_parse_number(text: str, expected: float) -> None:
    assert parse_number(text) == expected


@pytest.mark.parametrize("text,expected", [
    # one amount, 万元 vs 元, Chinese numerals, spaces inside numbers (removed by the normaliser)
    ("对新认定的高新技术企业每家奖励 20 万元", [200000]),
    ("给予 2 0 万元奖励", [200000]),
    ("补贴标准：10000元。", [10000]),
    ("对获得者给予二十万元奖励", [200000]),
    ("一次性给予一万元补贴", [10000]),
    ("给予最高1.5亿元支持", [150000000]),
    ("给予２００万元支持", [2000000]),
    # 分别 lists, and numbers that share the unit written after the last one
    ("市级分别给予 1000 万元、500 万元支持", [10000000, 5000000]),
    ("分别给予 200 万元、100 万元、50 万元配套奖励", [2000000, 1000000, 500000]),
    ("分别给予200、100、50万元", [2000000, 1000000, 500000]),
    ("分别给予 20 万元、10万元、5 万元奖励", [200000, 100000, 50000]),
    # figures that are not benefits are still read here: items.py decides
    ("市级财政连续 5 年每年安排 2 亿元资金纳入资金池", [200000000]),
    ("技术交易额达到 35 亿元", [3500000000]),
    # no money
    ("支持每个重点产业每年实施重点技术创新项目10 项左右", []),
    ("多元化资金补充机制", []),
])
def test_find_money(text: str, expected: list[float]) -> None:
    assert [m.yuan for m in find_money(norm(text))] == expected


@pytest.mark.parametrize("text,expected", [
    ("一次性奖励企业100元/亩", [(100, "亩")]),
    ("按每人5000元/人的标准给予补贴", [(5000, "人")]),
    ("补贴标准为480元/吨", [(480, "吨")]),
])
def test_money_per_unit(text: str, expected: list[tuple[float, str]]) -> None:
    assert [(m.yuan, m.per) for m in find_money(norm(text))] == expected


def test_money_range_keeps_its_lower_end() -> None:
    found = find_money(norm("给予企业10万元—100万元资金支持"))
    assert [(m.low_yuan, m.yuan) for m in found] == [(100000, 1000000)]


@pytest.mark.parametrize("text,expected", [
    ("按照实际发生费用的 50%给予企业补助", [(0.5, None)]),
    ("省、市两级各给予 35%的风险补偿", [(0.35, None)]),
    ("按项目固定资产实际投资额度给企业5%-20%奖励支持", [(0.2, 0.05)]),
    ("给予5%—20%的补助", [(0.2, 0.05)]),
    ("分别参照其地方财政贡献的70%、80%和90%", [(0.7, None), (0.8, None), (0.9, None)]),
    ("按项目实际投资额的1‰给予补助", [(0.001, None)]),
    ("给予百分之五十的补贴", [(0.5, None)]),
])
def test_find_ratios(text: str, expected: list[tuple[float, float | None]]) -> None:
    assert [(r.value, r.low) for r in find_ratios(norm(text))] == expected


@pytest.mark.parametrize("text,expected", [
    ("按上级支持资金 1:1 给予配套", [1.0]),
    ("按照国家、省、市 1:1:1 配套奖励", [1.0]),
    ("按省市１：１的比例配套奖励", [1.0]),
    ("按1:0.5的比例配套", [0.5]),
    ("上午10:30召开", []),
])
def test_find_matching(text: str, expected: list[float]) -> None:
    assert [x.value for x in find_matching(norm(text))] == expected


def test_doctests() -> None:
    import doctest

    from zhengce.reader import amounts

    assert doctest.testmod(amounts).failed == 0
