from __future__ import annotations

import pytest

from zhengce.reader import read_text


def _articles(text: str) -> list[tuple[int, str]]:
    return [(a.no, a.title) for a in read_text(text).articles]


@pytest.mark.parametrize("text,expected", [
    # Arabic numbering; "2.85%" is no article.
    ("关于促进发展的实施意见\n一、总体要求\n1.指导思想。坚持创新。\n2.主要目标。到2020年,比重达到 2.85%以上。\n",
     [(1, "指导思想"), (2, "主要目标")]),
    # 第N条, with spaces inside the number.
    ("某某管理办法\n第一条 为了规范管理,制定本办法。\n第二条 本办法适用于本市。\n第 三 条 本办法自发布之日起施行。\n",
     [(1, ""), (2, ""), (3, "")]),
    # (一) numbering continued across chapters.
    ("关于支持小微企业的指导意见\n一、总体要求\n(一)指导思想。坚持改革。\n(二)基本原则。聚焦主业。\n二、重点任务\n(三)明确范围。聚焦小微企业。\n",
     [(1, "指导思想"), (2, "基本原则"), (3, "明确范围")]),
    # A chapter heading run into its first article, and an article after a closing parenthesis.
    ("关于加快发展的意见\n一、总体要求\n1.指导思想。坚持创新。(牵头单位:市科技局)\n二、加快升级,打造主力军2.加大供给。全面落实。(牵头单位:市科技局)3.强化培育。实施工程。\n",
     [(1, "指导思想"), (2, "加大供给"), (3, "强化培育")]),
])
def test_numbering_styles(text: str, expected: list[tuple[int, str]]) -> None:
    assert _articles(text) == expected


def test_chapters_hold_their_articles() -> None:
    policy = read_text("关于加快发展的意见\n一、总体要求\n1.指导思想。坚持。\n二、重点任务\n2.任务一。做好。\n3.任务二。做好。\n")
    assert [(c.no, c.title, c.articles) for c in policy.chapters] == [(1, "总体要求", (1,)), (2, "重点任务", (2, 3))]


def test_offsets_point_into_the_original() -> None:
    original = "关于加快发展的意见\n一、总体要求\n１．指导思想。坚持创新，给予 2 0 万元奖励。\n２．主要目标。做好。\n"
    policy = read_text(original)
    first = policy.articles[0]
    assert original[first.start:first.start + 2] == "１．"
    assert "2 0 万元" in original[first.start:first.end]
