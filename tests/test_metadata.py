from __future__ import annotations

import pytest

from zhengce.reader import read_text

PORTAL = """某市人民政府关于加快科技创新的实施意见
政策正文 政策图谱 原文链接 发布日期: 2021-11-01
  • 所属行业: 制造业,建筑业
  • 企业规模: 大型企业,中型企业
  • 适用对象: 私营企业,国有企业
  • 政策主题: 科技创新

各区市人民政府,市政府各部门、单位:

为充分发挥科技创新的重要作用,根据《某市新旧动能转换重大工程总体方案》(某发〔2018〕9 号)精神,提出如下实施意见。

一、总体要求

1.指导思想。坚持创新是引领发展的第一动力,以建设创新型城市为总体目标,着力构建技术创新体系,促进新旧动能转换,引领产业创新发展。

2.主要目标。到 2020 年,全社会研发投入占生产总值比重达到 2.85%以上,高新技术企业数量突破 500 家。

本意见自发布之日起施行,有效期至2025年12月31日。此前出台的相关政策同时废止。

  • 政策解读

政策评价

验 证 码: 验证码

Produced By 大汉网络 大汉版通发布系统
"""


def test_portal_page() -> None:
    p = read_text(PORTAL)
    assert p.title == "某市人民政府关于加快科技创新的实施意见"
    assert p.issuer == "某市人民政府"
    assert p.published == "2021-11-01"
    assert p.tags.industries == ("制造业", "建筑业") and p.tags.themes == ("科技创新",)
    assert p.addressees == ("各区市人民政府", "市政府各部门、单位")
    assert [(r.title, r.number) for r in p.references] == [("某市新旧动能转换重大工程总体方案", "某发〔2018〕9号")]
    assert p.validity.effective and "发布之日起施行" in p.validity.effective
    assert p.validity.expiry_date == "2025-12-31"
    assert p.validity.supersedes and "同时废止" in p.validity.supersedes
    # Page furniture is no part of the last article.
    assert "验证码" not in p.articles[-1].text and "政策评价" not in p.articles[-1].text
    assert [(t.year, t.value, t.unit, t.op) for t in p.targets] == [(2020, 2.85, "%", ">="), (2020, 500, "家", ">")]


GOV_HEADER = """索 引 号：
        000014349/2019-00006
        发文机关：
        国务院办公厅
        成文日期：
        2019年01月22日
        标　　题：
        国务院办公厅关于切实支持小微企业发展的指导意见
        发文字号：
        国办发〔2019〕6号
        发布日期：
        2019年02月14日
 国务院办公厅关于切实支持小微企业发展的指导意见
 各省、自治区、直辖市人民政府，国务院各部委、各直属机构：
 一、总体要求
 （一）指导思想。以新时代中国特色社会主义思想为指导，全面贯彻党的精神，坚持和加强党的全面领导，坚持稳中求进。
 （二）基本原则。聚焦支小支农主业。
 国务院办公厅
 2019年1月22日
"""


def test_government_header_table() -> None:
    p = read_text(GOV_HEADER)
    assert (p.title, p.issuer, p.number, p.published) == (
        "国务院办公厅关于切实支持小微企业发展的指导意见", "国务院办公厅", "国办发〔2019〕6号", "2019-02-14")
    assert p.addressees == ("各省、自治区、直辖市人民政府", "国务院各部委、各直属机构")


@pytest.mark.parametrize("number", ["皖政办秘〔2021〕82号", "威发〔2018〕9 号"])
def test_document_number_under_title(number: str) -> None:
    p = read_text(f"某省人民政府办公厅关于印发某某方案的通知\n{number}\n各市人民政府:\n一、总体要求\n(一)目标。做好各项工作。\n(二)原则。做好。\n")
    assert p.number == number.replace(" ", "")


def test_cover_of_a_compiled_guide() -> None:
    # A guide's cover: its own title, then the compiling body and year; the cards below carry
    # header fields of the documents they summarise, with numbers on 发文字号 lines.
    p = read_text("北京市产业政策导引（市级版）\n北京市发展和改革委员会 二〇二四年\n\n1. 北京市商品有机肥补贴工作方案\n"
                  "依据文件 《北京市商品有机肥补贴工作方案》\n发文机构 北京市农业农村局\n发文字号 京政农发〔2023〕41 号\n"
                  "发布日期 2023-08-03\n服务内容\n市级资金当年每亩补贴商品有机肥限量1吨,补贴标准为480元/吨,鼓励有条件的区配套补贴资金。\n")
    assert (p.title, p.issuer, p.published) == ("北京市产业政策导引（市级版）", "北京市发展和改革委员会", None)
    assert [(r.title, r.number) for r in p.references] == [("北京市商品有机肥补贴工作方案", "京政农发〔2023〕41号")]


@pytest.mark.parametrize("sentence, expiry", [
    ("本意见自印发之日起施行,暂定三年有效期。", "暂定三年有效期"),
    ("本办法自2022年1月1日起施行,十二年有效期。", "十二年有效期"),
    ("本措施有效期5年。", "本措施有效期5年"),
    ("政策执行期限为2021年至2023年。", "政策执行期限为2021年至2023年"),
])
def test_expiry_clauses(sentence: str, expiry: str) -> None:
    validity = read_text(f"关于支持企业发展的若干措施\n{sentence}\n").validity
    assert validity.expiry is not None and expiry in validity.expiry


@pytest.mark.parametrize("body, effective_date, expiry_date", [
    # A term runs from the effective date: to the day before its anniversary
    ("本办法自2022年3月1日起施行,有效期五年。", "2022-03-01", "2027-02-28"),
    # 自印发之日起: the document's own date, from its signature
    ("本意见自印发之日起施行,暂定三年有效期。\n\n某市人民政府\n2021年11月1日", "2021-11-01", "2024-10-31"),
    ("本措施自发布之日起施行,有效期至2026年6月。\n\n某区人民政府办公室\n2024年3月15日", "2024-03-15", "2026-06-30"),
    ("政策执行期限为2021年至2023年。", None, "2023-12-31"),
    # The clause says where its term starts
    ("2022年8月11日起,有效期3年。", None, "2025-08-10"),
    # No date to count from: the term stays unread rather than guessed
    ("本措施有效期5年。", None, None),
])
def test_validity_dates(body: str, effective_date: str | None, expiry_date: str | None) -> None:
    validity = read_text(f"关于支持企业发展的若干措施\n1.支持企业上规模。\n{body}\n").validity
    assert (validity.effective_date, validity.expiry_date) == (effective_date, expiry_date)


def test_validity_of_a_certificate_is_not_the_policys() -> None:
    validity = read_text("关于开展高新技术产品认定工作的通知\n1.经认定的高新技术产品有效期为3年。\n"
                         "2.本通知自2024年1月1日起施行,有效期2年。\n").validity
    assert validity.expiry is not None and "本通知" in validity.expiry
    assert validity.expiry_date == "2025-12-31"
