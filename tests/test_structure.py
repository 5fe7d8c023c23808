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


def test_zhang_and_tiao_with_bracketed_headings() -> None:
    policy = read_text(
        "某市促进中小企业发展办法\n第一章 总则\n第一条 为促进中小企业发展,制定本办法。\n"
        "第二章 资金支持\n第二条 【创新奖励】对新认定的专精特新企业,给予一次性奖励50万元。\n"
        "第三条 本办法自2022年1月1日起施行,有效期5年。\n"
    )
    assert [(c.no, c.title, c.articles) for c in policy.chapters] == [(1, "总则", (1,)), (2, "资金支持", (2, 3))]
    assert [a.title for a in policy.articles] == ["", "创新奖励", ""]
    assert policy.validity.effective_date == "2022-01-01"


def test_one_line_page_with_run_in_headings() -> None:
    # Pages that lose their line breaks: the (一) after a chapter heading still counts.
    policy = read_text("某区关于推动产业发展的若干意见 首页 一、适用对象 本意见适用于本区企业。"
                       "二、支持内容(一)支持平台建设。对新建平台给予支持。(二)鼓励企业集聚。给予奖励。三、附则 本意见自发布之日起施行。")
    assert [(a.no, a.title) for a in policy.articles] == [(1, "支持平台建设"), (2, "鼓励企业集聚")]


def test_numbering_restarts_under_plain_headings() -> None:
    # A list page: two numbered lists under unnumbered headings; "二、一次性…" is an article too.
    policy = read_text(
        "高校毕业生就业创业扶持政策清单\n面向单位的扶持政策\n一、小微企业社保补贴\n给予补贴。\n二、一次性扩岗补助\n给予补助。\n"
        "面向毕业生的扶持政策\n一、灵活就业社保补贴\n给予补贴。\n二、一次性求职补贴\n给予补贴。\n"
    )
    assert [(a.no, a.title) for a in policy.articles] == [
        (1, "小微企业社保补贴"), (2, "一次性扩岗补助"), (3, "灵活就业社保补贴"), (4, "一次性求职补贴")]
