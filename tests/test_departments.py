from __future__ import annotations

import pytest

from zhengce.reader.departments import expand, roles_in


@pytest.mark.parametrize("text,expected", [
    ("市发展改革委、经济和信息化委、科技局", ("市发展改革委", "市经济和信息化委", "市科技局")),
    ("各区市〔含国家级开发区、综保区、南海新区,下同〕政府〔管委〕、市人力资源社会保障局", ("各区市政府", "市人力资源社会保障局")),
    ("市委宣传部和市科协、科技局", ("市委宣传部", "市科协", "市科技局")),
    ("市财政局,高区管委、南海新区管委", ("市财政局", "高区管委", "南海新区管委")),
    ("市农业局、环翠区政府、荣成市政府", ("市农业局", "环翠区政府", "荣成市政府")),
    ("市发改委、人社局", ("市发展改革委", "市人力资源社会保障局")),  # aliases from the lexicon
    ("区人社局、发改局、财政局", ("区人力资源社会保障局", "区发展改革局", "区财政局")),  # short forms at any level
    ("县工信局和县发展和改革局", ("县工业和信息化局", "县发展改革局")),
])
def test_expand(text: str, expected: tuple[str, ...]) -> None:
    assert expand(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("(牵头单位:市科技局;责任单位:市财政局、统计局)。", {"lead": ("市科技局",), "responsible": ("市财政局", "市统计局")}),
    ("(牵头单位:市科技局,各区市政府〔管委〕,责任单位:市财政局)", {"lead": ("市科技局", "各区市政府"), "responsible": ("市财政局",)}),
    ("(牵头单位:市科技局、财政局、税务局)。", {"lead": ("市科技局", "市财政局", "市税务局")}),
    ("牵头部门：市商务局；配合部门：市财政局", {"lead": ("市商务局",), "cooperating": ("市财政局",)}),
])
def test_roles(text: str, expected: dict) -> None:
    assert roles_in(text) == expected


def test_role_columns_of_a_table() -> None:
    from zhengce.reader import read_text

    text = ("某区企业扶持政策清单\n序号\t政策名称\t支持标准\t牵头单位\t配合单位\n"
            "1\t高企认定奖励\t对首次认定的高新技术企业给予20万元奖励\t区科技局\t区财政局\n"
            "2\t研发投入补助\t按研发费用增量的10%给予补助\t区科技局、财政局\t\n")
    articles = read_text(text).articles
    assert [(a.title, a.lead, a.cooperating) for a in articles] == [
        ("高企认定奖励", ("区科技局",), ("区财政局",)),
        ("研发投入补助", ("区科技局", "区财政局"), ()),
    ]
