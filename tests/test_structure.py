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


def test_sections_are_articles_when_their_lists_restart_in_few_of_them() -> None:
    # (一) lists in two of four sections, a 1. list under a (二) and another under 四:
    # the sections are the articles, and every amount is read inside one.
    policy = read_text(
        "某市创新券申报指南\n一、项目简介\n本项目支持中小企业购买科技服务。\n"
        "二、申报条件\n申请单位须符合以下条件:\n(一)在本市注册;\n(二)上年度营业收入不超过5000万元。\n"
        "三、支持标准\n(一)基础支持。对使用创新券的企业每家补助5万元。\n"
        "(二)绩效支持。按两个档次给予奖励。\n1、购买服务100万元以上的企业,给予10万元的奖励;\n"
        "2、购买服务50万元以上的企业,给予5万元的奖励。\n"
        "四、申报材料\n申请单位需提交以下材料:\n1、申报表;\n2、营业执照;\n3、服务合同。\n"
    )
    assert policy.chapters == ()
    assert [(a.no, a.title) for a in policy.articles] == [
        (1, "项目简介"), (2, "申报条件"), (3, "支持标准"), (4, "申报材料")]
    assert {(i.article, i.amount_yuan) for i in policy.items if i.amount_yuan} >= {(3, 50000), (3, 100000)}


def test_points_of_one_clause_are_not_articles() -> None:
    # Every section holds (N) articles; the 1. 2. points under a (N) that speaks for
    # itself are its sub-points, even though they outnumber the (N).
    policy = read_text(
        "某区促进产业发展的若干措施\n一、总体要求\n(一)指导思想。坚持创新驱动。\n(二)基本原则。坚持市场主导。\n"
        "二、支持措施\n(一)研发奖励。按三个档次给予奖励。\n1.投入1000万元以上的,奖励50万元。\n"
        "2.投入500万元以上的,奖励20万元。\n3.投入100万元以上的,奖励10万元。\n"
        "(二)人才奖励。对引进的高层次人才给予奖励。\n三、附则\n1.本措施由区科技局负责解释。\n2.本措施自发布之日起施行。\n"
    )
    assert [(a.no, a.title, a.chapter) for a in policy.articles] == [
        (1, "指导思想", 1), (2, "基本原则", 1), (3, "研发奖励", 2), (4, "人才奖励", 2)]


def test_points_numbered_across_group_headings_are_articles() -> None:
    policy = read_text(
        "某区支持人工智能产业发展的若干意见\n一、支持对象\n本区登记注册的企业。\n二、支持方式\n(一)提升创新水平\n"
        "1.增强创新能力。给予支持。\n2.强化算力供给。给予补贴。\n(二)优化产业生态\n3.优化空间布局。给予奖励。\n"
    )
    assert [(a.no, a.title) for a in policy.articles] == [(1, "增强创新能力"), (2, "强化算力供给"), (3, "优化空间布局")]


def test_group_headings_over_restarting_numbering_are_chapters() -> None:
    policy = read_text(
        "青年就业扶持政策清单\n面向企业的扶持政策\n一、吸纳就业补贴\n给予补贴。\n二、见习补贴\n给予补贴。\n"
        "面向个人的扶持政策\n一、求职补贴\n给予补贴。\n二、创业补贴\n给予补贴。\n三、租金补贴\n给予补贴。\n"
    )
    assert [(c.no, c.title, c.articles) for c in policy.chapters] == [
        (1, "面向企业的扶持政策", (1, 2)), (2, "面向个人的扶持政策", (3, 4, 5))]


GUIDE = (
    "某市产业政策导引\n某市发展和改革委员会\n"
    "二、制造业篇\n"
    "5. 某市关于支持智能制造发展的措施\n"
    "某市关于支持智能制造发展的措施\n"
    "依据文件 《某市关于支持智能制造发展的若干措施》\n"
    "服务内容\n"
    "1. 支持智能工厂建设\n对新建的智能工厂,给予最高500万元奖励。\n"
    "2. 支持首台套应用\n对首台套装备给予奖励。\n"
    "条件要求\n1．在本市注册;\n2．上年度无失信记录。\n"
    "6. 某市工业设计中心认定与奖励办\n"
    "法\n"
    "工业设计中心认定与奖励办法\n"
    "服务内容\n1．对新认定的市级工业设计中心给予一次性奖励50万元。\n"
)


def test_guide_cards_are_articles_numbered_as_printed() -> None:
    policy = read_text(GUIDE)
    assert [(a.no, a.title) for a in policy.articles] == [
        (5, "某市关于支持智能制造发展的措施"), (6, "某市工业设计中心认定与奖励办法")]
    assert [(c.no, c.title, c.articles) for c in policy.chapters] == [(2, "制造业篇", (5, 6))]
    assert {(i.article, i.amount_yuan) for i in policy.items if i.amount_yuan} == {(5, 5000000), (6, 500000)}


def test_a_list_of_like_sentences_is_no_card() -> None:
    # Tiers that read alike line after line are list points, not a heading and its repeat.
    policy = read_text(
        "某市奖励办法\n一、奖励标准\n(一)认定奖励。对新认定的企业奖励5万元。\n(二)产值奖励。按档次给予奖励。\n"
        "1.年产值超过1亿元的企业奖励20万元\n2.年产值超过5000万元的企业奖励10万元\n二、申报时间\n(三)每年3月申报。\n"
    )
    assert [(a.no, a.title) for a in policy.articles] == [(1, "认定奖励"), (2, "产值奖励"), (3, "每年3月申报")]


def test_text_outside_every_article_is_found() -> None:
    from zhengce.reader import chrome, structure
    from zhengce.reader.text import normalise

    mapped = normalise(
        "某县产业扶持意见\n为促进产业发展,制定本意见。\n一、资金保障\n设立规模1亿元的产业引导资金。\n"
        "二、支持范围\n(一)投资奖励。给予奖励10万元。\n(二)上市奖励。给予奖励50万元。\n三、附则\n四、其他\n本意见自发布之日起施行。\n"
    )
    page = chrome.strip(mapped)
    _, articles = structure.read(mapped, page.body_start, page.body_end)
    spans = structure.uncovered(mapped, articles, page.body_start, page.body_end)
    assert [a.title for a in articles] == ["投资奖励", "上市奖励"]
    texts = [mapped.text[s:e] for s, e in spans]
    assert any("1亿元" in t for t in texts) and any("施行" in t for t in texts)
    assert not any("投资奖励" in t for t in texts)


def test_numbering_carries_on_past_one_lost_number() -> None:
    # "3.5G基站建设项目" reads as a decimal, so 3 is lost; 4. and 5. still continue the list.
    policy = read_text(
        "某市人才工程实施方案\n一、重点项目\n1.领军人才项目。给予支持。\n2.青年人才项目。给予支持。\n"
        "3.5G应用人才项目。给予支持。\n4.技能人才项目。给予支持。\n5.乡村人才项目。给予支持。\n"
    )
    assert [(a.no, a.title) for a in policy.articles] == [
        (1, "领军人才项目"), (2, "青年人才项目"), (4, "技能人才项目"), (5, "乡村人才项目")]


def test_a_long_list_under_one_section_stays_the_articles() -> None:
    # Four sections, (一)…(五) measures under 三 and two notes under 四: the measures
    # are the articles even though two sections hold no (N).
    measures = "".join(f"({n})支持措施{k}。给予支持。\n" for k, n in enumerate("一二三四五", 1))
    policy = read_text(
        "某区促进产业发展的若干意见\n一、适用对象\n本区企业。\n二、支持领域\n重点领域。\n三、支持内容\n" + measures
        + "四、附则\n(一)本意见由区科委解释。\n(二)本意见自发布之日起施行。\n"
    )
    assert [a.title for a in policy.articles][:5] == [f"支持措施{k}" for k in range(1, 6)]
    assert [(c.no, c.articles) for c in policy.chapters if c.articles] == [(3, (1, 2, 3, 4, 5)), (4, (6, 7))]


def test_table_rows_are_articles_titled_by_their_first_cell() -> None:
    text = ("物流业支持政策\n序号\t项目名称\t申报条件\t奖励政策\n"
            "1\t重点物流项目\t对新引进的重大物流项目给予补助。\t按项目投资额的1%给予补助,最高不超过300万元。\n"
            "2\t\t高端设备投入\t对采用自动分拣设备的企业给予补助。\t按照设备投入的5%给予最高50万元补助。\n")
    policy = read_text(text)
    assert [(a.no, a.label, a.title) for a in policy.articles] == [(1, "1", "重点物流项目"), (2, "2", "高端设备投入")]
    assert [(i.article, i.recipient, i.ratio, i.cap_yuan) for i in policy.items if i.basis == "ratio"] == [
        (1, "新引进的重大物流项目", 0.01, 3000000), (2, "采用自动分拣设备的企业", 0.05, 500000)]
