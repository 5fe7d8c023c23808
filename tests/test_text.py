from __future__ import annotations

import pytest

from zhengce.reader.text import normalise, tidy


@pytest.mark.parametrize("original,expected", [
    ("第 1 0 条", "第10条"),
    ("给予 2 0 万元奖励", "给予20万元奖励"),
    ("战略新 兴产业", "战略新兴产业"),
    ("达到 2.85%以上", "达到2.85%以上"),
    ("２０２１年，给予１００万元（最高）", "2021年,给予100万元(最高)"),
    ("发布日期：2025-04-08 11:24:11", "发布日期:2025-04-08 11:24:11"),  # a time keeps its space
    ("12 345", "12 345"),  # two multi-digit numbers stay apart
])
def test_normalise(original: str, expected: str) -> None:
    assert normalise(original).text == expected


def test_every_character_maps_back() -> None:
    original = "第 1 0 条　给予２０万元\n奖励，最高不超过 5 0 万元。"
    mapped = normalise(original)
    for i, ch in enumerate(mapped.text):
        assert mapped.plain[mapped.origin(i)] == ch
        assert mapped.locate(mapped.origin(i)) == i


def _wrapped(paragraph: str, width: int = 36) -> str:
    return "\n".join(paragraph[i:i + width] for i in range(0, len(paragraph), width))


def test_pdf_lines_and_page_breaks_are_joined() -> None:
    paragraph = ("支持企业积极申报颠覆性技术和前沿技术的研发及成果转化项目,对项目设备购置、房租、研发投入等分档予以支持," * 6)[:-1] + "。"
    text = _wrapped(paragraph[:180]) + "\n=== 印刷第22页 ===\n \n22 \n" + _wrapped(paragraph[180:]) + "\n条件要求 适用于中小企业\n"
    mapped = normalise(text)
    assert paragraph + "\n" in mapped.text and "印刷" not in mapped.text
    assert mapped.text.count("\n") == 2, "the paragraph is one line; the short field line stands apart"


def test_title_lines_are_not_joined() -> None:
    text = "某市人民政府关于加快科技创新支持新旧动能转换的实施意见\n各区市人民政府,国家级开发区管委,市政府各部门、单位:\n"
    assert normalise(text).text.startswith("某市人民政府关于加快科技创新支持新旧动能转换的实施意见\n")


def test_tidy() -> None:
    assert tidy("最高不超过 5 0\n万元") == "最高不超过50万元"


def test_table_cells_stay_apart() -> None:
    # Tabs between cells are kept (an empty cell keeps its place); a tab at a line's edge is layout.
    text = "序号\t项目\t奖励标准\n1\t\t重点项目\t按投资额的1%给予补助,最高50万元\t\n2\t人才项目\t每人奖励1万元\n"
    mapped = normalise(text)
    rows = [row.rstrip() for row in mapped.text.split("\n")]
    assert rows[1] == "1\t\t重点项目\t按投资额的1%给予补助,最高50万元" and rows[2] == "2\t人才项目\t每人奖励1万元"
    # Rows are never joined as if wrapped, even full ones
    long_row = "3\t" + "支持企业技术改造项目建设" * 3 + "\t给予最高100万元补助"
    assert normalise(long_row + "\n" + long_row.replace("3", "4", 1)).text.count("\n") == 1
