"""Quantified targets: the year each is for, its indicator, value, unit and comparison."""
from __future__ import annotations

from zhengce.reader import read_text


def _targets(text: str) -> list[tuple]:
    return [(t.year, t.indicator, t.value, t.unit, t.op) for t in read_text(text).targets]


def test_years_of_a_goals_section() -> None:
    text = ("某市科技创新规划\n一、发展目标\n"
            "到“十四五”末，全社会研发经费投入强度达到3.5%，每万人口高价值发明专利拥有量达到15件。"
            "力争到2030年，高新技术企业数量达到5000家左右。2025年，技术合同成交额突破500亿元。\n"
            "二、保障措施\n市财政每年安排科技专项资金不低于10亿元。\n")
    assert _targets(text) == [
        (2025, "全社会研发经费投入强度", 3.5, "%", "="),      # the last year of the 14th five-year plan
        (2025, "每万人口高价值发明专利拥有量", 15.0, "件", "="),
        (2030, "高新技术企业数量", 5000.0, "家", "~"),
        (2025, "技术合同成交额", 500.0, "亿元", ">"),          # a sentence that opens with its year
    ]


def test_outside_a_goals_section_only_dated_sentences_count() -> None:
    text = ("关于支持企业发展的若干措施\n1.加大投入。到2022年底，培育瞪羚企业100家以上。每年安排资金2亿元。\n"
            "2.强化服务。到“十三五”期末，建成众创空间50个。\n")
    assert _targets(text) == [(2022, "培育瞪羚企业", 100.0, "家", ">="), (2020, "建成众创空间", 50.0, "个", "=")]
