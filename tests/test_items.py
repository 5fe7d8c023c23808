"""Benefit items read from real policy sentences (issue 3): each hard case of the issue has a row.

A row gives the text of one article and, for each item expected, the fields that must hold;
fields left out are not checked. Recipients are compared after removing brackets and spaces,
as the scoring tool does.
"""
from __future__ import annotations

import re
from typing import Any

import pytest

from zhengce.model import Article, Item
from zhengce.reader import items
from zhengce.reader.text import normalise


def read(text: str) -> tuple[Item, ...]:
    mapped = normalise(text)
    article = Article(no=1, title="", label="1.", text=mapped.text, start=0, end=len(text))
    return items.extract(mapped, [article])


def quantified(found: tuple[Item, ...]) -> list[Item]:
    return [i for i in found if i.basis != "unquantified"]


def squash(text: str) -> str:
    return re.sub(r"[(（][^)）]*[)）]|\s", "", text)


def check(item: Item, expected: dict[str, Any]) -> None:
    for key, value in expected.items():
        got = getattr(item, key)
        if key == "recipient":
            assert squash(got) == squash(value), f"recipient {got!r} != {value!r}"
        else:
            assert got == value, f"{key}: {got!r} != {value!r} ({item.recipient})"


CASES = [
    # 分别 lists: one item per amount, each recipient completed with the shared words
    ("对认定为国家级、省级技术创新中心的，市级分别给予 1000 万元、500 万元支持。", [
        {"recipient": "认定为国家级技术创新中心", "basis": "fixed", "amount_yuan": 10000000, "kind": "支持"},
        {"recipient": "认定为省级技术创新中心", "basis": "fixed", "amount_yuan": 5000000},
    ]),
    ("对认定为国家级科技企业孵化器、国家专业化众创空间的，一次性分别给予 200 万元奖励。", [
        {"recipient": "认定为国家级科技企业孵化器", "amount_yuan": 2000000, "period": "一次性"},
        {"recipient": "认定为国家专业化众创空间", "amount_yuan": 2000000, "period": "一次性"},
    ]),
    ("对作为第一完成单位获得国家科学技术奖特等奖、一等奖、二等奖的，分别给予 200 万元、100 万元、50 万元配套奖励，"
     "奖金的 50% 用于奖励主要完成人，50%用于自主选题科研经费。", [
        {"recipient": "作为第一完成单位获得国家科学技术奖特等奖", "amount_yuan": 2000000, "kind": "配套"},
        {"recipient": "作为第一完成单位获得国家科学技术奖一等奖", "amount_yuan": 1000000},
        {"recipient": "作为第一完成单位获得国家科学技术奖二等奖", "amount_yuan": 500000},
    ]),
    ("对获得特等奖、一等奖、二等奖的项目，分别给予200、100、50万元奖励。", [
        {"recipient": "获得特等奖的项目", "amount_yuan": 2000000},
        {"recipient": "获得一等奖的项目", "amount_yuan": 1000000},
        {"recipient": "获得二等奖的项目", "amount_yuan": 500000},
    ]),
    ("对获得山东省专利奖特别奖、一等奖和二等奖项目，分别给予 20 万元、10万元、5 万元奖励。", [
        {"recipient": "获得山东省专利奖特别奖项目", "amount_yuan": 200000},
        {"recipient": "获得山东省专利奖一等奖项目", "amount_yuan": 100000},
        {"recipient": "获得山东省专利奖二等奖项目", "amount_yuan": 50000},
    ]),
    ("对获得国家、省最高科学技术奖的个人分别给予 500 万元、200 万元配套奖励。", [
        {"recipient": "获得国家最高科学技术奖的个人", "amount_yuan": 5000000},
        {"recipient": "获得省最高科学技术奖的个人", "amount_yuan": 2000000},
    ]),
    ("对升级为省、国家大学科技园的，分别给予 100 万元、300 万元资金补助。", [
        {"recipient": "升级为省大学科技园", "amount_yuan": 1000000, "kind": "补助"},
        {"recipient": "升级为国家大学科技园", "amount_yuan": 3000000},
    ]),
    ("对当年确定的国家知识产权示范企业和国家知识产权优势企业分别给予 30 万元、10 万元奖励。", [
        {"recipient": "当年确定的国家知识产权示范企业", "amount_yuan": 300000},
        {"recipient": "当年确定的国家知识产权优势企业", "amount_yuan": 100000},
    ]),
    ("对认定为国家创新型县（市）和创新型乡镇的，分别给予 500 万元、100 万元奖励。", [
        {"recipient": "认定为国家创新型县（市）", "amount_yuan": 5000000},
        {"recipient": "认定为创新型乡镇", "amount_yuan": 1000000},
    ]),
    # Headless recipients take the noun of the one before, or of the honour the sentence is about
    ("对新认定的高新技术企业每家奖励 20 万元，重新认定的每家奖励 10 万元。", [
        {"recipient": "新认定的高新技术企业", "basis": "fixed", "amount_yuan": 200000, "kind": "奖励"},
        {"recipient": "重新认定的高新技术企业", "basis": "fixed", "amount_yuan": 100000},
    ]),
    ("开展市级技术创新中心建设试点工作，对企业牵头组建的给予 200 万元资金补助，"
     "高校院所等公益性单位牵头组建的给予 300 万元资金补助。", [
        {"recipient": "企业牵头组建的市级技术创新中心", "amount_yuan": 2000000},
        {"recipient": "高校院所等公益性单位牵头组建的市级技术创新中心", "amount_yuan": 3000000},
    ]),
    ("开展技术先进型服务企业认定，经认定的给予 20 万元一次性奖励。", [
        {"recipient": "经认定的技术先进型服务企业", "amount_yuan": 200000, "period": "一次性"},
    ]),
    # Ratios and caps
    ("对企业绘制专利地图，开展知识产权专利导航，按照实际发生费用的 50%给予企业补助，最高不超过 50 万元。", [
        {"recipient": "企业绘制专利地图，开展知识产权专利导航", "basis": "ratio", "ratio": 0.5,
         "cap_yuan": 500000, "kind": "补助"},
    ]),
    ("对获批为国家火炬特色产业基地、国家创新型产业集群的，按上级支持资金 1:1 给予配套。", [
        {"recipient": "获批为国家火炬特色产业基地、国家创新型产业集群", "basis": "matching", "ratio": 1.0,
         "kind": "配套", "amount_yuan": None},
    ]),
    ("凡进入中国创新创业大赛全国行业总决赛的团队、项目，给予 10 万元奖励，对获奖的按照国家、省、市 1:1:1 配套奖励。", [
        {"recipient": "进入中国创新创业大赛全国行业总决赛的团队、项目", "amount_yuan": 100000},
        {"recipient": "获奖的团队、项目", "basis": "matching", "ratio": 1.0},
    ]),
    ("设立市级科技成果转化贷款风险补偿资金，凡获得省科技成果转化贷款风险补偿备案的合作银行，相关贷款发生损失的，"
     "按照政策省、市两级各给予 35%的风险补偿。", [
        {"recipient": "获得省科技成果转化贷款风险补偿备案的合作银行，相关贷款发生损失", "basis": "ratio",
         "ratio": 0.35, "kind": "风险补偿"},
    ]),
    ("对年纳税1000万元及以上至5000万元、5000万元以上至1亿元、1亿元以上的企业，"
     "分别参照其地方财政贡献的70%、80%和90%给予奖励。", [
        {"recipient": "年纳税1000万元及以上至5000万元的企业", "basis": "ratio", "ratio": 0.7},
        {"recipient": "年纳税5000万元以上至1亿元的企业", "ratio": 0.8},
        {"recipient": "年纳税1亿元以上的企业", "ratio": 0.9},
    ]),
    ("重点产业新上项目固定资产投资5000万元以上，在项目建设期，按项目固定资产实际投资额度给企业5%-20%奖励支持。", [
        {"recipient": "重点产业新上项目固定资产投资5000万元以上", "basis": "ratio", "ratio": 0.2, "ratio_min": 0.05},
    ]),
    ("对项目投产后根据绩效可以申请奖励。自认定当年起，按其年度地方经济贡献额给予五年奖励，"
     "其中前三年给予80%的奖励，后两年给予50%的奖励，每年最高奖励不超过5000万元。", [
        {"recipient": "项目投产后根据绩效可以申请奖励", "ratio": 0.8, "cap_yuan": 50000000, "period": "前三年"},
        {"recipient": "项目投产后根据绩效可以申请奖励", "ratio": 0.5, "cap_yuan": 50000000, "period": "后两年"},
    ]),
    ("对支小支农担保业务占比较高的融资担保机构，给予不超过实际代偿额的30%的代偿补偿，单个机构最高不超过200万元。", [
        {"basis": "ratio", "ratio": 0.3, "cap_yuan": 2000000},
    ]),
    # Per unit, with a cap
    ("对市级以上科技企业孵化器和众创空间，在孵企业在 3 年孵化期内每成功升级 1 家高新技术企业，"
     "给予所在孵化器和众创空间 10 万元奖励，每家每年最高奖励 100 万元。", [
        {"basis": "per_unit", "amount_yuan": 100000, "unit": "家", "cap_yuan": 1000000},
    ]),
    ("在国家高新区排名较往年最高位次每前移 1 个位次，给予 200 万元奖励。", [
        {"recipient": "在国家高新区排名较往年最高位次每前移1个位次", "basis": "per_unit", "amount_yuan": 2000000,
         "unit": "位次"},
    ]),
    ("对新发展的100—500亩（含500亩）的中药材种植基地和道地药材基地，一次性奖励企业100元/亩。", [
        {"basis": "per_unit", "amount_yuan": 100, "unit": "亩", "period": "一次性"},
    ]),
    ("招用3人以下的按每人2000元给予补贴；招用4人以上的每增加1人给予3000元补贴，总额最高不超过3万元。", [
        {"basis": "per_unit", "amount_yuan": 2000, "unit": "人", "cap_yuan": 30000},
        {"basis": "per_unit", "amount_yuan": 3000, "unit": "人", "cap_yuan": 30000},
    ]),
    ("对培训合格的人员按5000元/人给予培训补贴。", [
        {"basis": "per_unit", "amount_yuan": 5000, "unit": "人", "kind": "补贴"},
    ]),
    # Maximums and ranges
    ("对高校院所、企业自行建设的研究院等新型研发机构，择优给予最高 200 万元支持。", [
        {"recipient": "高校院所、企业自行建设的研究院等新型研发机构", "basis": "max", "amount_yuan": 2000000},
    ]),
    ("鼓励区市、企业、社会组织举办、领办、协办市级以上创新创业大赛、创客活动周等各类创新创业活动，"
     "每年最高给予 100 万元一次性奖励。", [
        {"recipient": "区市、企业、社会组织举办、领办、协办市级以上创新创业大赛、创客活动周等各类创新创业活动",
         "basis": "max", "amount_yuan": 1000000},
    ]),
    ("视新产品对县域经济发展带动作用和市场前景给予企业10万元—100万元资金支持。", [
        {"basis": "max", "amount_yuan": 1000000},
    ]),
    # Numerals
    ("对获得省级奖励的个人给予二十万元奖励。", [{"amount_yuan": 200000, "basis": "fixed"}]),
    ("对符合条件的创业者给予一万元补贴。", [{"amount_yuan": 10000, "kind": "补贴"}]),
    ("对总部企业给予1.5亿元支持。", [{"amount_yuan": 150000000}]),
    ("对新认定的高新技术企业给予 2 0 万元奖励。", [{"amount_yuan": 200000}]),
    ("对新认定的高新技术企业给予200元奖励。", [{"amount_yuan": 200}]),
    ("对新引进的总部企业给予10万奖励。", [{"amount_yuan": 100000, "kind": "奖励"}]),
    ("入驻孵化器的初创企业可获得最高50万元资助。", [
        {"recipient": "入驻孵化器的初创企业", "basis": "max", "amount_yuan": 500000, "kind": "资助"},
    ]),
    ("对租用办公用房的创业团队给予5万元/年的房租补贴。", [
        {"basis": "fixed", "amount_yuan": 50000, "period": "每年", "unit": None},
    ]),
    ("对提供高质量数据集的主体，经综合评价，最高可给予300万元的奖励。", [
        {"recipient": "提供高质量数据集的主体", "basis": "max", "amount_yuan": 3000000},
    ]),
    ("对开展首轮投资的投资机构，按照实际投资额的20%给予投资风险补贴支持，单笔补贴不超过200万元；"
     "每年每家投资机构补贴总额不超过500万元。", [
        {"recipient": "开展首轮投资的投资机构", "basis": "ratio", "ratio": 0.2, "cap_yuan": 2000000},
    ]),
    ("贷款贴息：按照贷款实际利息的40%给予企业贴息支持，对单家企业年度利息补贴不超过50万元。", [
        {"basis": "ratio", "ratio": 0.4, "cap_yuan": 500000, "kind": "贴息"},
    ]),
    ("对于指导目录中的新产品首批次应用，按单个产品不超过500万元、单个企业不超过1000万元给予分档奖励。", [
        {"recipient": "指导目录中的新产品首批次应用", "basis": "max", "amount_yuan": 5000000, "cap_yuan": 10000000},
    ]),
    ("对获得一等奖的项目，一次性20万元奖励。", [{"recipient": "获得一等奖的项目", "amount_yuan": 200000, "kind": "奖励"}]),
    ("第八条 对首次认定的高新技术企业，给予一次性奖励30万元；对重新认定的，给予10万元奖励。", [
        {"recipient": "首次认定的高新技术企业", "amount_yuan": 300000, "period": "一次性", "kind": "奖励"},
        {"recipient": "重新认定的高新技术企业", "amount_yuan": 100000},
    ]),
    ("对当年新认定的国家级专精特新“小巨人”企业、省级专精特新中小企业，分别给予50万元、20万元一次性奖励。", [
        {"recipient": "当年新认定的国家级专精特新“小巨人”企业", "amount_yuan": 500000},
        {"recipient": "当年新认定的省级专精特新中小企业", "amount_yuan": 200000},
    ]),
    ("对年主营业务收入首次突破1亿元、5亿元、10亿元的工业企业，分别给予企业经营团队10万元、30万元、50万元奖励。", [
        {"recipient": "年主营业务收入首次突破1亿元的工业企业", "amount_yuan": 100000},
        {"recipient": "年主营业务收入首次突破5亿元的工业企业", "amount_yuan": 300000},
        {"recipient": "年主营业务收入首次突破10亿元的工业企业", "amount_yuan": 500000},
    ]),
    ("对新引进的院士及其团队，给予最高1000万元项目资助和100万元安家补贴。", [
        {"basis": "max", "amount_yuan": 10000000, "kind": "资助"},
        {"basis": "fixed", "amount_yuan": 1000000, "kind": "补贴"},
    ]),
    ("对租赁园区厂房的企业，前三年按每平方米每月10元给予租金补贴。", [
        {"basis": "per_unit", "amount_yuan": 10, "unit": "平方米", "period": "前三年、每月"},
    ]),
    # A headless phrase naming its own level borrows the head without the head's level
    ("对经认定的市级众创空间给予20万元一次性补助，晋升为省级、国家级的，再分别给予30万元、50万元补助。", [
        {"recipient": "经认定的市级众创空间", "amount_yuan": 200000},
        {"recipient": "晋升为省级的众创空间", "amount_yuan": 300000},
        {"recipient": "晋升为国家级的众创空间", "amount_yuan": 500000},
    ]),
    # 分N年 (paid in instalments over N years) is the period, not part of who
    ("对新引进的全职博士研究生，给予每人10万元安家补贴，分三年发放。", [
        {"recipient": "新引进的全职博士研究生", "amount_yuan": 100000, "period": "分三年"},
    ]),
    ("对企业引进的紧缺人才，分2年给予10万元安家补助。", [
        {"recipient": "企业引进的紧缺人才", "amount_yuan": 100000, "period": "分2年"},
    ]),
    # The longest term a benefit is paid for
    ("对新招用毕业生的中小企业，按每人每月500元给予社保补贴，补贴期限最长不超过12个月。", [
        {"recipient": "新招用毕业生的中小企业", "amount_yuan": 500, "period": "每月、最长12个月"},
    ]),
    # A sentence that opens with its verb: who follows 给予; a 最高 clause after an unquantified
    # benefit is how much it is
    ("给予新落户的总部企业开办补助，最高1000万元。", [
        {"recipient": "新落户的总部企业", "basis": "max", "amount_yuan": 10000000, "kind": "补助"},
    ]),
    ("给予新认定的高新技术企业一次性奖励20万元。", [
        {"recipient": "新认定的高新技术企业", "basis": "fixed", "amount_yuan": 200000},
    ]),
    ("对承担关键技术攻关的企业，根据攻关投入予以支持，最高3000万元。", [
        {"recipient": "承担关键技术攻关的企业", "basis": "max", "amount_yuan": 30000000},
    ]),
    # Grades listed like levels share the head and the prefix
    ("对新评为AAAA级、AAAAA级旅游景区的，分别给予50万元、100万元一次性奖励。", [
        {"recipient": "新评为AAAA级旅游景区", "amount_yuan": 500000},
        {"recipient": "新评为AAAAA级旅游景区", "amount_yuan": 1000000},
    ]),
    ("对新评定为四星级、五星级饭店的，分别奖励10万元、20万元。", [
        {"recipient": "新评定为四星级饭店", "amount_yuan": 100000},
        {"recipient": "新评定为五星级饭店", "amount_yuan": 200000},
    ]),
    # A cap on 单台/单套 units caps the ratio item; 经认定后 is how, not who
    ("企业购置研发仪器设备，按购置金额的30%给予补助，单台设备补助不超过50万元。", [
        {"recipient": "企业购置研发仪器设备", "basis": "ratio", "ratio": 0.3, "cap_yuan": 500000},
    ]),
    ("对在我区新设立的外资研发中心，经认定后，给予最高500万元开办补贴。", [
        {"recipient": "在我区新设立的外资研发中心", "basis": "max", "amount_yuan": 5000000},
    ]),
    # 通过…的 is who passed something (a relative clause), not the manner "通过…方式"
    ("对通过CMMI五级评估的企业，给予30万元奖励；通过CMMI三级评估的，给予10万元奖励。", [
        {"recipient": "通过CMMI五级评估的企业", "amount_yuan": 300000},
        {"recipient": "通过CMMI三级评估的企业", "amount_yuan": 100000},
    ]),
    # A clause that only says per what is paid ends the 对 phrase; 一是/二是 are list markers, not words
    ("对流转土地集中连片100亩以上从事粮食种植的家庭农场，每亩补贴200元。", [
        {"recipient": "流转土地集中连片100亩以上从事粮食种植的家庭农场", "basis": "per_unit", "unit": "亩"},
    ]),
    ("一是对新认定的专精特新企业，奖励5万元；二是对新上市的企业，奖励100万元。", [
        {"recipient": "新认定的专精特新企业", "amount_yuan": 50000},
        {"recipient": "新上市的企业", "amount_yuan": 1000000},
    ]),
    # A duration said in the clause after the amount, with the benefit's verb between 连续 and the years
    ("对新引进的博士研究生，给予每人每月2000元生活补贴，连续补贴三年。", [
        {"basis": "fixed", "amount_yuan": 2000, "period": "每月、连续三年"},
    ]),
    ("对新引进的全职博士，每人每月补贴3000元，补贴3年。", [
        {"recipient": "新引进的全职博士", "basis": "fixed", "amount_yuan": 3000, "period": "每月、3年"},
    ]),
    ("企业招用就业困难人员的，按每人每年4000元标准给予社会保险补贴。", [
        {"basis": "per_unit", "amount_yuan": 4000, "unit": "人", "period": "每年"},
    ]),
    # 每人 counts the recipients where they are people (as 每家 counts firms), people taken on where an employer is
    ("来本市就业的博士研究生人才，按每人每月2000元标准给予生活补贴。", [
        {"basis": "fixed", "amount_yuan": 2000, "unit": None, "period": "每月"},
    ]),
    ("吸纳高校毕业生就业的小微企业，按每人1000元给予补贴。", [
        {"basis": "per_unit", "amount_yuan": 1000, "unit": "人"},
    ]),
    ("返乡创业的大学生，每名最高可补贴800元。", [{"basis": "max", "amount_yuan": 800, "unit": None}]),
    ("本市职业院校应届毕业生到乡镇企业就业的，按每人3000元给予补贴。", [{"basis": "fixed", "amount_yuan": 3000}]),
    ("对新引进的高层次人才，给予每人每月3000元生活补贴。", [{"basis": "fixed", "amount_yuan": 3000, "period": "每月"}]),
    ("对组织外派劳务人员培训的企业，每人补助不超过500元。", [
        {"basis": "per_unit", "amount_yuan": 500, "unit": "人"},
    ]),
    # One list, no 分别: one item for all
    ("对在中小板、创业板上市企业，给予企业300万元奖励。", [
        {"recipient": "在中小板、创业板上市企业", "amount_yuan": 3000000},
    ]),
    # An applicant's verb, or none, before an amount that names its kind (gold: guangdong-2026 art 12, 17)
    ("在校大学生创办小微企业满12个月的，可申请1万元的一次性创业补贴。", [
        {"recipient": "在校大学生创办小微企业满12个月", "basis": "fixed", "amount_yuan": 10000, "period": "一次性",
         "kind": "补贴"},
    ]),
    # A benefit's name is not its recipient: the one named before is ("生活补贴…", "贷款贴息给予…")
    ("从事支教服务的大学生，服务期间，享受生活补贴。生活补贴每人每月3600元，每人每年1000元的交通补贴。", [
        {"recipient": "从事支教服务的大学生", "amount_yuan": 3600, "period": "每月"},
        {"recipient": "从事支教服务的大学生", "amount_yuan": 1000, "period": "每年"},
    ]),
    # A figure after 最高 with its own kind word or subject is a new item, not the cap of the one before
    ("支持符合条件的企业在境外新设企业，贷款贴息给予每年最高500万元支持和投资性补助最高100万元一次性支持。", [
        {"recipient": "符合条件的企业在境外新设企业", "basis": "max", "amount_yuan": 5000000, "cap_yuan": None},
        {"recipient": "符合条件的企业在境外新设企业", "basis": "max", "amount_yuan": 1000000, "cap_yuan": None},
    ]),
    ("其中创业意识培训，每人最高可补贴300元；创办企业培训，每人最高可补贴1200元。", [
        {"amount_yuan": 300, "cap_yuan": None},
        {"recipient": "创办企业培训", "amount_yuan": 1200, "cap_yuan": None},
    ]),
    # A 标准 label with its copula, tiers by region
    ("补贴标准为：珠三角地区每年最高6000元，其他地区每年最高4000元。", [
        {"basis": "max", "amount_yuan": 6000, "period": "每年"},
        {"recipient": "其他地区", "basis": "max", "amount_yuan": 4000},
    ]),
    # 按 + a list of amounts by category: one item per category, named with the recipient's words
    ("毕业生到粤东地区用人单位就业，签订1年以上劳动合同的，按博士每人10000元、硕士每人7000元、其他每人5000元标准给予补贴。", [
        {"recipient": "毕业生到粤东地区用人单位就业，签订1年以上劳动合同博士", "amount_yuan": 10000},
        {"recipient": "毕业生到粤东地区用人单位就业，签订1年以上劳动合同硕士", "amount_yuan": 7000},
        {"recipient": "毕业生到粤东地区用人单位就业，签订1年以上劳动合同其他", "amount_yuan": 5000},
    ]),
    # 按 + amount + 标准, the verb and the recipient after it (向X支付, 给予X…补贴)
    ("学员免费参加培训，省财政按每人10000元标准向承办机构支付培训补助。", [
        {"recipient": "培训承办机构", "amount_yuan": 10000, "kind": "补助"},
    ]),
    # A role named alone (承办, 承训, 实施 …) runs what the sentence said people take part in
    ("青年可报名参加市里每年举办的电商直播技能大赛，市财政按每人500元标准向承办单位支付组织补助。", [
        {"recipient": "市里每年举办的电商直播技能大赛承办单位", "amount_yuan": 500, "basis": "per_unit"},
    ]),
    ("按照每人3000元标准，给予每名新招募且在岗服务满6个月以上的人员一次性安家费补贴。", [
        {"recipient": "新招募且在岗服务满6个月以上的人员", "amount_yuan": 3000, "kind": "补贴"},
    ]),
    # A 对 phrase ends at its own verb; the parts after 其中 are kinds of that benefit
    ("参加培训并取得合格证书的，可对培训机构给予创业培训补贴，其中创业意识培训，每人最高可补贴300元；"
     "网络创业培训每人最高可补贴2000元。", [
        {"recipient": "培训机构", "amount_yuan": 300},
        {"recipient": "培训机构网络创业培训", "amount_yuan": 2000},
    ]),
    # Neither a list of expenses nor a year is a recipient: the supported activity is
    ("支持企业申报前沿技术研发项目，对项目设备购置、房租、研发投入等分档予以支持，第一年最高支持200万元，"
     "第二至三年支持金额最高不超过500万元。", [
        {"recipient": "企业申报前沿技术研发项目", "basis": "max", "amount_yuan": 2000000},
        {"recipient": "企业申报前沿技术研发项目", "basis": "max", "amount_yuan": 5000000},
    ]),
    # "符合条件的项目" says only that it qualifies: what it is, the 支持 clause before said
    ("支持企业申请技术改造项目，对符合条件的项目给予最高3000万元的奖励。", [
        {"recipient": "企业申请技术改造项目符合条件的项目", "amount_yuan": 30000000},
    ]),
    # Conditions that name nobody take the sentence's subject (a bracketed exclusion names nobody)
    ("在校大学生创办小微企业，登记注册满12个月，且申请时未列入异常名录（不含创业者本人）的，可申请1万元的创业补贴。", [
        {"recipient": "在校大学生创办小微企业，登记注册满12个月，且申请时未列入异常名录（不含创业者本人）",
         "amount_yuan": 10000},
    ]),
    # A 并/且 clause goes on with the subject's predicates: the run reaches back over it to the subject
    ("退役军人在本市开办个体工商户，并担任经营者，经营满6个月，且无不良记录的，可申请5000元的一次性开业补贴。", [
        {"recipient": "退役军人在本市开办个体工商户，并担任经营者，经营满6个月，且无不良记录", "amount_yuan": 5000},
    ]),
    # A sentence with no subject of its own says which of those the sentence before named
    ("返乡青年在本县创办的小微企业，按其吸纳务工人数给予带动就业奖励。"
     "吸纳5人以下的按每人1000元给予奖励；吸纳6人以上的每增加1人给予1500元奖励。", [
        {"recipient": "返乡青年在本县创办的小微企业吸纳5人以下", "amount_yuan": 1000, "basis": "per_unit"},
        {"recipient": "返乡青年在本县创办的小微企业吸纳6人以上的每增加1人", "amount_yuan": 1500, "basis": "per_unit"},
    ]),
    # Neither the applicant's verb with the benefit's name nor a pointer to conditions listed below says who
    ("本市职业院校应届毕业生，符合下列2个条件之一，可申请一次性就业补贴，补贴标准为每人2000元。", [
        {"recipient": "本市职业院校应届毕业生", "amount_yuan": 2000, "basis": "fixed"},
    ]),
    # A condition that opens with a preposition (向…) has its subject before it; whom it names, the applicant deals with
    ("退役两年内的高校毕业生，向街道社区服务机构登记灵活就业并参加城镇职工养老保险的，按每人每月200元标准给予补贴。", [
        {"recipient": "退役两年内的高校毕业生，向街道社区服务机构登记灵活就业并参加城镇职工养老保险", "amount_yuan": 200,
         "basis": "fixed", "period": "每月"},
    ]),
    # ...but a 对 phrase, or a phrase with its own head, names its own even in words the lexicon does not know
    ("对本区企业首次采购的国产设备予以奖励。对国产设备实现批量销售的，可按不超过合同金额的10%，给予最高200万元的奖励。", [
        {"recipient": "国产设备实现批量销售", "ratio": 0.1},
    ]),
    ("对本区企业实施的数字化改造项目予以支持。具有示范作用的改造成果，可按照不超过投入的20%给予支持。", [
        {"recipient": "具有示范作用的改造成果", "ratio": 0.2},
    ]),
    # Tiers by threshold, each clause its own condition
    ("对新增并纳入统计范围的规模以上工业企业，一次性给予5万元奖励；年上缴税金地方经济贡献额达到30万元以上，一次性给予10万元奖励。", [
        {"recipient": "新增并纳入统计范围的规模以上工业企业", "amount_yuan": 50000},
        {"recipient": "年上缴税金地方经济贡献额达到30万元以上", "amount_yuan": 100000},
    ]),
]


@pytest.mark.parametrize("text,expected", CASES, ids=[c[0][:24] for c in CASES])
def test_items(text: str, expected: list[dict[str, Any]]) -> None:
    found = quantified(read(text))
    assert len(found) == len(expected), [(i.recipient, i.amount_yuan, i.ratio) for i in found]
    for item, want in zip(found, expected):
        check(item, want)


@pytest.mark.parametrize("text", [
    "重点产业新上项目固定资产投资1000万元及以上的，实行“一事一议”。",          # threshold
    "市级财政连续 5 年每年安排 2 亿元资金纳入资金池，支持中心建设及运营。",     # budget
    "到 2020 年，技术交易额达到 35 亿元，高新技术企业数量突破 500 家。",        # target
    "奖励资金分三年拨付，分别按应奖励额的30%、30%和40%拨付。",                  # payment schedule
    "培育一批年产值 20 亿元以上的科技领军企业。",                              # size threshold
    "各级政府性融资担保机构对单户担保金额500万元及以下的小微企业收取的担保费率原则上不超过1%。",
    "确保支小支农担保业务占比达到80%以上。",
    "原则上国家融资担保基金和银行业金融机构承担的风险责任比例均不低于20%。",
    "奖金的 50% 用于奖励主要完成人，50%用于自主选题科研经费。",
    "用人单位每月按不低于当地最低工资80%的标准对见习人员支付工作补贴的，给予就业见习补贴。",
])
def test_amounts_that_are_not_benefits(text: str) -> None:
    assert quantified(read(text)) == []


@pytest.mark.parametrize("text,kind,clue", [
    ("对政府引进或参与建设的，按共建协议“一事一议”给予支持。", "支持", "一事一议"),
    ("对新认定或建设成效突出的平台，市级择优给予资金扶持。", "支持", None),
    ("对经认定的高新技术企业缴纳增值税、企业所得税增量部分，按一定比例奖励所在区市。", "奖励", None),
])
def test_unquantified_benefits_are_kept(text: str, kind: str, clue: str | None) -> None:
    found = read(text)
    assert [i.basis for i in found] == ["unquantified"]
    assert found[0].kind == kind
    assert found[0].amount_yuan is None and found[0].ratio is None
    if clue:
        assert clue in (found[0].clue or "")


def test_each_tax_relief_is_an_item() -> None:
    found = read("全面落实企业研发费用税前加计扣除、高新技术企业税收优惠等政策。")
    assert [(i.basis, i.kind, i.recipient, i.clue) for i in found] == [
        ("unquantified", "税收优惠", "企业研发费用", "税前加计扣除"),
        ("unquantified", "税收优惠", "高新技术企业", "税收优惠"),
    ]


def test_quote_points_into_the_original_text() -> None:
    text = "开展试点。对认定为国家级、省级技术创新中心的，市级分别给予 1000 万元、500 万元支持。"
    found = read(text)
    for item in found:
        assert item.quote is not None
        assert text[item.quote.start:item.quote.end] == item.quote.text
        assert "1000 万元" in item.quote.text


def test_service_guide_labels() -> None:
    """A guide's 补贴对象 / 补贴标准 / 补贴期限 lines, and ranks named with their award."""
    text = (
        "优秀创业项目资助\n补贴条件：\n（1）获得“赢在广州”创业大赛优胜奖及以上奖次；\n"
        "补贴对象：符合条件的创业项目。\n补贴标准：一等奖20万元，二等奖15万元。\n补贴期限：一次性。"
    )
    found = quantified(read(text))
    assert [(squash(i.recipient), i.amount_yuan, i.period) for i in found] == [
        ("获得“赢在广州”创业大赛一等奖的创业项目", 200000, "一次性"),
        ("获得“赢在广州”创业大赛二等奖的创业项目", 150000, "一次性"),
    ]


def test_conditions_are_typed() -> None:
    found = quantified(read("对初次认定为国家、省级企业技术（研发）中心的企业，分别给予企业100万元、30万元奖励。"))
    honours = [[(c.honour, c.level, c.status) for c in i.conditions if c.kind == "honour"] for i in found]
    assert honours == [[("企业技术中心", "国家级", "首次")], [("企业技术中心", "省级", "首次")]]
    assert all(any(c.recipient_type == "企业" for c in i.conditions) for i in found)


def test_guide_requirements_become_conditions() -> None:
    """The lines under 补贴条件 are each item's conditions: typed where they can be, kept whole as text."""
    text = (
        "创业带动就业补贴\n补贴条件：\n（1）初创企业登记注册满6个月；\n（2）获奖项目吸纳就业3人或以上。\n"
        "补贴对象：符合条件的用人单位。\n补贴标准：每人2000元。"
    )
    found = quantified(read(text))
    assert len(found) == 1
    kinds = [(c.kind, c.field) for c in found[0].conditions if c.kind == "threshold"]
    assert kinds == [("threshold", "registered_months"), ("threshold", "employees")]
    texts = [c.text for c in found[0].conditions if c.kind == "text"]
    assert "初创企业登记注册满6个月" in texts and "获奖项目吸纳就业3人或以上" in texts


def test_report_prints_the_items_table(corpus_dir) -> None:
    import doctest

    from rich.console import Console

    from zhengce import report
    from zhengce.reader import read_file

    assert doctest.testmod(report).failed == 0
    console = Console(record=True, width=200)
    report.print_policy(read_file(corpus_dir / "weihai-2021-keji-chuangxin.txt"), console)
    out = console.export_text()
    assert "奖补事项" in out and "1000万元" in out and "最高50万元" not in out
    assert "认定为国家级技术创新中心" in out and "1:1" in out


def test_items_of_the_reference_page(corpus_dir) -> None:
    """Every quote is the original text at its offsets, and nothing in the gold's ignored list is read."""
    import json
    from pathlib import Path

    from zhengce.reader import read_file

    policy = read_file(corpus_dir / "weihai-2021-keji-chuangxin.txt")
    for item in policy.items:
        assert item.quote is not None
        assert policy.text[item.quote.start:item.quote.end] == item.quote.text
    gold = json.loads((Path(__file__).parent / "gold" / "weihai-2021-keji-chuangxin.gold.json").read_text("utf-8"))
    ignored = {(x["article"], x["amount_yuan"]) for x in gold["ignored"]}
    assert not [i for i in policy.items if (i.article, i.amount_yuan) in ignored]


def test_text_outside_every_article_is_read() -> None:
    """A preamble or a chapter's words before its first article: items with no article (budgets stay out)."""
    text = "对新落户的研发机构给予50万元奖励。市财政每年安排2亿元资金。\n第一条 对新认定的高新技术企业给予20万元奖励。"
    mapped = normalise(text)
    start = mapped.text.index("第一条")
    article = Article(no=1, title="", label="第一条", text=mapped.text[start:], start=start, end=len(text))
    found = items.extract(mapped, [article], [(0, start - 1)])
    assert [(i.article, i.amount_yuan, squash(i.recipient)) for i in found] == [
        (None, 500000, "新落户的研发机构"), (1, 200000, "新认定的高新技术企业"),
    ]


def test_guide_card_field_without_colon() -> None:
    """A card's 服务对象 field: no colon, the label broken by the layout, the value on the next lines,
    cut after the clause that ends on who it is; the 标准 line that names nobody is for them."""
    text = (
        "工具分类\n资金\n支持\n服务\n对象\n在本市从事农业生产的农户、家庭农\n场、涉农企业等生产经营主体，鼓励补贴向\n"
        "规模主体倾斜\n服务内容\n市级补贴标准为每亩200元。\n条件要求\n耕地已完成确权登记。"
    )
    found = quantified(read(text))
    assert [(squash(i.recipient), i.amount_yuan, i.basis) for i in found] == [
        ("在本市从事农业生产的农户、家庭农场、涉农企业等生产经营主体", 200, "per_unit"),
    ]


def test_guide_card_field_on_its_row() -> None:
    """The field after another on the same row, its value on that row; its clauses run to the one
    ending on who it is ("…具有独立法人资格,从事…的企业、机构等单位")."""
    row = read("工具分类资金支持服务对象符合条件的农业项目\n服务内容\n市级补贴标准为每亩300元。")
    assert [squash(i.recipient) for i in quantified(row)] == ["符合条件的农业项目"]
    lines = read(
        "工具分类资金支持、政策支持服务对象\n在本市注册且具有独立法人资格，从事商贸\n流通业经营的企业、机构等单位\n"
        "服务内容\n资金支持比例不超过项目审定实际投资额的50%。"
    )
    assert [squash(i.recipient) for i in quantified(lines)] == ["在本市注册且具有独立法人资格，从事商贸流通业经营的企业、机构等单位"]


def test_field_label_in_prose_is_not_a_field() -> None:
    """"…的重点扶持对象借款人" is a sentence, not a card's field row."""
    mapped = normalise("对还款积极、创业项目好的重点扶持对象借款人和小微企业，可继续提供贴息。")
    assert items._who_field(mapped, 0, len(mapped.text)) == (-1, items.EMPTY)


def test_label_list_is_not_divided_by_amounts() -> None:
    """The label says who may apply; "50%或70%" after it are two rates for all of them, not one each."""
    text = "服务对象\n在本市注册的外贸企业、商会\n服务内容\n展位费最高支持比例为50%或70%。"
    found = quantified(read(text))
    assert [(squash(i.recipient), i.ratio) for i in found] == [
        ("在本市注册的外贸企业、商会", 0.5), ("在本市注册的外贸企业、商会", 0.7),
    ]


def test_condition_under_label_keeps_the_label() -> None:
    """A tier that names nobody ("招用3人以下的") is the label's recipient with that condition."""
    text = "补贴对象：符合条件的用人单位。\n补贴标准：招用3人以下的按每人2000元给予补贴。"
    found = quantified(read(text))
    assert [squash(i.recipient) for i in found] == ["符合条件的用人单位招用3人以下"]


def test_topic_after_label_is_nearer_than_label() -> None:
    """Under a card's 服务对象, a 对… phrase in the card's text names who the next benefit is for."""
    text = (
        "服务对象\n本市金融服务机构\n服务内容\n对开展首轮投资的投资机构给予风险补贴。"
        "按照实际投资额的20%给予补贴支持。"
    )
    found = quantified(read(text))
    assert [(squash(i.recipient), i.ratio) for i in found] == [("开展首轮投资的投资机构", 0.2)]


def test_qualified_label_takes_the_act_of_its_requirements() -> None:
    """"符合条件的经营者" points to the 补贴条件 lines: the one saying what the applicant does says who it is.
    Thresholds ("满2年") and ①… alternatives under "之一" are no such act; brackets are notes."""
    text = (
        "补贴条件：\n（1）小微企业登记注册满2年；\n（2）小微企业购置新能源货车用于城市配送（不含二手车），且车辆登记在本市；\n"
        "补贴对象：符合条件的经营者。\n补贴标准：5000元。"
    )
    assert [i.recipient for i in quantified(read(text))] == ["小微企业购置新能源货车用于城市配送的经营者"]
    text = (
        "补贴条件：\n（1）申请人符合以下条件之一：\n①小微企业法定代表人；\n②个体工商户经营者。\n（2）小微企业经营满2年。\n"
        "补贴对象：符合条件的经营者。\n补贴标准：5000元。"
    )
    assert [i.recipient for i in quantified(read(text))] == ["符合条件的经营者"]
    # A tier naming nobody keeps the act's words before it.
    text = (
        "补贴条件：\n（1）初创企业招收学徒（签订培训协议）；\n"
        "补贴对象：符合条件的用人单位。\n补贴标准：招收2人以下的按每人1000元给予补贴。"
    )
    assert [squash(i.recipient) for i in quantified(read(text))] == ["初创企业招收学徒的用人单位招收2人以下"]


def test_an_announcement_of_a_quantified_item_is_not_another_item() -> None:
    # "给予补助" first, how much after: one item. A different kind, or one said after, stays.
    found = read("对新引进的重大物流项目，给予补助。按项目实际投资额的1%给予补助，最高不超过300万元。"
                 "对物流企业开展技术改造的，给予奖励。")
    assert [(i.basis, i.kind, i.recipient) for i in found] == [
        ("ratio", "补助", "新引进的重大物流项目"), ("unquantified", "奖励", "物流企业开展技术改造")]


def test_a_tax_relief_is_named_by_the_words_before_how_it_is_counted() -> None:
    found = read("科技型中小企业研发费用按100%在税前加计扣除。")
    assert [(i.basis, i.kind, i.recipient) for i in found] == [("unquantified", "税收优惠", "科技型中小企业研发费用")]
